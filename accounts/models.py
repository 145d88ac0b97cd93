"""Users, their role and the jurisdiction they act for; applicant units (申请单位)
and the people of those units, entered once and reused by every application."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("system administrator")
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
        help_text=_("The steps an application passes, in order: unit, department, fao (comma-separated)."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name_zh

    def steps(self):
        """The review steps of this unit, the department step dropped when it has no competent department."""
        steps = [s.strip() for s in self.review_chain.split(",") if s.strip() in self.Step.values]
        if self.competent_id is None:
            steps = [s for s in steps if s != self.Step.DEPARTMENT]
        return steps or [self.Step.FAO]


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
    email_notifications = models.BooleanField(_("notify me by e-mail"), default=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def can_write(self):
        return self.is_active and (self.is_superuser or self.role in {Role.ADMIN, Role.STAFF})

    def role_label(self):
        return self.get_role_display()
