"""Versions of a trip's documents: a change after approval or a withdrawal voids the approval
document (批件) and the publicity notice in force; a void version is never served as valid, the trip
page shows which one is in force; passports lent for the trip follow a changed return date."""

from datetime import date, timedelta

import pytest

from trips import documents
from trips.models import PassportLoan
from trips.services import check_out_passports, follow_return_date
from trips.workflow import WORKFLOW

pytestmark = pytest.mark.django_db


def move(trip, action, user, comment=""):
    trip.application.refresh_from_db()
    WORKFLOW.perform(trip.application, action, user, version=trip.application.version, comment=comment)
    trip.refresh_from_db()


def approve(trip, actors):
    move(trip, "submit", actors["clerk"])
    for reviewer in ("unit_reviewer", "department_reviewer", "fao"):
        move(trip, "approve", actors[reviewer])


def test_an_approval_issues_a_version_in_force(actors, trip):
    approve(trip, actors)
    version = documents.current_version(trip)
    assert version is not None and version.version == 1 and version.approval_number == trip.approval_number
    assert not version.is_void


def test_a_change_after_approval_voids_the_document_with_date_and_reason(actors, trip):
    approve(trip, actors)
    move(trip, "change", actors["clerk"], comment="行程增加德国")
    assert documents.current_version(trip) is None
    void = documents.last_void(trip)
    assert void.voided_on == date.today() and void.void_reason == "行程增加德国" and void.void_action == "change"


def test_re_approval_issues_version_two_and_the_first_stays_void(actors, trip):
    approve(trip, actors)
    move(trip, "change", actors["clerk"], comment="行程增加德国")
    approve(trip, actors)
    found = documents.versions(trip)
    assert [v.version for v in found] == [2, 1]
    assert documents.current_version(trip).version == 2 and found[1].is_void


def test_a_trip_approved_before_versions_were_kept_is_voided_by_a_change(actors, trip):
    approve(trip, actors)
    trip.approvals.all().delete()  # as a trip approved before this change was made
    assert documents.current_version(trip).version == 1
    move(trip, "change", actors["clerk"], comment="人员调整")
    assert documents.current_version(trip) is None and documents.last_void(trip).pk is not None
    approve(trip, actors)
    assert [v.version for v in documents.versions(trip)] == [2, 1]


def test_a_withdrawal_voids_the_document_in_force(actors, trip):
    approve(trip, actors)
    version = documents.current_version(trip)
    # A withdrawal while a version is in force (e.g. a later move back to an editable state).
    void = documents.void_current(trip, action="withdraw", reason="出访取消", user=actors["clerk"])
    assert void.pk == version.pk and void.is_void and documents.current_version(trip) is None


def test_withdrawing_after_a_change_keeps_the_document_void(actors, trip):
    approve(trip, actors)
    move(trip, "change", actors["clerk"], comment="人员调整")
    move(trip, "withdraw", actors["clerk"])
    assert trip.application.state == "withdrawn"
    assert documents.current_version(trip) is None and documents.last_void(trip).void_reason == "人员调整"


def test_a_void_document_and_publicity_are_not_served(client, actors, trip):
    approve(trip, actors)
    client.force_login(actors["clerk"])
    assert client.get(f"/trips/{trip.pk}/approval.pdf").status_code == 200
    move(trip, "change", actors["clerk"], comment="行程增加德国")
    for url in (f"/trips/{trip.pk}/approval.pdf", f"/trips/{trip.pk}/publicity/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 410, url
        assert response["Content-Type"].startswith("text/html")
        body = response.content.decode()
        assert "已作废" in body and date.today().isoformat() in body and "行程增加德国" in body


def test_the_trip_page_shows_which_version_is_in_force(client, actors, trip):
    approve(trip, actors)
    move(trip, "change", actors["clerk"], comment="行程增加德国")
    approve(trip, actors)
    client.force_login(actors["clerk"])
    body = client.get(f"/trips/{trip.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="document-in-force"' in body and 'id="documents"' in body
    assert body.count("已作废") == 1 and "行程增加德国" in body


def test_passports_lent_follow_a_changed_return_date(client, actors, trip):
    approve(trip, actors)
    loans = check_out_passports(trip, user=actors["clerk"])
    assert loans and all(loan.due_on == trip.returns_on + timedelta(days=7) for loan in loans)
    move(trip, "change", actors["clerk"], comment="推迟三天回国")
    trip.returns_on += timedelta(days=3)
    trip.save()
    follow_return_date(trip)
    assert set(PassportLoan.objects.filter(trip=trip).values_list("due_on", flat=True)) == {
        trip.returns_on + timedelta(days=7)}


def test_a_returned_passport_keeps_its_dates(actors, trip):
    approve(trip, actors)
    loan = check_out_passports(trip, user=actors["clerk"])[0]
    loan.returned_on = date.today()
    loan.save()
    due = loan.due_on
    trip.returns_on += timedelta(days=3)
    trip.save()
    follow_return_date(trip)
    loan.refresh_from_db()
    assert loan.due_on == due


def test_editing_the_return_date_after_a_change_moves_the_passports_due_date(client, actors, people, units):
    from trips.models import Trip
    from trips.tests.test_trip_life import trip_post

    client.force_login(actors["clerk"])
    departs = date.today() + timedelta(days=90)
    outside_plan = {"reason_in_plan": "外方临时邀请，在年度总量内"}
    assert client.post("/trips/new/", trip_post(people, departs, **outside_plan)).status_code == 302
    trip = Trip.objects.get()
    approve(trip, actors)
    assert trip.application.state == "approved", trip.application.state
    client.force_login(actors["clerk"])
    client.post(f"/trips/{trip.pk}/passports/checkout/")
    move(trip, "change", actors["clerk"], comment="推迟两天回国")
    later = trip.returns_on + timedelta(days=2)
    members = list(trip.members.order_by("id"))
    data = trip_post(people, departs, **outside_plan, **{
        "returns_on": later.isoformat(),
        "members-INITIAL_FORMS": "2", "members-0-id": str(members[0].pk), "members-1-id": str(members[1].pk),
        "stops-INITIAL_FORMS": "1", "stops-0-id": str(trip.stops.get().pk),
        "budget-INITIAL_FORMS": "1", "budget-0-id": str(trip.budget.get().pk),
    })
    response = client.post(f"/trips/{trip.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    trip.refresh_from_db()
    assert trip.returns_on == later
    assert set(PassportLoan.objects.filter(trip=trip).values_list("due_on", flat=True)) == {
        later + timedelta(days=7)}
