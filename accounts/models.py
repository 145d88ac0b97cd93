"""Users, their role and the jurisdiction they act for; applicant units (申请单位)
and the people of those units, entered once and reused by every application."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Only the foreign affairs office of the unit's jurisdiction gives approval numbers: every review
# chain ends at it.
FAO_STEP = "fao"
STEP_NAMES = ("unit", "department", FAO_STEP)


def validate_review_chain(value):
    """A chain of known steps, each once, ending at the foreign affairs office."""
    steps = [s.strip() for s in str(value).split(",")]
    unknown = [s for s in steps if s not in STEP_NAMES]
    if unknown:
        raise ValidationError(_("Unknown review steps: %(steps)s. The steps are unit, department and fao."),
                              params={"steps": ", ".join(unknown)}, code="unknown_step")
    if len(set(steps)) != len(steps):
        raise ValidationError(_("Each review step appears once in the chain."), code="repeated_step")
    if steps[-1] != FAO_STEP:
        raise ValidationError(
            _("The review chain must end at the foreign affairs office (fao): only the office of the unit's "
              "jurisdiction gives approval numbers."), code="no_fao")


class Role(models.TextChoices):
    ADMIN = "admin", _("system administrator")
    SECURITY_ADMIN = "security_admin", _("security administrator")
    AUDIT_ADMIN = "audit_admin", _("audit administrator")
    STAFF = "staff", _("foreign affairs office staff")
    LIAISON = "liaison", _("department liaison")
    CLERK = "clerk", _("unit clerk")
    UNIT_REVIEWER = "unit_reviewer", _("unit reviewer")
    VIEWER = "viewer", _("viewer")


class Unit(models.Model):
    """An applicant unit: a department, university, state enterprise or company."""

    owner_field = "jurisdiction"

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("government department")
        UNIVERSITY = "university", _("university or research institute")
        SOE = "soe", _("state enterprise")
        COMPANY = "company", _("company")
        INSTITUTION = "institution", _("public institution")
        OTHER = "other", _("other")

    class Step(models.TextChoices):
        UNIT = "unit", _("the unit")
        DEPARTMENT = "department", _("the competent department")
        FAO = "fao", _("the foreign affairs office")

    name_zh = models.CharField(_("Chinese name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=250, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    jurisdiction = models.ForeignKey(
        "geo.Division", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+",
        help_text=_("The foreign affairs office of this jurisdiction handles the unit's applications."),
    )
    competent = models.ForeignKey(
        "self", verbose_name=_("competent department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="supervised",
    )
    review_chain = models.CharField(
        _("review chain"), max_length=60, default="unit,department,fao",
        help_text=_("The steps an application passes, in order: unit, department, fao (comma-separated). "
                    "It always ends at fao."),
        validators=[validate_review_chain],
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_zh"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_chain=FAO_STEP) | models.Q(review_chain__endswith="," + FAO_STEP),
                name="review_chain_ends_at_fao",
                violation_error_message=_("The review chain must end at the foreign affairs office (fao)."),
            )
        ]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name_zh

    def steps(self):
        """The review steps of this unit, the department step dropped when it has no competent department;
        the foreign affairs office always last, whatever the stored chain says."""
        steps = [s.strip() for s in self.review_chain.split(",") if s.strip() in self.Step.values]
        if self.competent_id is None:
            steps = [s for s in steps if s != self.Step.DEPARTMENT]
        return [s for s in steps if s != self.Step.FAO] + [self.Step.FAO]


class Person(models.Model):
    """Someone of a unit who travels or is named in applications."""

    owner_field = "unit__jurisdiction"

    class Rank(models.TextChoices):
        MINISTER = "minister", _("provincial or ministerial level")
        BUREAU = "bureau", _("department or bureau level")
        DIVISION = "division", _("division level")
        OTHER = "other", _("below division level or none")

    class Gender(models.TextChoices):
        FEMALE = "F", _("female")
        MALE = "M", _("male")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people")
    name_zh = models.CharField(_("name"), max_length=60)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    born_on = models.DateField(_("date of birth"), null=True, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    post = models.CharField(_("post"), max_length=100)
    rank = models.CharField(_("rank"), max_length=10, choices=Rank.choices, default=Rank.OTHER)
    is_leader = models.BooleanField(_("unit leader"), default=False, help_text=_("A leader of the unit (班子成员)."))
    teaching_research = models.BooleanField(
        _("teaching or research staff"), default=False,
        help_text=_("Teaching and research staff on academic exchange are exempt from some limits."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["unit", "name_zh"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name_zh


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    jurisdiction = models.ForeignKey(
        "geo.Division",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("The province, prefecture or county this user acts for."),
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="users",
        help_text=_("For unit clerks and unit reviewers: the unit they act for."),
    )
    person = models.OneToOneField(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="user",
        help_text=_("The person this user is in applications: they do not decide on an application in which "
                    "they have a part (recusal)."),
    )
    email_notifications = models.BooleanField(_("notify me by e-mail"), default=True)
    must_change_password = models.BooleanField(
        _("must change the password"), default=False,
        help_text=_("Set for an issued password: the user changes it at the first login."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def can_write(self):
        return self.is_active and (self.is_superuser or self.role in {Role.ADMIN, Role.STAFF})

    @property
    def needs_two_factor(self):
        """Accounts that approve or administer must log in with a second factor."""
        return self.is_superuser or self.role in TWO_FACTOR_ROLES

    def role_label(self):
        return self.get_role_display()

    def get_full_name(self):
        """The name in Chinese order, surname first (张三; "Nowak Łukasz" for a name in Latin letters)."""
        return chinese_order(self.last_name, self.first_name)

    def get_short_name(self):
        return self.get_full_name() or self.username


def chinese_order(surname, given):
    surname, given = surname.strip(), given.strip()
    if all(not part or all(_is_han(c) for c in part) for part in (surname, given)):
        return f"{surname}{given}"
    return " ".join(part for part in (surname, given) if part)


def _is_han(character):
    return "\u3400" <= character <= "\u9fff" or "\uf900" <= character <= "\ufaff" or character in "·•"


# Roles that approve or administer: a second factor (TOTP) is required at login.
TWO_FACTOR_ROLES = {Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.STAFF, Role.UNIT_REVIEWER}


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit records are never changed")

    def delete(self):
        raise PermissionError("audit records are deleted only by the retention purge")


class AuditEvent(models.Model):
    """Who did what, when, from where: logins, refusals, exports, downloads, unmasked views, moves.
    Changes to records are in django-auditlog's LogEntry (values before and after). Neither is
    changed or deleted through the app; only the retention purge removes old ones."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("login")
        LOGOUT = "logout", _("logout")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOCKED_OUT = "locked_out", _("account locked")
        OTP_FAILED = "otp_failed", _("wrong second factor")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        DENIED = "denied", _("permission refused")
        NOT_FOUND = "not_found", _("record not found")
        EXPORT = "export", _("export")
        DOWNLOAD = "download", _("download")
        UNMASK = "unmask", _("personal data shown")
        MOVE = "move", _("application moved")
        TOKEN = "token", _("API token")
        PERSONAL_DATA = "personal_data", _("personal data exported or erased")
        ACCOUNT = "account", _("account administered")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey("User", verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    username = models.CharField(_("username"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit records are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit records are deleted only by the retention purge")


class ApiToken(models.Model):
    """A token for a machine client: scopes, an expiry, revocable. Only its hash is stored."""

    class Scope(models.TextChoices):
        TWINNING_READ = "twinning:read", _("read the registry")
        ATLAS_READ = "atlas:read", _("read map layers")
        TRIPS_CHECK = "trips:check", _("check trips against the rules")

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey("User", verbose_name=_("acts as"), on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=8, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
