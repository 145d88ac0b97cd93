"""Backup and restore (等级保护 第三级: 备份与恢复): `manage.py backup` writes one archive of
the database and the uploaded files, `manage.py restore` puts exactly that back.

The round trip flushes the database, so it runs as a transactional test, whose end
flushes the database once more: the `reference_data_back` fixture puts the session's
reference data back afterwards so that the tests that follow see what they expect.
"""

import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import translation

from accounts import backup
from accounts.models import User
from geo.models import Division
from trips.models import Member, Stop, Trip
from twinning.models import AgreementDocument, Partnership, StatusChange
from twinning.services import change_status

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def reference_data_back(django_db_setup, django_db_blocker, tmp_path_factory):
    """Requested before `transactional_db`, so set up before it and torn down after the flush
    that ends a transactional test: copies the session's database aside and puts it back
    after that flush, exactly (ids, times, sequences), for the tests that follow."""
    with django_db_blocker.unblock():
        snapshot = take_snapshot(tmp_path_factory.mktemp("snapshot"))
    yield
    with django_db_blocker.unblock():
        assert not Division.objects.exists(), "expected the transactional test's flush to have run first"
        put_back(snapshot)
        ContentType.objects.clear_cache()


def model_tables():
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def take_snapshot(directory):
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:")
        connection.connection.backup(copy)
        return copy
    if connection.vendor == "postgresql":
        tables = {}
        with connection.cursor() as cursor:
            for table in model_tables():
                with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT (FORMAT binary)") as copy:
                    tables[table] = b"".join(bytes(chunk) for chunk in copy)
        return tables
    path = directory / "session.json"  # any other database: slower, through the serializers
    backup.dump_data(path)
    return path


def put_back(snapshot):
    if connection.vendor == "sqlite":
        snapshot.backup(connection.connection)
        snapshot.close()
    elif connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            # Foreign keys are deferred to the commit, so the order of the tables does not matter.
            cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in snapshot)} RESTART IDENTITY")
            for table, data in snapshot.items():
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(data)
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
                cursor.execute(sql)
    else:
        from auditlog.context import disable_auditlog

        with disable_auditlog():
            call_command("loaddata", str(snapshot), verbosity=0)


@pytest.fixture(autouse=True)
def english():
    """The commands speak the active language; the assertions read the English messages."""
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _value(o):
    return o.isoformat() if hasattr(o, "isoformat") else str(o)


def canonical_dump():
    """Every record of every model, sorted by model and pk, with exact values (times to the
    microsecond). Content types and permissions are re-created by a flush under new ids, so
    they are compared by their natural keys."""
    dump = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        by_natural_key = model in (ContentType, Permission)
        rows = serializers.serialize(
            "python", model._base_manager.order_by("pk"),
            use_natural_foreign_keys=True, use_natural_primary_keys=by_natural_key,
        )
        for row in rows:
            for m2m in model._meta.many_to_many:
                row["fields"][m2m.name] = sorted(row["fields"][m2m.name], key=repr)
        text = [json.dumps(row, default=_value, sort_keys=True, ensure_ascii=False) for row in rows]
        dump[model._meta.label_lower] = sorted(text) if by_natural_key else text
    return dump


def media_hashes(root):
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*")) if path.is_file()
    }


def populate(trip, actors, media):
    """A user, a status change, a trip with its application, members and stop (the `trip`
    fixture), an agreement document uploaded through its FileField and a stray file."""
    fao = actors["fao"]
    User.objects.create_user(username="backup-clerk", password="Secret-pass-1", role="staff",
                             jurisdiction_id="430100", email="backup@example.org")
    partnership = Partnership.objects.get(foreign__name_zh="鹿儿岛市")
    change_status(partnership, user=fao, status="suspended", on=date(2026, 3, 1), reason="疫情后暂停交流")
    document = AgreementDocument(partnership=partnership, title="友好城市协议书", doc_kind="agreement",
                                 original_name="协议.pdf", content_type="application/pdf", uploaded_by=fao)
    document.file.save("协议.pdf", ContentFile(PDF), save=True)
    (media / "atlas-imports").mkdir()
    (media / "atlas-imports" / "导入-草稿.csv").write_text("code,name\n430100,长沙市\n", encoding="utf-8")
    assert Trip.objects.get() == trip and Member.objects.filter(trip=trip).count() == 2
    assert Stop.objects.filter(trip=trip).count() == 1
    return document


