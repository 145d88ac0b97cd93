"""Every move that advances or approves a trip checks it again: the rules (time rules as of the
filing date; frequency, overlap and the lock as of now), for every reviewer at every step, and the
reviewer's page shows each rule at filing and now."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from eservices.services import new_application
from eservices.workflow import NotAllowed
from trips.models import Member, PassportLoan, Stop, Trip
from trips.workflow import WORKFLOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules_loaded(db):
    from trips.loaders import load_rules

    load_rules()


def move(trip, action, user, comment=""):
    trip.application.refresh_from_db()
    return WORKFLOW.perform(trip.application, action, user, version=trip.application.version, comment=comment)


def same_trip(units, people, actors, n):
    departs = date.today() + timedelta(days=60)
    trip = Trip.objects.create(
        application=new_application(service="trip", unit=units["university"], title=f"赴法国交流团{n}",
                                    user=actors["clerk"]),
        kind="abroad", purpose="talks", tasks="会谈", departs_on=departs, returns_on=departs + timedelta(days=4),
        invitation_issuer="巴黎市政府", invitation_issuer_kind="government",
        reasons={"in_plan": "外方临时邀请，在年度总量内"})
    Member.objects.create(trip=trip, person=people[1], passport=people[1].passports.first())
    Stop.objects.create(trip=trip, order=1, country_id="FR", city="巴黎")
    trip.budget.create(item="travel", amount=20000)
    return trip


def at_the_office(trip, submitted_at):
    """A trip filed earlier (before approval checked anything) and now held by the office."""
    type(trip.application).objects.filter(pk=trip.application.pk).update(
        state="review", step="fao", submitted_at=submitted_at)


def test_six_trips_of_one_person_on_the_same_dates_are_not_all_approved(units, people, actors):
    trips = [same_trip(units, people, actors, n) for n in range(6)]
    for trip in trips:
        try:
            move(trip, "submit", actors["clerk"])
            for reviewer in ("unit_reviewer", "department_reviewer", "fao"):
                move(trip, "approve", actors[reviewer])
        except NotAllowed:
            pass
    approved = Trip.objects.filter(application__state="approved")
    assert approved.count() == 1


def test_approval_checks_again_trips_filed_before_it_checked_anything(units, people, actors):
    trips = [same_trip(units, people, actors, n) for n in range(6)]
    for n, trip in enumerate(trips):
        at_the_office(trip, timezone.now() - timedelta(days=10 - n))
    refused = []
    for trip in reversed(trips):  # the office takes the latest first: the earliest filing still goes first
        try:
            move(trip, "approve", actors["fao"])
        except NotAllowed as exc:
            refused.append(" ".join(str(e) for e in exc.errors))
    assert list(Trip.objects.filter(application__state="approved")) == [trips[0]]
    assert len(refused) == 5 and all("李译员" in r and trips[0].application.number in r for r in refused[:-1])


def test_a_trip_of_a_locked_unit_cannot_be_approved(client, units, people, actors, trip):
    move(trip, "submit", actors["clerk"])
    earlier = same_trip(units, people, actors, 9)
    Trip.objects.filter(pk=earlier.pk).update(departs_on=date.today() - timedelta(days=60),
                                              returns_on=date.today() - timedelta(days=55))
    PassportLoan.objects.create(passport=people[1].passports.first(), trip=earlier,
                                lent_on=date.today() - timedelta(days=61), due_on=date.today() - timedelta(days=40))
    with pytest.raises(NotAllowed) as refused:
        move(trip, "approve", actors["unit_reviewer"])
    assert "逾期" in str(refused.value) or "overdue" in str(refused.value)
    trip.application.refresh_from_db()
    assert trip.application.step == "unit" and trip.application.state == "review"
    client.force_login(actors["unit_reviewer"])
    response = client.post(f"/trips/{trip.pk}/act/", {"action": "approve", "version": trip.application.version},
                           follow=True)
    page = response.content.decode()
    assert "李译员" in page and "逾期" in page
    # The page marks the lock: it passed at filing and fails now.
    row = page.split('data-rule="passport_lock"')[1].split("</tr>")[0]
    assert 'data-changed="1"' in row


def test_the_reviewer_page_judges_the_lead_time_as_of_filing(client, actors, trip, rules_loaded):
    move(trip, "submit", actors["clerk"])
    # Filed 67 days before departure; the reviewer reads it 12 days before departure (time enough for the
    # publicity, not for a filing made today).
    Trip.objects.filter(pk=trip.pk).update(departs_on=date.today() + timedelta(days=12),
                                           returns_on=date.today() + timedelta(days=16))
    trip.application.__class__.objects.filter(pk=trip.application.pk).update(
        submitted_at=timezone.now() - timedelta(days=55))
    client.force_login(actors["unit_reviewer"])
    page = client.get(f"/trips/{trip.pk}/").content.decode()
    row = page.split('data-rule="lead_time"')[1].split("</tr>")[0]
    assert 'class="now"><span class="badge v-active">' in row and "data-changed" not in row
    move(trip, "approve", actors["unit_reviewer"])
    trip.application.refresh_from_db()
    assert trip.application.step == "department"


def test_a_block_rule_failing_now_stops_every_reviewer(units, people, actors, trip, rules_loaded):
    move(trip, "submit", actors["clerk"])
    move(trip, "approve", actors["unit_reviewer"])
    # The group grows past the limit after filing (data changed behind the form).
    from accounts.models import Person

    for n in range(5):
        person = Person.objects.create(unit=units["university"], name_zh=f"成员{n}", gender="M", post="x")
        Member.objects.create(trip=trip, person=person, passport=people[0].passports.first())
    with pytest.raises(NotAllowed) as refused:
        move(trip, "approve", actors["department_reviewer"])
    assert "7" in str(refused.value)
    trip.application.refresh_from_db()
    assert trip.application.state == "review" and trip.application.step == "department"


def test_six_months_of_passport_validity_are_calendar_months(trip):
    """R15: a passport valid less than six calendar months after return is refused, though it
    is valid more than 180 days after it (03-31 + 180 days = 09-27; + 6 months = 09-30)."""
    from trips.workflow import add_months, check_complete

    assert add_months(date(2027, 3, 31), 6) == date(2027, 9, 30)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)
    trip.departs_on, trip.returns_on = date(2027, 3, 27), date(2027, 3, 31)
    trip.save()
    passport = trip.members.first().passport
    passport.expires_on = date(2027, 9, 29)
    passport.save()
    errors = check_complete(trip.application, None)
    assert any("2027-09-29" in str(e) and "6" in str(e) for e in errors), errors
    passport.expires_on = date(2027, 9, 30)
    passport.save()
    assert check_complete(trip.application, None) == []
