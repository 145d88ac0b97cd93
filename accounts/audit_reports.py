"""The audit of a period for the audit administrator: events (accounts.AuditEvent) and
changes to records (django-auditlog LogEntry with values before and after), as pages
and as an Excel file."""

from datetime import datetime, time

from auditlog.models import LogEntry
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from twinning.exports import sheet, to_bytes

from .models import AuditEvent


def _bounds(date_from, date_to):
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(date_from, time.min), tz),
            timezone.make_aware(datetime.combine(date_to, time.max), tz))


def period(date_from, date_to, kind="", username=""):
    start, end = _bounds(date_from, date_to)
    events = AuditEvent.objects.filter(at__gte=start, at__lte=end).select_related("actor")
    changes = LogEntry.objects.filter(timestamp__gte=start, timestamp__lte=end).select_related("actor",
                                                                                               "content_type")
    if kind:
        events = events.filter(kind=kind)
    if username:
        events = events.filter(username=username)
        changes = changes.filter(actor__username=username)
    return events.order_by("-at", "-id"), changes.order_by("-timestamp", "-id")


def workbook(events, changes):
    wb = Workbook()
    sheet(wb, _("Events"), [_("Time"), _("User"), _("Kind"), _("Address"), _("Method"), _("Path"), _("Object"),
                            _("Detail")],
          [(timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.username, e.get_kind_display(), e.ip or "",
            e.method, e.path, e.object_repr, str(e.detail)) for e in events.iterator()], first=True)
    actions = dict(LogEntry.Action.choices)
    sheet(wb, _("Changes"), [_("Time"), _("User"), _("Action"), _("Address"), _("Record"), _("Before and after")],
          [(timezone.localtime(c.timestamp).strftime("%Y-%m-%d %H:%M:%S"), c.actor.username if c.actor else "",
            str(actions.get(c.action, c.action)), c.remote_addr or "",
            f"{c.content_type.app_label}.{c.content_type.model} #{c.object_pk} {c.object_repr}", str(c.changes))
           for c in changes.iterator()])
    return to_bytes(wb)
