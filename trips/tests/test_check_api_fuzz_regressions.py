"""Inputs that the fuzzing run (scripts/fuzz.py) found to break POST /api/trips/check."""

import time

import pytest
from rest_framework.test import APIClient

from trips.loaders import load_rules

URL = "/api/trips/check"


@pytest.fixture
def api(db, province_staff):
    load_rules()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(province_staff)
    return client


def body(**changes):
    data = {"kind": "abroad", "purpose": "talks", "departs_on": "2027-03-01", "returns_on": "2027-03-05",
            "filed_on": "2027-01-04", "members": [{"name": "王五"}], "stops": [{"country": "FR"}]}
    data.update(changes)
    return data


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1])
def test_a_person_id_beyond_any_record_is_a_field_error(api, value):
    # It reached the database, which cannot hold it: OverflowError, a 500.
    response = api.post(URL, body(members=[{"name": "王五", "person": value}]), format="json")
    assert response.status_code == 400, response.content
    assert "person" in response.json()["members"]["0"]


def test_a_departure_in_the_first_days_of_the_calendar_is_checked(api):
    # The frequency window before it fell off the calendar: OverflowError, a 500.
    response = api.post(URL, body(departs_on="0001-01-02", returns_on="0001-01-03", filed_on=None,
                                  members=[{"name": "王五", "person": 1}]), format="json")
    assert response.status_code == 200, response.content


def test_a_departure_centuries_ahead_is_answered_at_once(api):
    # The lead-time rule counted every working day up to the departure: half a minute per request.
    started = time.monotonic()
    response = api.post(URL, body(departs_on="4823-01-01", returns_on="4823-01-02", filed_on=None), format="json")
    assert response.status_code == 200
    assert time.monotonic() - started < 3
    lead = {r["rule"]: r for r in response.json()["results"]}["lead_time"]
    assert lead["ok"]
