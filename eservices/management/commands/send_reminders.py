"""Remind the holders of applications due tomorrow or overdue (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from eservices.notify import remind


class Command(BaseCommand):
    help = "Send deadline reminders (in the app and by e-mail), once per deadline."

    def add_arguments(self, parser):
        parser.add_argument("--days-ahead", type=int, default=1)

    def handle(self, *args, **options):
        from trips.workflow import remind_trip_deadlines

        count = remind(days_ahead=options["days_ahead"]) + remind_trip_deadlines()
        self.stdout.write(f"reminders sent: {count}")
