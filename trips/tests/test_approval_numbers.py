"""Approval numbers stay unique, even when the office approves several trips at the same moment."""

import threading
import time
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from accounts.models import Person
from eservices.models import Application
from eservices.services import new_application
from trips.models import Member, Passport, Stop, Trip
from trips.workflow import WORKFLOW


def trip_at_the_office(unit, clerk, n):
    person = Person.objects.create(unit=unit, name_zh=f"成员{n}", gender="M", post="科员")
    passport = Passport.objects.create(person=person, number=f"E5500{n:04d}", expires_on=date(2035, 1, 1))
    departs = date.today() + timedelta(days=60)
    trip = Trip.objects.create(
        application=new_application(service="trip", unit=unit, title=f"团组{n}", user=clerk),
        kind="abroad", purpose="talks", tasks="会谈", departs_on=departs, returns_on=departs + timedelta(days=4),
        invitation_issuer="x", invitation_issuer_kind="government",
        reasons={"in_plan": "外方临时邀请，在年度总量内"})
    Member.objects.create(trip=trip, person=person, passport=passport)
    Stop.objects.create(trip=trip, order=1, country_id="FR")
    trip.budget.create(item="travel", amount=20000)
    Application.objects.filter(pk=trip.application_id).update(state="review", step="fao")
    return trip


@pytest.mark.django_db
def test_two_trips_cannot_hold_the_same_approval_number(trip, units, actors):
    other = trip_at_the_office(units["university"], actors["clerk"], 1)
    Trip.objects.filter(pk=trip.pk).update(approval_number="湘外审〔2027〕0001号")
    with pytest.raises(IntegrityError), transaction.atomic():
        Trip.objects.filter(pk=other.pk).update(approval_number="湘外审〔2027〕0001号")


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_take_distinct_numbers(units, actors):
    trips = [trip_at_the_office(units["university"], actors["clerk"], n) for n in range(6)]
    barrier = threading.Barrier(len(trips))
    errors = []

    def approve(trip):
        try:
            barrier.wait()
            for _attempt in range(200):
                try:
                    application = Application.objects.get(pk=trip.application_id)
                    WORKFLOW.perform(application, "approve", actors["fao"], version=application.version)
                    break
                except OperationalError as exc:
                    # SQLite's test database locks whole tables: writers take turns, the race stays.
                    if connection.vendor != "sqlite" or "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
        except Exception as exc:  # noqa: BLE001  reported below, with the thread's trip
            errors.append((trip.pk, repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(t,)) for t in trips]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = list(Trip.objects.values_list("approval_number", flat=True))
    assert len(numbers) == 6 and len(set(numbers)) == 6 and all(numbers)
