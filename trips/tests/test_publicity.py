"""Publicity ends before departure (issue 9, point 5): the lead time counts the publicity, and an
approval that leaves fewer working days of publicity than the rule asks before departure is refused."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from eservices.workflow import NotAllowed
from trips import rules
from trips.loaders import load_rules
from trips.models import Trip
from trips.rules import MemberDraft, StopDraft, TripDraft, evaluate
from trips.workflow import WORKFLOW


@pytest.fixture
def loaded(db):
    load_rules()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def draft(departs, **changes):
    values = dict(kind="abroad", purpose="talks", departs_on=departs, returns_on=departs + timedelta(days=2),
                  members=[MemberDraft("P1")], stops=[StopDraft("FR", "Paris")], jurisdiction="430000",
                  invitation_issuer="Mairie de Paris", invitation_issuer_kind="government", planned=True)
    values.update(changes)
    return TripDraft(**values)


def result(d, code):
    return next(r for r in evaluate(d) if r.rule == code)


def test_the_lead_time_counts_the_publicity(loaded):
    departs = date(2026, 11, 30)  # a Monday; 20 working days for the review and 5 of publicity
    assert result(draft(departs, filed_on=date(2026, 10, 26)), "lead_time").ok
    r = result(draft(departs, filed_on=date(2026, 10, 27)), "lead_time")
    assert not r.ok
    assert r.message == ("Filed 24 working days before departure (2026-10-27 to 2026-11-30); at least 25 are "
                         "needed: 20 for the review and 5 of publicity that ends before departure.")


def test_publicity_approved_on_30_september_would_run_past_a_departure_on_9_october(loaded):
    # The case of the issue: National Day holidays push the fifth working day to 13 October.
    r = result(draft(date(2026, 10, 9), filed_on=date(2026, 9, 1), decided_on=date(2026, 9, 30)), "publicity")
    assert not r.ok and r.severity == "block"
    assert "would run to 2026-10-13" in r.message and "cannot be approved" in r.message


def test_publicity_must_end_the_day_before_departure_at_the_latest(loaded):
    departs = date(2026, 11, 30)
    filed = date(2026, 10, 1)
    assert result(draft(departs, filed_on=filed, decided_on=date(2026, 11, 20)), "publicity").ok
    assert not result(draft(departs, filed_on=filed, decided_on=date(2026, 11, 23)), "publicity").ok


def test_publicity_is_judged_from_the_filing_day_when_checked_ahead_of_filing(loaded):
    d = draft(date(2027, 3, 1), filed_on=date(2027, 2, 24), decided_on=date(2026, 12, 1))
    assert not result(d, "publicity").ok
    assert rules.blocking(evaluate(d))


@pytest.mark.django_db
def test_an_approval_without_room_for_the_publicity_is_refused(loaded, actors, trip):
    def move(action, user):
        trip.application.refresh_from_db()
        WORKFLOW.perform(trip.application, action, user, version=trip.application.version)

    move("submit", actors["clerk"])
    Trip.objects.filter(pk=trip.pk).update(departs_on=date.today() + timedelta(days=3),
                                           returns_on=date.today() + timedelta(days=5))
    with pytest.raises(NotAllowed) as refused:
        move("approve", actors["unit_reviewer"])
    assert "publicity" in str(refused.value.args[0])
    trip.application.refresh_from_db()
    assert trip.application.state == "review" and not Trip.objects.get(pk=trip.pk).approval_number
