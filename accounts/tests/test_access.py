"""The jurisdiction rule every page, API and export goes through, and the first administrator."""

import pytest
from django.core.management import call_command

from accounts.access import CHANGE, VIEW, may_own, restrict, scope_prefix
from accounts.models import User
from geo.models import Division
from twinning.models import Partnership

pytestmark = pytest.mark.django_db


def divisions(*codes):
    return [Division.objects.get(code=c) for c in codes]


def test_scope_of_each_role(province_staff, changsha_staff, liuyang_staff, viewer, admin_user):
    assert scope_prefix(admin_user) == ""
    assert scope_prefix(province_staff) == "43"
    assert scope_prefix(changsha_staff) == "4301"
    assert scope_prefix(liuyang_staff) == "430181"
    assert scope_prefix(viewer) == "43"
    assert scope_prefix(None) is None


def test_who_may_own_what(province_staff, changsha_staff, liuyang_staff, viewer, make_user):
    hunan, changsha, liuyang, zhuzhou, hangzhou = divisions("430000", "430100", "430181", "430200", "330100")
    assert may_own(province_staff, changsha) and may_own(province_staff, hunan) and not may_own(province_staff, hangzhou)
    assert may_own(changsha_staff, liuyang) and not may_own(changsha_staff, hunan) and not may_own(changsha_staff, zhuzhou)
    assert may_own(liuyang_staff, liuyang) and not may_own(liuyang_staff, changsha)
    assert not may_own(viewer, liuyang)
    liaison = make_user("liaison", "liaison", "430000")
    assert not may_own(liaison, hunan)
    nowhere = User.objects.create_user("nowhere", password="Secret-pass-1", role="staff")
    assert not may_own(nowhere, hunan)


def test_restrict_filters_reads_and_writes(changsha_staff, viewer, liuyang_staff):
    everything = Partnership.objects.all()
    changsha_view = restrict(everything, changsha_staff, VIEW)
    assert changsha_view.count() == 13  # 12 of 长沙市 and 1 of 浏阳市 in the reference data
    assert set(changsha_view.values_list("owner__code", flat=True)) == {"430100", "430181"}
    assert restrict(everything, changsha_staff, CHANGE).count() == 13
    assert restrict(everything, liuyang_staff, CHANGE).count() == 1
    assert restrict(everything, viewer, VIEW).count() == everything.count() == 82
    assert restrict(everything, viewer, CHANGE).count() == 0


def test_the_three_administrators_are_created_once_with_passwords_printed_once(capsys):
    call_command("ensure_admin")
    first = capsys.readouterr().out
    passwords = [part.split()[0] for part in first.split("(shown once): ")[1:]]
    assert len(passwords) == 3
    for (username, role), password in zip(
        [("admin", "admin"), ("secadmin", "security_admin"), ("auditadmin", "audit_admin")], passwords, strict=True
    ):
        user = User.objects.get(username=username)
        assert user.check_password(password) and user.role == role and user.must_change_password
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="auditadmin").is_superuser
    call_command("ensure_admin")
    again = capsys.readouterr().out
    assert all(password not in again for password in passwords)
