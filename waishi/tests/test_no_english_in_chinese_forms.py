"""The main forms' pages in Chinese show no English placeholders: the empty choice of every select
is a translated label, never Django's "- Select an option -" or a row of dashes."""

import re

import pytest

from conftest import client_for

pytestmark = pytest.mark.django_db
ENGLISH_BLANKS = ("- Select an option -", "Select an option", "---------")


def pages_of(client, user, urls):
    client_for(client, user)
    for url in urls:
        response = client.get(url)
        text = response.content.decode()
        assert response.status_code == 200 and "<select" in text, url
        yield url, text


def assert_no_english_blanks(client, user, urls):
    found = [f"{url}: {blank}" for url, text in pages_of(client, user, urls) for blank in ENGLISH_BLANKS
             if blank in text]
    assert not found, found


def test_the_trip_forms_have_no_english_empty_choices(client, actors, trip):
    assert_no_english_blanks(client, actors["clerk"], [
        "/trips/new/", f"/trips/{trip.pk}/edit/", "/trips/", "/trips/people/"])


def test_the_office_forms_have_no_english_empty_choices(client, province_staff):
    from atlas.models import Layer

    layer = Layer.objects.first()
    assert_no_english_blanks(client, province_staff, [
        "/twinning/new/", "/twinning/exchanges/new/", "/twinning/projects/new/", "/twinning/",
        "/twinning/exchanges/", "/twinning/projects/", "/map/layers/new/", f"/map/layers/{layer.code}/items/new/",
        "/trips/"])


def test_the_registration_form_has_no_english_empty_choices(client):
    text = client.get("/accounts/register/").content.decode()
    assert "<select" in text and not [b for b in ENGLISH_BLANKS if b in text]


def test_empty_choices_read_in_english_when_english_is_chosen(client, province_staff):
    client.cookies["django_language"] = "en"
    client_for(client, province_staff)
    text = client.get("/twinning/exchanges/new/").content.decode()
    assert re.search(r'<option value=""[^>]*>\(choose\)<', text) and "Select an option" not in text
