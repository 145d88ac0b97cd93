"""Backup and restore of the database and the uploaded files (等级保护: 备份与恢复).

`create_backup` writes one dated archive, `waishi-backup-YYYYMMDD-HHMMSS.tar.gz`:

    data.json      every application record (Django's dumpdata format, natural foreign keys,
                   times to the microsecond; loaded back with loaddata)
    media/...      every file under MEDIA_ROOT
    manifest.json  when and from what it was made, the migration state, the number of
                   records per model and the sha256 of data.json and of each media file

`verify_archive` checks an archive against its manifest and against the database's
migration state without changing anything; `restore_backup` then replaces the
database's content and MEDIA_ROOT's content by the archive's, in one transaction,
with the media swapped in only once the database is loaded. See docs/operations.md.
"""

import contextlib
import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.utils import parse_apps_and_model_labels
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.timezone import is_aware
from django.utils.translation import gettext as _

FORMAT = 1
ARCHIVE_PREFIX = "waishi-backup-"
ARCHIVE_SUFFIX = ".tar.gz"
DATA = "data.json"
MANIFEST = "manifest.json"
MEDIA = "media"
# Rebuilt by `migrate`/`flush` (content types, permissions) or not worth keeping (sessions).
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
# Work directories the restore makes inside MEDIA_ROOT; never backed up.
WORK_PREFIX = ".waishi-restore-"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass
class Backup:
    path: Path
    manifest: dict


@dataclass
class Verified:
    """An archive whose members all match its manifest."""

    path: Path
    manifest: dict
    members: dict = field(default_factory=dict)  # member name -> sha256
    directories: list = field(default_factory=list)  # media/... directory members, kept even when empty

    @property
    def media_files(self):
        return sorted(name for name in self.members if name.startswith(MEDIA + "/"))


# --- helpers -------------------------------------------------------------------

def default_directory():
    return Path(settings.VAR_DIR) / "backups"


class _HashingReader:
    """Reads a file for tarfile while hashing what it reads."""

    def __init__(self, f):
        self.f = f
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.f.read(size)
        self.digest.update(data)
        return data


def migration_state(using=DEFAULT_DB_ALIAS):
    """The latest applied migration of each app, from django_migrations."""
    state = {}
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return state
    for app, name in recorder.migration_qs.values_list("app", "name"):
        # Migration names start with their zero-padded number, so the greatest is the latest.
        if name > state.get(app, ""):
            state[app] = name
    return dict(sorted(state.items()))


def backed_up_models(using=DEFAULT_DB_ALIAS):
    """The models whose rows go into data.json, in dumpdata's order (a model after those
    whose natural keys it refers to)."""
    excluded_models, excluded_apps = parse_apps_and_model_labels(EXCLUDED)
    app_list = {
        app_config: None
        for app_config in apps.get_app_configs()
        if app_config.models_module is not None and app_config not in excluded_apps
    }
    return [
        model
        for model in serializers.sort_dependencies(app_list.items(), allow_cycles=True)
        if model not in excluded_models and not model._meta.proxy and router.allow_migrate_model(using, model)
    ]


def database_counts(labels, using=DEFAULT_DB_ALIAS):
    return {label: apps.get_model(label)._base_manager.using(using).count() for label in labels}


def media_files(media_root, exclude=()):
    """Every directory and regular file under media_root, as sorted lists of
    (relative posix path, absolute path); symbolic links are left out."""
    media_root = Path(media_root)
    directories, files = [], []
    if not media_root.is_dir():
        return directories, files
    exclude = [Path(p).resolve() for p in exclude]
    for directory, dirnames, filenames in os.walk(media_root):
        here = Path(directory)
        dirnames[:] = sorted(
            d for d in dirnames
            if not (here == media_root and d.startswith(WORK_PREFIX))
            and not (here / d).is_symlink()
            and (here / d).resolve() not in exclude
        )
        directories.extend((((here / d).relative_to(media_root).as_posix()), here / d) for d in dirnames)
        for name in sorted(filenames):
            path = here / name
            if path.is_symlink() or not path.is_file():
                continue
            files.append((path.relative_to(media_root).as_posix(), path))
    return directories, files


def _fsync_directory(path):
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _tarinfo(name, size, mtime, directory=False):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o700 if directory else 0o600
    if directory:
        info.type = tarfile.DIRTYPE
    return info


# --- backup --------------------------------------------------------------------

class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps the microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime) or (isinstance(o, datetime.time) and not is_aware(o)):
            return o.isoformat()
        return super().default(o)


