"""Restore the database and the uploaded files from an archive made by `manage.py backup`."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.backup import BackupError, restore_backup, verify_archive


class Command(BaseCommand):
    help = (
        "Check an archive made by `backup` against its manifest and the database's migration state, "
        "then replace ALL data and uploaded files by the archive's."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a waishi-backup-*.tar.gz file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        using = options["database"]
        try:
            verified = verify_archive(options["archive"], using=using)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = verified.manifest
        verbosity = options["verbosity"]
        if verbosity or not options["yes"]:
            self.stdout.write(
                _("Archive of %(created_at)s (%(vendor)s): %(records)d records, %(files)d media files; checksums match.")
                % {
                    "created_at": manifest.get("created_at", "?"),
                    "vendor": manifest.get("database_vendor", "?"),
                    "records": sum((manifest.get("counts") or {}).values()),
                    "files": len(verified.media_files),
                }
            )
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError(_("Refusing to restore without --yes when not run from a terminal."))
            answer = input(
                _("This replaces ALL data in the database and ALL uploaded files. Type 'yes' to continue: ")
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("Restore cancelled; nothing was changed."))
        try:
            counts, files = restore_backup(verified, using=using)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity == 0:
            return
        for label, count in counts.items():
            if count or verbosity >= 2:
                self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            _("Restored %(records)d records of %(models)d models and %(files)d media files.")
            % {
                "records": sum(counts.values()),
                "models": sum(1 for count in counts.values() if count),
                "files": files,
            }
        )
