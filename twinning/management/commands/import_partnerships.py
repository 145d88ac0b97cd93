"""`manage.py import_partnerships FILE [--side CODE] [--commit] [--json] [--user NAME]`.

The same engine as the import page (twinning.imports): without --commit it is a dry run;
with it, every row is written or none. Exit status 0 when every row is accepted (and, with
--commit, written), 1 otherwise.
"""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import Role, User
from geo.models import Division
from twinning import imports


class Command(BaseCommand):
    help = "Import a list of partnerships (xlsx, xls, csv) as published: a dry run unless --commit."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--side", help="GB/T 2260 code of the Chinese side for rows that name none "
                                           "(default: the home jurisdiction)")
        parser.add_argument("--commit", action="store_true", help="write all rows, or none")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--user", help="act as this user (default: the system administrator)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        code = options["side"] or settings.WAISHI_HOME_CODE
        side = Division.objects.filter(code=code).first()
        if side is None:
            raise CommandError(_("No division with the code %(code)s.") % {"code": code})
        user = self._user(options["user"])
        with path.open("rb") as fh:
            report = imports.understand(fh, path.name, what="partnerships", user=user, side=side)
        if options["commit"] and report.ok:
            imports.write(report, user=user)
        if options["json"]:
            # A file that cannot be read at all has no rows: why is said on stderr, the JSON keeps its shape.
            for message in report.file_errors:
                self.stderr.write(str(message))
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            self._print(report, options["commit"])
        if not report.ok or (options["commit"] and report.written != len(report.rows)):
            sys.exit(1)

    def _user(self, name):
        if name:
            user = User.objects.filter(username=name, is_active=True).first()
            if user is None:
                raise CommandError(_("No active user %(name)s.") % {"name": name})
            return user
        user = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError(_("No system administrator: create one (manage.py ensure_admin) or pass --user."))
        return user

    def _print(self, report, commit):
        for message in report.file_errors:
            self.stderr.write(str(message))
        for row in report.rows:
            result = row.result()
            understood = " | ".join(
                str(result[k] or "—") for k in ("chinese_side", "country", "foreign_name_zh", "foreign_name_en",
                                                 "signed_on", "lat", "lon")
            )
            mark = "✓" if row.ok else "✗"
            self.stdout.write(f"{mark} {row.line}: {understood}")
            for message in row.errors:
                self.stdout.write(f"    {_('error')}: {message}")
            for message in row.warnings:
                self.stdout.write(f"    {_('warning')}: {message}")
        self.stdout.write(
            _("%(rows)s rows: %(accepted)s accepted, %(rejected)s refused, %(written)s written.")
            % {"rows": len(report.rows), "accepted": report.accepted, "rejected": report.rejected,
               "written": report.written}
        )
        if not commit and report.ok:
            self.stdout.write(_("Dry run: nothing was written. Run again with --commit to write every row."))
