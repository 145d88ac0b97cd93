"""POST /api/trips/check: results per rule, nothing saved, clear field errors, in the schema."""

from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from accounts.models import Person, Unit
from eservices.models import Application
from trips.loaders import load_rules
from trips.models import Member, Trip

URL = "/api/trips/check"


@pytest.fixture
def api(db):
    load_rules()
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def body(**changes):
    data = {
        "kind": "abroad", "purpose": "talks", "departs_on": "2027-03-01", "returns_on": "2027-03-05",
        "filed_on": "2027-01-04", "invitation_issuer": "Mairie de Paris", "invitation_issuer_kind": "government",
        "planned": True,
        "members": [{"name": "王五", "rank": "division", "group_role": "leader"},
                    {"name": "李四", "group_role": "interpreter"}],
        "stops": [{"country": "FR", "city": "Paris", "arrives_on": "2027-03-02", "leaves_on": "2027-03-05"}],
    }
    data.update(changes)
    return data


def results(response):
    return {r["rule"]: r for r in response.json()["results"]}


def test_a_valid_body_returns_results_and_saves_nothing(api):
    before = (Application.objects.count(), Trip.objects.count(), Member.objects.count())
    response = api.post(URL, body(), format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["blocking"] == 0
    assert len(data["results"]) == 10  # the budget rule (R19) is not checked here: no budget is sent
    first = data["results"][0]
    assert set(first) == {"rule", "name", "severity", "ok", "message", "source"}
    assert all(r["ok"] for r in data["results"])
    assert (Application.objects.count(), Trip.objects.count(), Member.objects.count()) == before


def test_seven_people_fail_group_size(api):
    members = [{"name": f"P{i}"} for i in range(7)]
    response = api.post(URL, body(members=members), format="json")
    assert response.status_code == 200
    group = results(response)["group_size"]
    assert not group["ok"] and group["severity"] == "block"
    assert group["message"] == "7 people; at most 6 (interpreter included)."
    assert response.json()["blocking"] == 1


def test_reason_rules_count_as_blocking_here(api):
    response = api.post(URL, body(invitation_issuer_kind="other", planned=False), format="json")
    found = results(response)
    assert not found["invitation"]["ok"] and not found["in_plan"]["ok"]
    assert response.json()["blocking"] == 2  # both need a reason (R9: outside the plan only with one)


def test_hong_kong_stops_are_accepted(api):
    response = api.post(URL, body(kind="hk_macao", stops=[{"country": "hk"}]), format="json")
    assert response.status_code == 200, response.content
    assert results(response)["days_abroad"]["ok"]


def test_a_bad_date_is_a_field_error(api):
    response = api.post(URL, body(departs_on="2027-02-30"), format="json")
    assert response.status_code == 400
    assert "departs_on" in response.json()


def test_a_return_before_departure_is_a_field_error(api):
    response = api.post(URL, body(returns_on="2027-02-27"), format="json")
    assert response.status_code == 400
    assert response.json()["returns_on"] == ["The return date is before the departure date."]


def test_an_unknown_country_is_a_field_error(api):
    response = api.post(URL, body(stops=[{"country": "FR"}, {"country": "XX"}]), format="json")
    assert response.status_code == 400
    # The failing stop is named by its index.
    assert response.json()["stops"] == {"1": {"country": ["Unknown country or region code “XX”."]}}


def test_an_unknown_jurisdiction_is_a_field_error(api):
    response = api.post(URL, body(jurisdiction="999999"), format="json")
    assert response.status_code == 400 and "jurisdiction" in response.json()


def test_missing_fields_are_named(api):
    response = api.post(URL, {"kind": "abroad"}, format="json")
    assert response.status_code == 400
    assert {"purpose", "departs_on", "returns_on", "members"} <= set(response.json())


def test_errors_in_chinese(db):
    load_rules()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post(URL, body(departs_on="soon"), format="json")
    assert response.status_code == 400
    assert "日期" in response.json()["departs_on"][0]


def test_a_prefecture_jurisdiction_is_used(api):
    from trips.models import Rule

    Rule.objects.create(code="group_size", name_zh="长沙市团组人数", params={"max": 1}, jurisdiction_id="430100",
                        effective_from=date(2013, 10, 1), source="test")
    assert not results(api.post(URL, body(jurisdiction="430100"), format="json"))["group_size"]["ok"]
    assert results(api.post(URL, body(jurisdiction="430200"), format="json"))["group_size"]["ok"]


@pytest.fixture
def director(db):
    unit = Unit.objects.create(name_zh="湖南省商务厅（测试）", kind="department", jurisdiction_id="430000")
    person = Person.objects.create(unit=unit, name_zh="王厅长", gender="M", post="厅长", rank="bureau")
    application = Application.objects.create(service="trip", number="T-API-1", title="出访", unit=unit,
                                             owner_id="430000", state="approved")
    trip = Trip.objects.create(application=application, kind="abroad", purpose="talks", tasks="会谈",
                               departs_on=date(2027, 3, 1) - timedelta(days=100),
                               returns_on=date(2027, 3, 1) - timedelta(days=96))
    Member.objects.create(trip=trip, person=person, rank="bureau")
    return person


def director_body(person):
    return body(members=[{"name": "王厅长", "rank": "bureau", "person": person.pk}])


def test_a_person_is_used_when_the_user_may_see_them(api, director, province_staff):
    api.force_authenticate(province_staff)
    frequency = results(api.post(URL, director_body(director), format="json"))["frequency"]
    assert not frequency["ok"] and "王厅长" in frequency["message"]


def test_a_person_is_ignored_for_anonymous_users(api, director):
    assert results(api.post(URL, director_body(director), format="json"))["frequency"]["ok"]


def test_a_person_is_ignored_when_out_of_the_users_reach(api, director, changsha_staff):
    api.force_authenticate(changsha_staff)
    assert results(api.post(URL, director_body(director), format="json"))["frequency"]["ok"]


def test_the_schema_mentions_the_endpoint(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/trips/check" in text and "TripCheckRequest" in text and "TripCheckResponse" in text


# --- what the form validates, the API validates (issue 9) ------------------------------------------


def test_a_delegation_of_no_members_is_a_field_error(api):
    response = api.post(URL, body(members=[]), format="json")
    assert response.status_code == 400
    assert "members" in response.json()


def test_china_is_never_a_stop(api):
    response = api.post(URL, body(stops=[{"country": "CN", "city": "北京"}]), format="json")
    assert response.status_code == 400
    assert "China itself" in str(response.json()["stops"])


def test_hong_kong_is_not_a_stop_of_a_trip_abroad(api):
    stops = [{"country": "FR", "city": "Paris"}, {"country": "HK", "city": "香港"}]
    response = api.post(URL, body(stops=stops), format="json")
    assert response.status_code == 400
    assert "Hong Kong and Macao" in str(response.json()["stops"])


def test_a_trip_to_hong_kong_goes_to_hong_kong_or_macao_only(api):
    stops = [{"country": "HK", "city": "香港"}, {"country": "FR", "city": "Paris"}]
    response = api.post(URL, body(kind="hk_macao", stops=stops), format="json")
    assert response.status_code == 400
    assert "only Hong Kong or Macao" in str(response.json()["stops"])


def test_a_clerk_learns_nothing_of_another_units_people(api, director, make_user):
    other = Unit.objects.create(name_zh="湖南省教育厅（测试）", kind="department", jurisdiction_id="430000")
    clerk = make_user("clerk-other-unit", role="clerk", unit=other)
    api.force_authenticate(clerk)
    frequency = results(api.post(URL, director_body(director), format="json"))["frequency"]
    assert frequency["ok"] and frequency["message"] == ""

