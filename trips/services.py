"""Writing trips: saving an application with its delegation, itinerary and
budget in one transaction, the reasons for exceptions, and passports checked
out for a trip and back (their due date follows the trip's return date)."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction

from eservices.services import new_application
from eservices.workflow import is_applicant

from .models import Passport, PassportLoan, Trip
from .workflow import PASSPORT_DUE_DAYS, SERVICE

EDITABLE_STATES = ("draft", "returned")


@transaction.atomic
def save_trip(*, user, unit, form, members, stops, budget, reasons=None):
    """Save a new or edited trip (the forms already valid). Only the unit's clerk, only in draft or returned."""
    trip = form.instance
    if trip.pk:
        application = trip.application
        if not is_applicant(user, application) or application.state not in EDITABLE_STATES:
            raise PermissionDenied
        application.title = form.cleaned_data["title"]
        application.save(update_fields=["title", "updated_at"])
    else:
        application = new_application(service=SERVICE, unit=unit, title=form.cleaned_data["title"], user=user)
        trip.application = application
    if reasons is not None:
        trip.reasons = {code: text for code, text in reasons.items() if text.strip()}
    trip = form.save()
    for formset in (members, stops, budget):
        formset.instance = trip
        saved = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for index, obj in enumerate(saved):
            if hasattr(obj, "order") and not obj.order:
                obj.order = index + 1
            if hasattr(obj, "person_id") and hasattr(obj, "rank"):
                obj.post = obj.post or obj.person.post
                obj.rank = obj.rank or obj.person.rank
                if obj.passport_id is None:
                    obj.passport = default_passport(obj.person, trip)
            obj.save()
    follow_return_date(trip)
    return trip


def loan_due_on(trip):
    return trip.returns_on + timedelta(days=PASSPORT_DUE_DAYS)


def follow_return_date(trip):
    """Passports lent for the trip and not yet back are due a week after its return date, as it
    stands now: a changed return date moves their due date (earlier or later)."""
    return PassportLoan.objects.filter(trip=trip, returned_on__isnull=True).exclude(
        due_on=loan_due_on(trip)).update(due_on=loan_due_on(trip))


def default_passport(person, trip):
    """The person's document for this kind of trip that stays valid longest, if any."""
    kind = Passport.Kind.HK_MACAO if trip.kind == "hk_macao" else Passport.Kind.PASSPORT
    return person.passports.filter(kind=kind, expires_on__gt=trip.returns_on).order_by("-expires_on").first()


def passports_to_lend(trip):
    return [m for m in trip.members.select_related("passport", "person") if m.passport_id]


@transaction.atomic
def check_out_passports(trip, *, user, on=None):
    """Lend the members' passports for an approved trip, due back a week after return."""
    if trip.application.state != "approved":
        raise ValueError("only an approved trip takes passports out")
    on = on or date.today()
    loans = []
    for member in passports_to_lend(trip):
        if PassportLoan.objects.filter(passport=member.passport, returned_on__isnull=True).exists():
            continue
        loans.append(PassportLoan.objects.create(
            passport=member.passport, trip=trip, lent_on=on,
            due_on=loan_due_on(trip), recorded_by=user,
        ))
    return loans


def return_passport(loan, *, user, on=None):
    loan.returned_on = on or date.today()
    loan.save(update_fields=["returned_on"])
    return loan


def earlier_trips(person, before_trip=None):
    """A person's earlier trips (approved and after), newest first."""
    qs = Trip.objects.filter(members__person=person, application__state__in=["approved", "reported", "archived"])
    if before_trip is not None:
        qs = qs.exclude(pk=before_trip.pk)
    return qs.select_related("application").prefetch_related("stops__country").order_by("-departs_on")


def passports_of(unit):
    return Passport.objects.filter(person__unit=unit).select_related("person")
