"""Back up the database and the uploaded files to one dated archive (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.backup import BackupError, create_backup, default_directory


class Command(BaseCommand):
    help = (
        "Write waishi-backup-YYYYMMDD-HHMMSS.tar.gz (data.json, media/, manifest.json) "
        "into --output (default: VAR_DIR/backups)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help=f"directory for the archive (default: {default_directory()})")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            backup = create_backup(output=options["output"], using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.manifest
        if options["verbosity"] == 0:
            return
        self.stdout.write(str(backup.path))
        for label, count in manifest["counts"].items():
            if count or options["verbosity"] >= 2:
                self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            _("%(records)d records of %(models)d models, %(files)d media files (%(bytes)d bytes)")
            % {
                "records": manifest["records"],
                "models": sum(1 for count in manifest["counts"].values() if count),
                "files": manifest["media_files"],
                "bytes": manifest["media_bytes"],
            }
        )
