"""The audit: who, when, from where, what, before and after; nobody changes or deletes it
through the app; only the audit administrator reads and exports it."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from openpyxl import load_workbook

from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_logins_logouts_and_failures_are_recorded_with_the_address(client, make_user):
    make_user("someone", "viewer")
    client.post("/accounts/login/", {"username": "someone", "password": "nope"}, REMOTE_ADDR="10.1.2.3")
    client.post("/accounts/login/", {"username": "someone", "password": "Secret-pass-1"}, REMOTE_ADDR="10.1.2.3")
    client.post("/accounts/logout/", REMOTE_ADDR="10.1.2.3")
    kinds = list(AuditEvent.objects.filter(username="someone").order_by("id").values_list("kind", "ip"))
    assert kinds == [("login_failed", "10.1.2.3"), ("login", "10.1.2.3"), ("logout", "10.1.2.3")]


def test_guessed_ids_are_recorded(client, liuyang_staff):
    client.force_login(liuyang_staff)
    client.get("/twinning/999999/")
    assert AuditEvent.objects.filter(kind="not_found", path="/twinning/999999/", actor=liuyang_staff).exists()


def test_a_refusal_is_recorded(client, viewer):
    client.force_login(viewer)
    assert client.get("/accounts/units/").status_code == 403
    assert AuditEvent.objects.filter(kind="denied", path="/accounts/units/", actor=viewer).exists()


def test_changes_keep_the_values_before_and_after(client, province_staff):
    from twinning.models import Partnership

    client.force_login(province_staff)
    partnership = Partnership.objects.get(foreign__name_zh="滋贺县")
    partnership.notes = "新备注"
    partnership.save()
    entry = LogEntry.objects.get_for_object(partnership).latest("timestamp")
    assert entry.changes_dict["notes"] == ["", "新备注"]


def test_exports_and_downloads_are_recorded(client, province_staff):
    client.force_login(province_staff)
    client.get("/twinning/stats/export.xlsx", {"as_of": "2018-07-17"})
    client.get("/map/layers/logistics_corridors/export.xlsx")
    exports = AuditEvent.objects.filter(kind="export", actor=province_staff)
    assert {e.path.split("?")[0] for e in exports} >= {"/twinning/stats/export.xlsx",
                                                       "/map/layers/logistics_corridors/export.xlsx"}


def test_audit_records_cannot_be_changed_or_deleted(client, viewer):
    client.force_login(viewer)
    client.get("/accounts/units/")
    event = AuditEvent.objects.latest("id")
    event.path = "/elsewhere/"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(path="x")
    assert AuditEvent.objects.filter(path="/accounts/units/").exists()


@pytest.mark.parametrize(("role", "superuser", "allowed"), [
    ("audit_admin", False, True), ("admin", True, False), ("security_admin", False, False),
    ("staff", False, False), ("viewer", False, False),
])
def test_only_the_audit_administrator_reads_the_audit(client, make_user, role, superuser, allowed):
    client.force_login(make_user(f"a-{role}", role, is_superuser=superuser, is_staff=superuser))
    assert client.get("/accounts/audit/").status_code == (200 if allowed else 403)
    assert client.get("/accounts/audit/export.xlsx").status_code == (200 if allowed else 403)
    # and not through the admin either
    assert client.get("/admin/auditlog/logentry/").status_code in (302, 403, 404)


def test_the_audit_of_a_period_exports_to_excel(client, make_user, province_staff):
    client.force_login(province_staff)
    client.get("/twinning/stats/export.xlsx")
    auditor = make_user("auditor", "audit_admin")
    client.force_login(auditor)
    today = date.today()
    response = client.get("/accounts/audit/export.xlsx", {"from": (today - timedelta(days=1)).isoformat(),
                                                          "to": today.isoformat()})
    wb = load_workbook(BytesIO(response.content))
    rows = [r for r in wb.worksheets[0].iter_rows(values_only=True)][1:]
    assert any(r[1] == "province" and r[2] == "导出" for r in rows)
    assert AuditEvent.objects.filter(kind="export", actor=auditor, object_repr="audit").exists()


def test_retention_purges_only_old_records_and_never_under_six_months(settings):
    from django.core.management.base import CommandError
    from django.utils import timezone

    AuditEvent.objects.create(kind="login", username="old")
    AuditEvent.objects.create(kind="login", username="new")
    old = AuditEvent.objects.get(username="old")
    # Backdating needs the raw query: the app itself cannot change an audit record.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET at = %s WHERE id = %s",
                       [timezone.now() - timedelta(days=400), old.pk])
    settings.WAISHI_AUDIT_RETENTION_DAYS = 365
    call_command("purge_audit")
    assert not AuditEvent.objects.filter(username="old").exists()
    assert AuditEvent.objects.filter(username="new").exists()
    settings.WAISHI_AUDIT_RETENTION_DAYS = 90
    with pytest.raises(CommandError):
        call_command("purge_audit")
