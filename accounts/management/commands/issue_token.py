"""Issue an API token for a machine client; the key is printed once."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import ApiToken, User
from accounts.tokens import issue


class Command(BaseCommand):
    help = "Issue a scoped, expiring API token acting as a user. Scopes: " + ", ".join(ApiToken.Scope.values)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True)
        parser.add_argument("--scope", action="append", dest="scopes", required=True)
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError("no active user of that name")
        if not 1 <= options["days"] <= 366:
            raise CommandError("a token lives 1 to 366 days")
        try:
            token, key = issue(user=user, name=options["name"], scopes=options["scopes"], days=options["days"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"token {token} expires {token.expires_at:%Y-%m-%d}; key (shown once): {key}")
