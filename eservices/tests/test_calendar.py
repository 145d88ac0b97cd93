"""The working-day calendar knows which years it covers (issue 9, point 6): a deadline in a year it
does not cover is flagged on the trip page and on the desk, and the office enters the State Council's
notice for a new year in the admin, where the calendar reads it at once.

The days entered below are test data, not the real notice for 2027."""

from datetime import date, timedelta

import pytest

from eservices import calendar
from eservices.models import Application, HolidayNotice
from trips.loaders import load_rules
from trips.workflow import WORKFLOW

UNCOVERED = 2027  # chinesecalendar 1.11.0 ends with 2026, and data/calendar/adjustments.csv is empty


def enter_notice_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    return client.post("/admin/eservices/holidaynotice/add/", {
        "year": str(UNCOVERED), "title": "国务院办公厅关于2027年部分节假日安排的通知（测试）", "published_on": "2026-11-10",
        "url": "",
        "days-TOTAL_FORMS": "2", "days-INITIAL_FORMS": "0", "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2027-01-01", "days-0-kind": "holiday", "days-0-name": "元旦",
        "days-1-date": "2027-02-06", "days-1-kind": "workday", "days-1-name": "春节调休",  # a Saturday
    })


def test_the_calendar_knows_the_years_it_covers(db):
    assert calendar.is_known_year(2026)
    assert not calendar.is_known_year(UNCOVERED)
    assert calendar.uncovered_years(date(2026, 12, 31), date(2027, 1, 5), None) == [UNCOVERED]
    assert calendar.coverage_warning(date(2026, 12, 31)) == ""
    assert "2027" in calendar.coverage_warning(date(2027, 1, 5))


def test_the_office_enters_a_new_years_notice_in_the_admin(client, admin_user):
    assert calendar.is_workday(date(2027, 1, 1))  # weekends only: New Year's Day counted as working
    response = enter_notice_in_the_admin(client, admin_user)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert HolidayNotice.objects.get(year=UNCOVERED).days.count() == 2
    assert calendar.is_known_year(UNCOVERED)
    assert not calendar.is_workday(date(2027, 1, 1))
    assert calendar.is_workday(date(2027, 2, 6))
    # After Thursday 31 December 2026: Friday 1 January is a holiday, Monday 4 January the first working day.
    assert calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_a_day_outside_the_notices_year_is_refused(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/admin/eservices/holidaynotice/add/", {
        "year": str(UNCOVERED), "title": "测试", "published_on": "", "url": "",
        "days-TOTAL_FORMS": "1", "days-INITIAL_FORMS": "0", "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2028-01-01", "days-0-kind": "holiday", "days-0-name": "元旦",
    })
    assert response.status_code == 200 and not HolidayNotice.objects.exists()


@pytest.fixture
def waiting_trip(actors, trip):
    load_rules()
    WORKFLOW.perform(trip.application, "submit", actors["clerk"], version=trip.application.version)
    Application.objects.filter(pk=trip.application.pk).update(due_on=date(UNCOVERED, 1, 15))
    return trip


def test_the_desk_warns_of_a_deadline_in_a_year_not_covered(client, actors, waiting_trip, admin_user):
    client.force_login(actors["unit_reviewer"])
    page = client.get("/services/").content.decode()
    assert 'id="calendar-warning"' in page and "2027" in page
    enter_notice_in_the_admin(client, admin_user)
    client.force_login(actors["unit_reviewer"])
    assert 'id="calendar-warning"' not in client.get("/services/").content.decode()


def test_the_trip_page_warns_of_a_deadline_in_a_year_not_covered(client, actors, waiting_trip):
    client.force_login(actors["unit_reviewer"])
    page = client.get(f"/trips/{waiting_trip.pk}/").content.decode()
    assert 'id="calendar-warning"' in page


def test_no_warning_when_every_deadline_is_covered(client, actors, waiting_trip):
    type(waiting_trip).objects.filter(pk=waiting_trip.pk).update(
        departs_on=date(2026, 12, 20), returns_on=date(2026, 12, 20) + timedelta(days=2))
    Application.objects.filter(pk=waiting_trip.application.pk).update(due_on=date(2026, 12, 10))
    client.force_login(actors["unit_reviewer"])
    assert 'id="calendar-warning"' not in client.get(f"/trips/{waiting_trip.pk}/").content.decode()