def test_backup_then_restore_gives_back_every_record_and_file(reference_data_back, transactional_db, media,
                                                                tmp_path, trip, actors, capsys):
    populate(trip, actors, media)
    out = tmp_path / "backups"
    call_command("backup", output=str(out))
    archive = next(out.glob("waishi-backup-*.tar.gz"))
    assert archive.stat().st_mode & 0o777 == 0o600
    assert not [p for p in out.iterdir() if p != archive], "no temporary file is left behind"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert {"data.json", "manifest.json", "media/atlas-imports/导入-草稿.csv"} <= set(names)
    assert manifest["counts"]["trips.trip"] == 1 and manifest["counts"]["trips.stop"] == 1
    assert not {"contenttypes.contenttype", "auth.permission", "sessions.session"} & set(manifest["counts"])
    assert manifest["migrations"]["accounts"] and manifest["database_vendor"]
    assert manifest["counts"]["twinning.agreementdocument"] == 1
    before, files_before = canonical_dump(), media_hashes(media)
    assert len(files_before) == 2 == manifest["media_files"]
    records = sum(len(rows) for rows in before.values())
    capsys.readouterr()

    # Disaster: every record and every uploaded file is gone.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    media.mkdir()
    (media / "written-after-the-backup.txt").write_text("x")
    assert not Division.objects.exists() and not User.objects.exists()

    call_command("restore", str(archive), yes=True)
    output = capsys.readouterr().out
    assert canonical_dump() == before
    assert media_hashes(media) == files_before
    assert not [p for p in media.iterdir() if p.name.startswith(backup.WORK_PREFIX)]
    restored = sum(manifest["counts"].values())
    assert f"Restored {restored} records" in output and f"and {len(files_before)} media files" in output
    document = AgreementDocument.objects.get()
    assert document.file.read() == PDF

    # New rows get fresh ids after the restore (sequences reset on PostgreSQL).
    max_ids = {model: model.objects.order_by("-pk").values_list("pk", flat=True).first()
               for model in (User, StatusChange, AgreementDocument)}
    user = User.objects.create_user(username="after-restore", password="Secret-pass-1", role="staff",
                                    jurisdiction_id="430000")
    fao = User.objects.get(username="fao")
    change = change_status(document.partnership, user=fao, status="active", on=date(2026, 9, 1)).status_changes.last()
    again = AgreementDocument(partnership=document.partnership, title="备忘录", uploaded_by=fao)
    again.file.save("b.pdf", ContentFile(PDF), save=True)
    assert user.pk > max_ids[User] and change.pk > max_ids[StatusChange] and again.pk > max_ids[AgreementDocument]
    print(f"\n{output}backup round trip: {records} records of all {len(before)} models compared "
          f"(content types and permissions included), {len(files_before)} media files")


def _rewrite(archive, target, change):
    """Copy the archive to target, passing every member's name and bytes through change()."""
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read() if member.isfile() else b""
            for name, body in change(member.name, data):
                info = tarfile.TarInfo(name)
                info.size, info.type = len(body), member.type
                dst.addfile(info, io.BytesIO(body))
    return target


@pytest.mark.django_db
def test_a_tampered_archive_is_refused_and_nothing_changes(media, tmp_path, trip, actors):
    populate(trip, actors, media)
    call_command("backup", output=str(tmp_path), verbosity=0)
    archive = next(tmp_path.glob("waishi-backup-*.tar.gz"))

    def one_byte(name, data):
        if name == "data.json":
            data = bytearray(data)
            data[len(data) // 2] ^= 0x01
        yield name, bytes(data)

    def one_pdf_byte(name, data):
        yield name, data.replace(b"%PDF-1.4", b"%PDF-1.5") if name.endswith(".pdf") else data

    def extra_file(name, data):
        yield name, data
        if name == "data.json":
            yield "media/agreements/extra.pdf", PDF

    def other_migrations(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["migrations"]["accounts"] = "9999_from_the_future"
            data = json.dumps(manifest).encode()
        yield name, data

    before, files_before = canonical_dump(), media_hashes(media)
    expected = {
        one_byte: "data.json",
        one_pdf_byte: "media/agreements/",
        extra_file: "extra.pdf",
        other_migrations: "9999_from_the_future",
    }
    for change, mentioned in expected.items():
        doctored = _rewrite(archive, tmp_path / f"{change.__name__}.tar.gz", change)
        with pytest.raises(CommandError, match="nothing was changed") as refused:
            call_command("restore", str(doctored), yes=True)
        assert mentioned in str(refused.value)
    with pytest.raises(CommandError, match="not a Waishi backup|cannot be read"):
        (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
        call_command("restore", str(tmp_path / "junk.tar.gz"), yes=True)
    assert canonical_dump() == before and media_hashes(media) == files_before


@pytest.mark.django_db
def test_restore_without_yes_refuses_off_a_terminal_and_asks_on_one(media, tmp_path, province_staff, monkeypatch):
    call_command("backup", output=str(tmp_path), verbosity=0)
    archive = str(next(tmp_path.glob("waishi-backup-*.tar.gz")))
    province_staff.delete()
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))  # not a TTY, even though it says yes
    with pytest.raises(CommandError, match="without --yes"):
        call_command("restore", archive)

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", archive)
    assert not User.objects.filter(username="province").exists()
