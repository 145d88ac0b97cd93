"""Recusal (回避) is the engine's, for every service; only the foreign affairs office of the unit's
jurisdiction decides, and the system administrator holds no business role."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Unit
from eservices.workflow import NotAllowed, waiting_for
from trips.workflow import WORKFLOW

pytestmark = pytest.mark.django_db


def act(trip, action, user, comment=""):
    trip.application.refresh_from_db()
    return WORKFLOW.perform(trip.application, action, user, version=trip.application.version, comment=comment)


def at_fao(trip, actors):
    act(trip, "submit", actors["clerk"])
    act(trip, "approve", actors["unit_reviewer"])
    act(trip, "approve", actors["department_reviewer"])
    trip.application.refresh_from_db()
    assert trip.application.step == "fao"


def test_a_reviewer_who_travels_on_the_trip_cannot_act_on_it(client, trip, actors, people):
    reviewer = actors["fao"]
    reviewer.person = people[0]
    reviewer.save()
    at_fao(trip, actors)
    assert WORKFLOW.actions_for(trip.application, reviewer) == []
    with pytest.raises(NotAllowed) as refused:
        act(trip, "approve", reviewer)
    assert "回避" in str(refused.value)
    trip.application.refresh_from_db()
    assert trip.application.state == "review"
    client.force_login(reviewer)
    page = client.get(f"/trips/{trip.pk}/").content.decode()
    assert 'id="recusal"' in page and "回避" in page and 'id="actions"' not in page


def test_a_unit_reviewer_who_travels_cannot_return_or_reject_either(trip, actors, people):
    reviewer = actors["unit_reviewer"]
    reviewer.person = people[1]
    reviewer.save()
    act(trip, "submit", actors["clerk"])
    for action in ("approve", "return", "reject"):
        with pytest.raises(NotAllowed):
            act(trip, action, reviewer, comment="x")


def test_a_chain_without_the_office_is_refused(units):
    unit = Unit(name_zh="某单位", kind="soe", jurisdiction_id="430000", review_chain="unit")
    with pytest.raises(ValidationError) as refused:
        unit.full_clean()
    assert "外事办公室" in str(refused.value) or "foreign affairs office" in str(refused.value)
    for chain in ("fao,unit", "unit,unit,fao", "unit,boss,fao"):
        unit.review_chain = chain
        with pytest.raises(ValidationError):
            unit.full_clean()
    unit.review_chain = "unit"
    with pytest.raises(IntegrityError), transaction.atomic():
        unit.save()
    unit.review_chain = "unit,fao"
    unit.full_clean()


def test_the_office_always_ends_the_chain(units):
    assert Unit(review_chain="unit").steps() == ["unit", "fao"]
    assert Unit(review_chain="fao,unit").steps() == ["unit", "fao"]


def test_the_system_administrator_cannot_approve(trip, actors, admin_user):
    at_fao(trip, actors)
    assert WORKFLOW.actions_for(trip.application, admin_user) == []
    assert not waiting_for(admin_user).exists()
    with pytest.raises(PermissionDenied):
        act(trip, "approve", admin_user)
    act(trip, "approve", actors["fao"])
    assert trip.application.state == "approved"
