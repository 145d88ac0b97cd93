"""Official trips abroad and to Hong Kong / Macao (因公临时出国(境), 因公赴港澳):
annual plans, the trip with its delegation, itinerary and budget, the rules it
is checked against, passports and their loans, and what follows the trip
(publicity, report, disclosure).

A trip is an application of the service engine (eservices.Application, one to
one); its workflow is in trips/workflow.py, its rules in trips/rules.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TripKind(models.TextChoices):
    ABROAD = "abroad", _("official trip abroad")
    HK_MACAO = "hk_macao", _("official trip to Hong Kong or Macao")


class Purpose(models.TextChoices):
    TALKS = "talks", _("official talks and visits")
    BUSINESS = "business", _("trade and investment")
    ACADEMIC = "academic", _("academic exchange")
    TRAINING = "training", _("training")
    CONFERENCE = "conference", _("international conference")
    FRIENDSHIP = "friendship", _("friendship-city exchange")
    OTHER = "other", _("other")


class AnnualPlan(models.Model):
    """A unit's plan of trips for a year, filed by the end of November of the year before."""

    owner_field = "unit__jurisdiction"

    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="trip_plans")
    year = models.PositiveIntegerField(_("year"))
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-year", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_plan_per_unit_year")]
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")

    def __str__(self):
        return f"{self.unit} {self.year}"


class PlannedTrip(models.Model):
    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="trips")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=TripKind.choices, default=TripKind.ABROAD)
    countries = models.ManyToManyField("geo.Country", verbose_name=_("countries or regions"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    size = models.PositiveSmallIntegerField(_("people"), default=1)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.TALKS)

    class Meta:
        ordering = ["plan", "month", "id"]
        verbose_name = _("planned trip")
        verbose_name_plural = _("planned trips")

    def __str__(self):
        return self.title


class Trip(models.Model):
    owner_field = "application__owner"

    application = models.OneToOneField("eservices.Application", on_delete=models.PROTECT, related_name="trip")
    kind = models.CharField(_("kind"), max_length=10, choices=TripKind.choices, default=TripKind.ABROAD)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    tasks = models.TextField(_("purpose and tasks"))
    invitation_issuer = models.CharField(_("invitation issued by"), max_length=200, blank=True)
    invitation_issuer_kind = models.CharField(
        _("kind of issuer"), max_length=12, blank=True,
        choices=[("government", _("government or parliament")), ("university", _("university or institute")),
                 ("company", _("company")), ("organisation", _("international organisation")),
                 ("other", _("other"))],
    )
    departs_on = models.DateField(_("leaves China on"))
    returns_on = models.DateField(_("re-enters China on"))
    planned = models.ForeignKey(PlannedTrip, verbose_name=_("in the annual plan as"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="applications")
    reasons = models.JSONField(_("reasons for exceptions"), default=dict, blank=True,
                               help_text="rule code -> the applicant's written reason")
    rule_results = models.JSONField(default=list, blank=True, help_text="the checks at the last submission")
    approval_number = models.CharField(_("approval number"), max_length=40, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    publicity_from = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_to = models.DateField(_("publicity until"), null=True, blank=True)
    report_due_on = models.DateField(_("report due on"), null=True, blank=True)
    report = models.TextField(_("trip report"), blank=True)
    report_submitted_on = models.DateField(_("report submitted on"), null=True, blank=True)
    disclosed_on = models.DateField(_("disclosed on"), null=True, blank=True)
    disclosure = models.TextField(_("post-trip disclosure"), blank=True)

    class Meta:
        ordering = ["-departs_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["approval_number"], condition=~models.Q(approval_number=""),
                                               name="unique_approval_number")]
        verbose_name = _("trip")
        verbose_name_plural = _("trips")

    def __str__(self):
        return self.application.title

    @property
    def days_abroad(self):
        """Days outside mainland China, the day of leaving and the day of return both counted."""
        return (self.returns_on - self.departs_on).days + 1


class ApprovalSequence(models.Model):
    """The last approval number given under a prefix (the office's and the year's: 湘外审〔2027〕).
    Locked while a number is taken, so concurrent approvals never take the same one."""

    prefix = models.CharField(max_length=40, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.prefix}{self.last:04d}"


class Member(models.Model):
    class GroupRole(models.TextChoices):
        LEADER = "leader", _("head of delegation")
        MEMBER = "member", _("member")
        INTERPRETER = "interpreter", _("interpreter")

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("accounts.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="trip_memberships")
    group_role = models.CharField(_("role in the delegation"), max_length=12, choices=GroupRole.choices,
                                  default=GroupRole.MEMBER)
    post = models.CharField(_("post"), max_length=100, blank=True, help_text=_("as at the time of the trip"))
    rank = models.CharField(_("rank"), max_length=10, blank=True)
    passport = models.ForeignKey("Passport", verbose_name=_("passport"), null=True, blank=True,
                                 on_delete=models.SET_NULL)

    class Meta:
        ordering = ["trip", "id"]
        constraints = [models.UniqueConstraint(fields=["trip", "person"], name="person_once_per_trip")]
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")


class Stop(models.Model):
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    country = models.ForeignKey("geo.Country", verbose_name=_("country or region"), on_delete=models.PROTECT)
    city = models.CharField(_("city"), max_length=100, blank=True)
    arrives_on = models.DateField(_("arrives on"), null=True, blank=True)
    leaves_on = models.DateField(_("leaves on"), null=True, blank=True)
    transit = models.BooleanField(_("transit only"), default=False)

    class Meta:
        ordering = ["trip", "order", "id"]
        verbose_name = _("stop")
        verbose_name_plural = _("itinerary")


class BudgetItem(models.Model):
    class Item(models.TextChoices):
        TRAVEL = "travel", _("international travel")
        LODGING = "lodging", _("accommodation")
        MEALS = "meals", _("meals and incidentals")
        LOCAL = "local", _("local transport")
        FEES = "fees", _("fees (training, conference)")
        OTHER = "other", _("other")

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="budget")
    item = models.CharField(_("item"), max_length=10, choices=Item.choices)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["trip", "id"]


class Rule(models.Model):
    """A rule trips are checked against: data with an effective period and a jurisdiction,
    kept by the provincial office. `code` selects the check in trips/rules.py; `params` tune it."""

    class Severity(models.TextChoices):
        BLOCK = "block", _("blocks submission")
        REASON = "reason", _("needs a written reason")
        WARN = "warn", _("warning")

    code = models.SlugField(_("check"), max_length=40)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    severity = models.CharField(_("severity"), max_length=6, choices=Severity.choices, default=Severity.BLOCK)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    applies_to = models.CharField(_("applies to"), max_length=10, blank=True, choices=TripKind.choices,
                                  help_text=_("blank: both kinds of trip"))
    jurisdiction = models.ForeignKey("geo.Division", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                                     related_name="+")
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True, help_text=_("exclusive"))
    source = models.TextField(_("source"), help_text=_("the document and article this rule comes from"))

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self):
        return self.name_zh


