"""Delete audit records older than the retention (WAISHI_AUDIT_RETENTION_DAYS, at least 180 days)."""

from datetime import timedelta

from auditlog.models import LogEntry
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import AuditEvent

MINIMUM_DAYS = 180  # GB/T 22239-2019 level 3: audit records kept at least six months


class Command(BaseCommand):
    help = "Delete audit events and change records older than the retention period."

    def handle(self, *args, **options):
        days = settings.WAISHI_AUDIT_RETENTION_DAYS
        if days < MINIMUM_DAYS:
            raise CommandError(f"retention of {days} days is under the minimum of {MINIMUM_DAYS}")
        cutoff = timezone.now() - timedelta(days=days)
        # The audit models refuse deletion through the app; the retention purge is the one way out.
        old_events = AuditEvent.objects.filter(at__lt=cutoff)
        events = old_events.count()
        old_events._raw_delete(old_events.db)
        changes, _ = LogEntry.objects.filter(timestamp__lt=cutoff).delete()
        self.stdout.write(f"audit events deleted: {events}; change records deleted: {changes} (older than {days} days)")
