"""The service engine's records: an application to any online service, the
moves it made (who, when, from, to, comment; never edited afterwards) and the
notifications sent about it.

A service (trips, later invitations, APEC cards, ...) keeps its own data in its
app with a one-to-one link to `Application`; the workflow that moves it is
declared in the service's `workflow.py` (see eservices.workflow).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    owner_field = "owner"

    service = models.CharField(_("service"), max_length=30, db_index=True)
    number = models.CharField(_("number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="applications")
    owner = models.ForeignKey("geo.Division", verbose_name=_("owner jurisdiction"), on_delete=models.PROTECT,
                              related_name="+")
    state = models.CharField(_("state"), max_length=30, default="draft", db_index=True)
    version = models.PositiveIntegerField(default=1, help_text="raised by every move; guards concurrent moves")
    step = models.CharField(_("held by"), max_length=20, blank=True, help_text="the review step that holds it")
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return f"{self.number} {self.title}"


class ImmutableError(Exception):
    pass


class Move(models.Model):
    """One move of an application. Written once; saving it again or deleting it is refused."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="moves")
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from"), max_length=30)
    to_state = models.CharField(_("to"), max_length=30)
    step = models.CharField(_("step"), max_length=20, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    field_comments = models.JSONField(_("comments on fields"), default=dict, blank=True)
    snapshot = models.JSONField(default=dict, blank=True, help_text="the application's data as it was moved")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("move")
        verbose_name_plural = _("moves")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("a move is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("a move is never deleted")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="notifications")
    message = models.TextField()
    key = models.CharField(max_length=100, blank=True, help_text="for reminders: sent once per key")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~models.Q(key=""), name="notification_once")
        ]


class HolidayNotice(models.Model):
    """The State Council's notice of one year's public holidays and adjusted working days
    (国务院办公厅关于YYYY年部分节假日安排的通知), entered by the office in the admin when it is
    published. A year with a notice here is a year the working-day calendar covers."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("notice"), max_length=200,
                             help_text=_("Title and number, e.g. 国务院办公厅关于2027年部分节假日安排的通知"))
    published_on = models.DateField(_("published on"), null=True, blank=True)
    url = models.URLField(_("address"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("holiday notice")
        verbose_name_plural = _("holiday notices")

    def __str__(self):
        return f"{self.year} {self.title}"


class NoticeDay(models.Model):
    """A day the notice makes a holiday, or an adjusted working day (调休上班) on a weekend."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday")
        WORKDAY = "workday", _("adjusted working day")

    notice = models.ForeignKey(HolidayNotice, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=40, blank=True, help_text=_("e.g. 春节"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("day of the notice")
        verbose_name_plural = _("days of the notice")

    def clean(self):
        from django.core.exceptions import ValidationError

        # On the admin's add page the notice is not saved yet: its year is on the unsaved object.
        notice = self.notice if self.notice_id or "notice" in self._state.fields_cache else None
        if self.date and notice is not None and notice.year and self.date.year != notice.year:
            raise ValidationError({"date": _("This day is not in the year of the notice.")})
