"""The friendship-city registry (友城库): partnerships, their foreign side,
status history, agreement documents, exchanges and cooperation projects.

Every record has an owner jurisdiction (`owner`, a Chinese division); access is
decided from it by accounts.access.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from geo.models import LocalizedNameMixin
from geo.text import search_text


class Kind(models.TextChoices):
    SISTER = "sister", _("friendship city")
    EXCHANGE = "exchange", _("friendly exchange city")
    INTENT = "intent", _("intended partnership")


class Status(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("partnership status", "active")
    SUSPENDED = "suspended", _("suspended")
    ENDED = "ended", _("ended")


class PlaceType(models.TextChoices):
    ADMIN1 = "admin1", _("state / province / region")
    ADMIN2 = "admin2", _("county / district")
    CITY = "city", _("city / town")


class Vitality(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("vitality", "active")
    UNSTABLE = "unstable", _("unstable")
    DORMANT = "dormant", _("dormant")
    NO_RECORDS = "no_records", _("no exchanges recorded yet")


class Precision(models.TextChoices):
    """How much of a date the source gives: a day, a month ("1979年5月") or a year ("2014年")."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class OwnedModel(models.Model):
    owner_field = "owner"
    owner = models.ForeignKey(
        "geo.Division", verbose_name=_("owner jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class ForeignPlace(LocalizedNameMixin, models.Model):
    """The foreign side of a partnership: a city, county or state abroad."""

    country = models.ForeignKey("geo.Country", verbose_name=_("country"), on_delete=models.PROTECT)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    name_local = models.CharField(_("local name"), max_length=150, blank=True)
    name_given = models.CharField(
        _("name as given"), max_length=200, blank=True, help_text=_("The name exactly as the source wrote it.")
    )
    admin1 = models.CharField(_("state / province"), max_length=150, blank=True)
    unplaced_reason = models.TextField(_("why not placed"), blank=True)
    place_type = models.CharField(_("type"), max_length=10, choices=PlaceType.choices, default=PlaceType.CITY)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    gazetteer = models.ForeignKey("geo.Place", null=True, blank=True, on_delete=models.SET_NULL)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["country", "name_zh"]
        verbose_name = _("foreign place")
        verbose_name_plural = _("foreign places")

    def save(self, *args, **kwargs):
        self.search_text = search_text(self.name_zh, self.name_en, self.name_local)
        super().save(*args, **kwargs)


class Partnership(OwnedModel):
    cn_division = models.ForeignKey(
        "geo.Division", verbose_name=_("Chinese side"), on_delete=models.PROTECT, related_name="partnerships"
    )
    level = models.CharField(_("level"), max_length=12, editable=False, db_index=True)
    foreign = models.ForeignKey(ForeignPlace, verbose_name=_("foreign side"), on_delete=models.PROTECT)
    country = models.ForeignKey("geo.Country", verbose_name=_("country"), on_delete=models.PROTECT, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SISTER)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_precision = models.CharField(
        _("precision of the signing date"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    # The day from which the partnership counts in statistics as of a date: the signing day, or the last day of
    # the month or year when only those are known (docs/statistics.md#signing-dates). Derived on save.
    counts_from = models.DateField(null=True, blank=True, editable=False, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_on = models.DateField(_("status since"), null=True, blank=True)
    status_reason = models.TextField(_("reason for status"), blank=True)
    provenance = models.TextField(_("provenance"), blank=True, help_text=_("The document this record comes from."))
    notes = models.TextField(_("notes"), blank=True)
    published = models.BooleanField(_("published"), default=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["cn_division", "signed_on"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [models.UniqueConstraint(fields=["cn_division", "foreign"], name="unique_partnership_pair")]
        indexes = [
            models.Index(fields=["signed_on"]),
            models.Index(fields=["kind", "signed_on"]),
            models.Index(fields=["country", "signed_on"]),
        ]

    def __str__(self):
        return f"{self.cn_division.display_short} — {self.foreign.name}"

    def refresh_derived(self):
        from .dates import period_end

        self.counts_from = period_end(self.signed_on, self.signed_precision)
        self.level = self.cn_division.level
        self.country_id = self.foreign.country_id
        self.search_text = " ".join(
            [
                search_text(self.cn_division.name_zh, self.cn_division.short_name, self.cn_division.name_en),
                self.foreign.search_text,
                search_text(self.foreign.country.name_zh, self.foreign.country.name_en),
            ]
        )

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)


class StatusChange(models.Model):
    """History of a partnership's status; the statistics read status as of a date from it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    changed_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "id"]
        indexes = [models.Index(fields=["partnership", "changed_on"])]


def document_path(instance, filename):
    # Random names: the original name is kept in the record, never on disk.
    return f"agreements/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:8]}"


class AgreementDocument(models.Model):
    class DocKind(models.TextChoices):
        AGREEMENT = "agreement", _("agreement")
        MEMORANDUM = "memorandum", _("memorandum")
        INTENT = "intent", _("letter of intent")
        OTHER = "other", _("other")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    doc_kind = models.CharField(_("kind"), max_length=12, choices=DocKind.choices, default=DocKind.AGREEMENT)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_on", "id"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")

    def __str__(self):
        return self.title


class Exchange(OwnedModel):
    class ExchangeKind(models.TextChoices):
        VISIT_IN = "visit_in", _("incoming visit")
        VISIT_OUT = "visit_out", _("outgoing visit")
        ONLINE = "online", _("online meeting")
        EVENT = "event", _("event")
        AGREEMENT = "agreement", _("agreement signed")
        OTHER = "other", _("other")

    partnerships = models.ManyToManyField(Partnership, verbose_name=_("partnerships"), related_name="exchanges")
    kind = models.CharField(_("kind"), max_length=12, choices=ExchangeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    occurred_on = models.DateField(_("date"), db_index=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    delegation_size = models.PositiveIntegerField(_("people"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")

    def __str__(self):
        return f"{self.occurred_on} {self.title}"


class Project(OwnedModel):
    class Stage(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        TRACKED = "tracked", _("tracked")
        EVALUATED = "evaluated", _("evaluated")
        DELIVERED = "delivered", _("delivered")

    partnerships = models.ManyToManyField(Partnership, verbose_name=_("partnerships"), related_name="projects")
    title = models.CharField(_("title"), max_length=200)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.PROPOSED)
    proposed_on = models.DateField(_("proposed on"))
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["-proposed_on", "-id"]
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")

    def __str__(self):
        return self.title


class ProjectUpdate(models.Model):
    """One step in a project's life: a stage reached, with its date and note."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    stage = models.CharField(_("stage"), max_length=12, choices=Project.Stage.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    skip_reason = models.TextField(_("reason for skipping a stage"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]


class ImportJob(models.Model):
    """One upload of partnerships or exchanges: validated (dry run) first, written only when all rows are good."""

    class What(models.TextChoices):
        PARTNERSHIPS = "partnerships", _("partnerships")
        EXCHANGES = "exchanges", _("exchanges")

    class State(models.TextChoices):
        VALIDATING = "validating", _("validating")
        MAPPING = "mapping", _("columns to map")
        INVALID = "invalid", _("has errors")
        READY = "ready", _("ready to import")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    what = models.CharField(max_length=20, choices=What.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.VALIDATING)
    file = models.FileField(upload_to="imports/")
    original_name = models.CharField(max_length=255)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    preview = models.JSONField(default=list)
    created = models.PositiveIntegerField(default=0)
    # {field: header} as recognised or chosen by the user, and the Chinese side for rows that name none.
    mapping = models.JSONField(default=dict)
    headers = models.JSONField(default=list)
    side = models.ForeignKey("geo.Division", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self):
        return int(100 * self.processed / self.total) if self.total else 0


class ImportMapping(models.Model):
    """A column heading a user mapped by hand to a field, remembered for the next file."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=20, choices=ImportJob.What.choices)
    header_key = models.CharField(max_length=200)
    field = models.CharField(max_length=40)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "what", "header_key"], name="unique_import_mapping")]
