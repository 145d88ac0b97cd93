"""The workflow of an official trip, in one place: states, moves, who makes
them, what each requires and what follows.

draft ─submit→ review (unit → competent department → foreign affairs office,
as the unit's chain says) ─approve→ … ─approve→ approved ─submit_report→
reported ─archive→ archived. Reviewers may return (with comments, the
applicant resubmits) or reject; the applicant may withdraw before a decision;
a change after approval reopens it for the applicant and goes through review again.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eservices.calendar import add_working_days
from eservices.services import register
from eservices.workflow import APPLICANT, FIRST_STEP, NEXT_STEP, REVIEWER, Transition, Workflow

from . import rules

SERVICE = "trip"
STATES = {
    "draft": gettext_lazy("draft"),
    "review": gettext_lazy("under review"),
    "returned": gettext_lazy("returned for changes"),
    "approved": gettext_lazy("approved"),
    "rejected": gettext_lazy("rejected"),
    "withdrawn": gettext_lazy("withdrawn"),
    "reported": gettext_lazy("report submitted"),
    "archived": gettext_lazy("archived"),
}
# Passports are due back this many days after return; a unit with one overdue longer
# than the lock period cannot file (the provincial rule; configurable).
PASSPORT_DUE_DAYS = 7
# A passport must stay valid this long after return (most countries ask six months).
PASSPORT_VALID_MONTHS = 6


def lock_days():
    return getattr(settings, "WAISHI_PASSPORT_LOCK_DAYS", 30)


def report_days():
    return getattr(settings, "WAISHI_TRIP_REPORT_DAYS", 30)


def publicity_working_days():
    return getattr(settings, "WAISHI_PUBLICITY_WORKING_DAYS", 5)


def overdue_passports(unit, today=None, longer_than=0):
    from .models import PassportLoan

    today = today or date.today()
    return PassportLoan.objects.filter(
        passport__person__unit=unit, returned_on__isnull=True, due_on__lt=today - timedelta(days=longer_than)
    )


def unit_locked(unit, today=None):
    """A unit with a passport overdue for more than the lock period cannot file new applications."""
    return overdue_passports(unit, today, lock_days()).exists()


# --- checks ---------------------------------------------------------------------------------------


def check_unit_not_locked(application, user):
    loans = overdue_passports(application.unit, longer_than=lock_days())
    if loans.exists():
        names = "、".join(sorted({loan.passport.person.name_zh for loan in loans.select_related("passport__person")}))
        return [_("The unit has passports overdue by more than %(days)s days (%(names)s); "
                  "it cannot file until they are back.") % {"days": lock_days(), "names": names}]
    return []


def check_complete(application, user):
    trip = application.trip
    errors = []
    if not trip.members.exists():
        errors.append(_("Add the members of the delegation."))
    if not trip.stops.exists():
        errors.append(_("Add the itinerary: at least one country or region."))
    if trip.returns_on < trip.departs_on:
        errors.append(_("The return date is before the departure date."))
    valid_until = trip.returns_on + timedelta(days=PASSPORT_VALID_MONTHS * 30)
    for member in trip.members.select_related("person", "passport"):
        if member.passport is None:
            errors.append(_("%(name)s has no passport or permit recorded for this trip.") % {"name": member.person})
        elif member.passport.expires_on < valid_until:
            errors.append(_("%(name)s's passport expires on %(date)s, less than %(months)s months after return.")
                          % {"name": member.person, "date": member.passport.expires_on,
                             "months": PASSPORT_VALID_MONTHS})
    return errors


def check_rules(application, user):
    trip = application.trip
    results = rules.evaluate(rules.draft_from_trip(trip))
    application.rule_results = results  # recorded after the move by record_rule_results, not evaluated again
    # The document's name is enough here; the page shows the whole source beside each rule.
    return [_("%(rule)s: %(message)s (%(source)s)") % {"rule": r.name, "message": r.message,
                                                       "source": r.source.split("：")[0]}
            + ("" if r.severity == "block" else " " + _("Give a written reason to submit."))
            for r in rules.blocking(results, trip.reasons)]


def check_report(application, user):
    trip = application.trip
    errors = []
    if date.today() < trip.returns_on:
        errors.append(_("The report is submitted after the delegation is back (%(date)s).") % {"date": trip.returns_on})
    if not trip.report.strip():
        errors.append(_("Write the trip report first."))
    return errors


# --- what follows a move ------------------------------------------------------------------------


def record_rule_results(application, move, user):
    trip = application.trip
    results = getattr(application, "rule_results", None) or rules.evaluate(rules.draft_from_trip(trip))
    trip.rule_results = [r.as_dict() for r in results]
    trip.save(update_fields=["rule_results"])


def on_approved(application, move, user):
    if application.state != "approved":
        return
    from .models import Trip

    trip = application.trip
    today = date.today()
    if not trip.approval_number:
        year = today.year
        prefix = f"{settings.WAISHI_APPROVAL_PREFIX}〔{year}〕"
        last = Trip.objects.filter(approval_number__startswith=prefix).aggregate(n=Max("approval_number"))["n"]
        number = int(last[len(prefix):-1]) + 1 if last else 1
        trip.approval_number = f"{prefix}{number:04d}号"
    trip.approved_on = today
    trip.publicity_from = today
    trip.publicity_to = add_working_days(today, publicity_working_days())
    trip.report_due_on = trip.returns_on + timedelta(days=report_days())
    trip.save(update_fields=["approval_number", "approved_on", "publicity_from", "publicity_to", "report_due_on"])
    from .documents import issue_version

    issue_version(trip)


def void_documents(application, move, user):
    """A change after approval or a withdrawal voids the approval document and publicity notice in force."""
    from .documents import void_current

    void_current(application.trip, action=move.action, reason=move.comment, user=user)


def on_reported(application, move, user):
    trip = application.trip
    trip.report_submitted_on = date.today()
    trip.save(update_fields=["report_submitted_on"])


def snapshot(application):
    """The trip as it stands, kept with each move so that no version is lost."""
    trip = getattr(application, "trip", None)
    if trip is None:
        return {}
    return {
        "title": application.title, "kind": trip.kind, "purpose": trip.purpose, "tasks": trip.tasks,
        "departs_on": trip.departs_on.isoformat(), "returns_on": trip.returns_on.isoformat(),
        "invitation_issuer": trip.invitation_issuer, "reasons": trip.reasons,
        "members": [{"person": m.person_id, "name": m.person.name_zh, "group_role": m.group_role, "post": m.post,
                     "rank": m.rank} for m in trip.members.select_related("person")],
        "stops": [{"country": s.country_id, "city": s.city, "transit": s.transit,
                   "arrives_on": s.arrives_on.isoformat() if s.arrives_on else None,
                   "leaves_on": s.leaves_on.isoformat() if s.leaves_on else None} for s in trip.stops.all()],
        "budget": [{"item": b.item, "amount": str(b.amount), "note": b.note} for b in trip.budget.all()],
    }


WORKFLOW = register(Workflow(
    service=SERVICE,
    states=STATES,
    snapshot=snapshot,
    detail_url=lambda application: reverse("trips:trip_detail", args=[application.trip.pk]),
    transitions=[
        Transition("submit", gettext_lazy("submitted"), ("draft", "returned"), FIRST_STEP, APPLICANT,
                   checks=(check_complete, check_unit_not_locked, check_rules), after=(record_rule_results,),
                   verb=gettext_lazy("Submit")),
        Transition("approve", gettext_lazy("approved"), ("review",), NEXT_STEP, REVIEWER,
                   after=(on_approved,), verb=gettext_lazy("Approve")),
        Transition("return", gettext_lazy("returned for changes"), ("review",), "returned", REVIEWER,
                   needs_comment=True, style="secondary", verb=gettext_lazy("Return for changes")),
        Transition("reject", gettext_lazy("rejected"), ("review",), "rejected", REVIEWER, needs_comment=True,
                   style="danger", verb=gettext_lazy("Reject")),
        Transition("withdraw", gettext_lazy("withdrawn"), ("draft", "review", "returned"), "withdrawn", APPLICANT,
                   after=(void_documents,), style="danger", verb=gettext_lazy("Withdraw")),
        # A change after approval reopens the application for the applicant; resubmitting it sends it
        # through review again (the approval number stays, the moves keep both versions). The approval
        # document in force is void from the change on; the next approval issues a new version.
        Transition("change", gettext_lazy("changed after approval"), ("approved",), "returned", APPLICANT,
                   needs_comment=True, after=(void_documents,), style="secondary", verb=gettext_lazy("Change after approval")),
        Transition("submit_report", gettext_lazy("report submitted"), ("approved",), "reported", APPLICANT,
                   checks=(check_report,), after=(on_reported,), verb=gettext_lazy("Submit the report")),
        Transition("archive", gettext_lazy("archived"), ("reported",), "archived", "office",
                   verb=gettext_lazy("Archive")),
    ],
))


def remind_trip_deadlines(today=None):
    """Remind unit clerks of passports due back and trip reports due (tomorrow, or overdue), once each."""
    from django.utils import translation

    from eservices.notify import clerks_of, send

    from .models import PassportLoan, Trip

    today = today or date.today()
    soon = today + timedelta(days=1)
    count = 0
    loans = PassportLoan.objects.filter(returned_on__isnull=True, due_on__lte=soon).select_related(
        "trip__application", "passport__person")
    for loan in loans:
        application = loan.trip.application
        with translation.override("zh-hans"):
            message = _("%(number)s: the passport of %(name)s is due back on %(date)s.") % {
                "number": application.number, "name": loan.passport.person.name_zh, "date": loan.due_on}
        state = "over" if loan.due_on < today else "soon"
        count += len(send(clerks_of(application), application, message, key=f"passport:{loan.pk}:{state}"))
    reports = Trip.objects.filter(application__state="approved", report_submitted_on__isnull=True,
                                  report_due_on__lte=soon).select_related("application")
    for trip in reports:
        application = trip.application
        with translation.override("zh-hans"):
            message = _("%(number)s %(title)s: the trip report is due on %(date)s.") % {
                "number": application.number, "title": application.title, "date": trip.report_due_on}
        state = "over" if trip.report_due_on < today else "soon"
        count += len(send(clerks_of(application), application, message, key=f"report:{trip.pk}:{state}"))
    return count