def dump_data(path, using=DEFAULT_DB_ALIAS):
    """Write every record to path as `dumpdata --natural-foreign --all` would, but with exact
    times, in one transaction so that the records are a consistent snapshot.

    Returns the number of records per model.
    """
    models = backed_up_models(using)
    counts = {model._meta.label_lower: 0 for model in models}

    def objects():
        for model in models:
            label = model._meta.label_lower
            for obj in model._base_manager.using(using).order_by(model._meta.pk.name).iterator():
                counts[label] += 1
                yield obj

    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            # Every table read from the same snapshot, even while the application writes.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with open(path, "w", encoding="utf-8") as stream:
            serializers.serialize(
                "json", objects(), stream=stream, indent=1, use_natural_foreign_keys=True, cls=ExactJSONEncoder
            )
    return dict(sorted(counts.items()))


def create_backup(output=None, using=DEFAULT_DB_ALIAS, now=None):
    """Write the archive into `output` (default VAR_DIR/backups) and return a Backup."""
    directory = Path(output) if output else default_directory()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = timezone.localtime(now or timezone.now())
    final = directory / f"{ARCHIVE_PREFIX}{now:%Y%m%d-%H%M%S}{ARCHIVE_SUFFIX}"
    if final.exists():
        raise BackupError(_("The archive %(path)s already exists; try again in a second.") % {"path": final})
    media_root = Path(settings.MEDIA_ROOT)

    data_fd, data_name = tempfile.mkstemp(prefix=".waishi-data-", suffix=".json", dir=directory)
    os.close(data_fd)
    data_path, archive_path = Path(data_name), None
    try:
        counts = dump_data(data_path, using=using)
        archive_fd, archive_name = tempfile.mkstemp(prefix=".waishi-backup-", suffix=".tmp", dir=directory)
        archive_path = Path(archive_name)
        hashes = {}
        media_bytes = 0
        with os.fdopen(archive_fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
                stat = data_path.stat()
                with open(data_path, "rb") as f:
                    reader = _HashingReader(f)
                    tar.addfile(_tarinfo(DATA, stat.st_size, stat.st_mtime), reader)
                hashes[DATA] = reader.digest.hexdigest()
                directories, files = media_files(media_root, exclude=[directory])
                for relative, path in directories:
                    tar.addfile(_tarinfo(f"{MEDIA}/{relative}", 0, path.stat().st_mtime, directory=True))
                for relative, path in files:
                    stat = path.stat()
                    name = f"{MEDIA}/{relative}"
                    with open(path, "rb") as f:
                        reader = _HashingReader(f)
                        tar.addfile(_tarinfo(name, stat.st_size, stat.st_mtime), reader)
                    hashes[name] = reader.digest.hexdigest()
                    media_bytes += stat.st_size
                manifest = {
                    "format": FORMAT,
                    "application": "waishi",
                    "created_at": now.isoformat(),
                    "django_version": django.get_version(),
                    "database_vendor": connections[using].vendor,
                    "migrations": migration_state(using),
                    "counts": counts,
                    "records": sum(counts.values()),
                    "media_files": len(hashes) - 1,
                    "media_bytes": media_bytes,
                    "sha256": hashes,
                }
                body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
                tar.addfile(_tarinfo(MANIFEST, len(body), now.timestamp()), io.BytesIO(body))
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(archive_path, 0o600)
        os.replace(archive_path, final)
        _fsync_directory(directory)
    except BaseException:
        if archive_path is not None:
            archive_path.unlink(missing_ok=True)
        raise
    finally:
        data_path.unlink(missing_ok=True)
    return Backup(path=final, manifest=manifest)


# --- verification --------------------------------------------------------------

def _safe_member_name(name):
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")) or "\\" in name:
        return False
    return name in (DATA, MANIFEST) or (path.parts[0] == MEDIA and len(path.parts) > 1)


def verify_archive(archive, using=DEFAULT_DB_ALIAS):
    """Check every member against the manifest and the migration state against the database.

    Raises BackupError and changes nothing if anything differs.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(_("No such archive: %(path)s") % {"path": archive})
    members, directories = {}, []
    manifest_body = None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                if member.isdir() and member.name.startswith(MEDIA + "/") and _safe_member_name(member.name):
                    directories.append(member.name)
                    continue
                if not member.isfile() or not _safe_member_name(member.name):
                    raise BackupError(_("The archive holds an unexpected member: %(name)s") % {"name": member.name})
                if member.name in members or (member.name == MANIFEST and manifest_body is not None):
                    raise BackupError(_("The archive holds %(name)s twice.") % {"name": member.name})
                f = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest_body = f.read()
                    continue
                digest = hashlib.sha256()
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
                members[member.name] = digest.hexdigest()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(_("The archive cannot be read: %(error)s") % {"error": exc}) from exc
    if manifest_body is None or DATA not in members:
        raise BackupError(_("This is not a Waishi backup archive (no manifest.json or data.json)."))
    try:
        manifest = json.loads(manifest_body)
    except ValueError as exc:
        raise BackupError(_("The archive's manifest.json is not valid JSON.")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("sha256"), dict):
        raise BackupError(_("The archive's manifest.json is not of a format this version can restore."))

    expected = manifest["sha256"]
    differing = sorted(name for name in members if expected.get(name) != members[name])
    missing = sorted(set(expected) - set(members))
    if differing or missing:
        raise BackupError(
            _("The archive does not match its manifest; nothing was changed. Differing: %(differing)s. Missing: %(missing)s.")
            % {"differing": ", ".join(differing) or "-", "missing": ", ".join(missing) or "-"}
        )

    current = migration_state(using)
    archived = manifest.get("migrations") or {}
    if archived != current:
        apps_differing = sorted(app for app in set(archived) | set(current) if archived.get(app) != current.get(app))
        details = "; ".join(
            f"{app}: {archived.get(app, '-')} ≠ {current.get(app, '-')}" for app in apps_differing
        )
        raise BackupError(
            _("The archive's migration state differs from the database's (archive ≠ database: %(details)s); "
              "nothing was changed. Restore into an installation at the same version.")
            % {"details": details}
        )
    return Verified(path=archive, manifest=manifest, members=members, directories=directories)


# --- restore -------------------------------------------------------------------

def _extract(verified, staging, data_path):
    """Write data.json to data_path and the media into staging, checking every hash again."""
    for name in verified.directories:
        (staging / name[len(MEDIA) + 1:]).mkdir(parents=True, exist_ok=True)
    with tarfile.open(verified.path, mode="r:gz") as tar:
        for member in tar:
            if member.name not in verified.members:
                continue
            target = data_path if member.name == DATA else staging / member.name[len(MEDIA) + 1:]
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            source = tar.extractfile(member)
            with open(target, "wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != verified.members[member.name]:
                raise BackupError(_("The archive changed while it was being restored; nothing was changed."))


def _swap_media(media_root, staging, old):
    """Move MEDIA_ROOT's entries into `old` and staging's into MEDIA_ROOT; return an undo function."""
    moved_out, moved_in = [], []

    def undo():
        for name in reversed(moved_in):
            os.replace(media_root / name, staging / name)
        for name in reversed(moved_out):
            os.replace(old / name, media_root / name)

    try:
        for entry in sorted(os.listdir(media_root)):
            if entry.startswith(WORK_PREFIX):
                continue
            os.replace(media_root / entry, old / entry)
            moved_out.append(entry)
        for entry in sorted(os.listdir(staging)):
            os.replace(staging / entry, media_root / entry)
            moved_in.append(entry)
    except BaseException:
        undo()
        raise
    return undo


def restore_backup(verified, using=DEFAULT_DB_ALIAS):
    """Replace the database's and MEDIA_ROOT's content by a verified archive's.

    The database is flushed and loaded in one transaction; the media are unpacked into a
    work directory first and swapped in at the end of it, so any failure leaves the old
    data and files. Returns the records per model and the number of media files restored.
    """
    from auditlog.context import disable_auditlog

    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=WORK_PREFIX + "new-", dir=media_root))
    old = Path(tempfile.mkdtemp(prefix=WORK_PREFIX + "old-", dir=media_root))
    data_fd, data_name = tempfile.mkstemp(prefix="waishi-restore-", suffix=".json")
    os.close(data_fd)
    data_path = Path(data_name)
    expected = verified.manifest.get("counts") or {}
    undo = None
    restored = False
    try:
        _extract(verified, staging, data_path)
        try:
            # The restored audit log is the archive's; loading must not add entries of its own.
            with disable_auditlog(), transaction.atomic(using=using):
                # Leaves django_migrations alone and re-creates content types and permissions.
                call_command("flush", interactive=False, database=using, verbosity=0)
                call_command("loaddata", str(data_path), database=using, verbosity=0)
                counts = database_counts(expected, using=using)
                if counts != expected:
                    wrong = sorted(label for label in expected if counts[label] != expected[label])
                    raise BackupError(
                        _("The restored records do not match the manifest (%(models)s); nothing was changed.")
                        % {"models": ", ".join(wrong)}
                    )
                undo = _swap_media(media_root, staging, old)
        except BaseException:
            if undo is not None:
                undo()
            raise
        restored = True
    finally:
        # Content type ids change with a flush, and go back with a rollback.
        ContentType.objects.clear_cache()
        data_path.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        if restored:
            shutil.rmtree(old, ignore_errors=True)
        else:
            # Empty unless putting the old files back failed: then they are kept there.
            with contextlib.suppress(OSError):
                old.rmdir()
    return counts, len(verified.media_files)
