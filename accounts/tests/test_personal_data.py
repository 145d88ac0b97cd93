"""Personal data is masked unless the role needs it; each unmasked view is recorded; a person's
data is exported on request and erased where the law allows."""

import json
from datetime import date, timedelta

import pytest

from accounts.models import AuditEvent, Person
from accounts.personal import mask

pytestmark = pytest.mark.django_db
ID_NUMBER = "430102198001011234"


@pytest.fixture
def person(people):
    person = people[0]
    person.id_number = ID_NUMBER
    person.phone = "13800001234"
    person.save()
    return person


def test_mask_keeps_only_the_last_characters():
    assert mask(ID_NUMBER, 4) == "*" * 14 + "1234" and mask("") == "" and mask("ab") == "**"


def test_pages_show_personal_data_masked(client, actors, person):
    client.force_login(actors["clerk"])
    for url in ("/trips/people/", f"/trips/people/{person.pk}/"):
        body = client.get(url).content.decode()
        assert ID_NUMBER not in body and "1234" in body and "E98765430" not in body


def test_the_unit_clerk_may_show_it_and_the_view_is_recorded(client, actors, person):
    client.force_login(actors["clerk"])
    body = client.get(f"/trips/people/{person.pk}/", {"show": "1"}).content.decode()
    assert ID_NUMBER in body
    assert AuditEvent.objects.filter(kind="unmask", actor=actors["clerk"], object_repr=f"person #{person.pk}").exists()


@pytest.mark.parametrize(("role", "status"), [("unit_reviewer", 403), ("viewer", 403), ("other_clerk", 404),
                                              ("prefecture_staff", 404), ("fao", 200)])
def test_others_may_not_show_it(client, actors, person, role, status):
    client.force_login(actors[role])
    response = client.get(f"/trips/people/{person.pk}/", {"show": "1"})
    assert response.status_code == status
    assert ID_NUMBER not in response.content.decode() or status == 200


def test_a_persons_data_is_exported_on_request(client, actors, person, trip):
    client.force_login(actors["clerk"])
    data = json.loads(client.get(f"/trips/people/{person.pk}/export.json").content)
    assert data["id_number"] == ID_NUMBER and data["trips"][0]["number"] == trip.application.number
    assert AuditEvent.objects.filter(kind="personal_data", detail__action="export").exists()


def test_erasure_waits_for_the_legal_keeping_period(client, actors, person, trip):
    from trips.models import Trip

    client.force_login(actors["clerk"])
    trip.application.state = "archived"
    trip.application.save()
    client.post(f"/trips/people/{person.pk}/erase/")
    assert Person.objects.get(pk=person.pk).id_number == ID_NUMBER  # kept: a recent official trip
    Trip.objects.filter(pk=trip.pk).update(departs_on=date.today() - timedelta(days=6 * 365),
                                           returns_on=date.today() - timedelta(days=6 * 365 - 4))
    client.post(f"/trips/people/{person.pk}/erase/")
    erased = Person.objects.get(pk=person.pk)
    assert erased.id_number == "" and erased.phone == "" and erased.name_zh != "张教授"
    assert not erased.passports.filter(number__startswith="E9").exists()