class Passport(models.Model):
    """An official passport or permit, kept by the unit and lent for an approved trip."""

    owner_field = "person__unit__jurisdiction"

    class Kind(models.TextChoices):
        PASSPORT = "passport", _("official passport")
        HK_MACAO = "hk_macao", _("official permit for Hong Kong and Macao")

    person = models.ForeignKey("accounts.Person", verbose_name=_("holder"), on_delete=models.PROTECT,
                               related_name="passports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PASSPORT)
    number = models.CharField(_("number"), max_length=20)
    expires_on = models.DateField(_("valid until"))

    class Meta:
        ordering = ["person", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="unique_passport_number")]
        verbose_name = _("passport")
        verbose_name_plural = _("passports")

    def __str__(self):
        # Masked: this text ends up in logs and lists; the number is shown in full only where allowed.
        return f"{self.get_kind_display()} …{self.number[-3:]}"


class PassportLoan(models.Model):
    """A passport checked out for a trip; due back a week after return."""

    passport = models.ForeignKey(Passport, on_delete=models.PROTECT, related_name="loans")
    trip = models.ForeignKey(Trip, on_delete=models.PROTECT, related_name="loans")
    lent_on = models.DateField(_("lent on"))
    due_on = models.DateField(_("due back on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("passport loan")
        verbose_name_plural = _("passport loans")


class ApprovalVersion(models.Model):
    """One issue of a trip's approval document (批件) and its pre-trip publicity notice. Each approval
    issues a new version; a change after approval or a withdrawal voids the version in force, which
    is then never served as valid again (trips/documents.py decides what is current)."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="approvals")
    version = models.PositiveSmallIntegerField(_("version"))
    approval_number = models.CharField(_("approval number"), max_length=40)
    approved_on = models.DateField(_("approved on"))
    publicity_from = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_to = models.DateField(_("publicity until"), null=True, blank=True)
    voided_on = models.DateField(_("void since"), null=True, blank=True)
    void_action = models.CharField(_("voided by the move"), max_length=30, blank=True)
    void_reason = models.TextField(_("reason it is void"), blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["trip", "-version"]
        constraints = [models.UniqueConstraint(fields=["trip", "version"], name="one_approval_version_per_number")]
        verbose_name = _("approval document version")
        verbose_name_plural = _("approval document versions")

    def __str__(self):
        return f"{self.approval_number} ({self.version})"

    @property
    def is_void(self):
        return self.voided_on is not None
