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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eservices.services import register
from eservices.workflow import APPLICANT, FIRST_STEP, NEXT_STEP, OFFICE, REVIEWER, Transition, Workflow

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


def add_months(day, months):
    """The same day `months` calendar months later (R15: "six months" is calendar months, not 180
    days); the last day of the month when that month is shorter (08-31 + 6 months = 02-28 or 02-29)."""
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


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


def lock_message(unit, today=None):
    """Why the unit may file nothing now (a passport overdue beyond the lock period), or ""."""
    loans = overdue_passports(unit, today, lock_days())
    if not loans.exists():
        return ""
    names = "、".join(sorted({loan.passport.person.name_zh for loan in loans.select_related("passport__person")}))
    return _("The unit has passports overdue by more than %(days)s days (%(names)s); "
             "it cannot file until they are back.") % {"days": lock_days(), "names": names}


def check_complete(application, user):
    trip = application.trip
    errors = []
    if not trip.members.exists():
        errors.append(_("Add the members of the delegation."))
    if not trip.stops.exists():
        errors.append(_("Add the itinerary: at least one country or region."))
    if trip.returns_on < trip.departs_on:
        errors.append(_("The return date is before the departure date."))
    valid_until = add_months(trip.returns_on, PASSPORT_VALID_MONTHS)
    for member in trip.members.select_related("person", "passport"):
        if member.passport is None:
            errors.append(_("%(name)s has no passport or permit recorded for this trip.") % {"name": member.person})
        elif member.passport.expires_on < valid_until:
            errors.append(_("%(name)s's passport expires on %(date)s, less than %(months)s months after return.")
                          % {"name": member.person, "date": member.passport.expires_on,
                             "months": PASSPORT_VALID_MONTHS})
    return errors


# --- what every move re-checks ----------------------------------------------------------------------
# Results at filing are kept on the trip (rule_results); every move that advances or approves the
# trip evaluates again. Time rules (the lead time) are judged as of the filing date, never today;
# frequency, overlap and the lock as of now, against approved trips and trips under review that
# were filed before this one (the earlier filing goes first, so two pending trips never block each other).

LOCK = "passport_lock"
OVERLAP = "overlap"


def filing_moment(application):
    """When the application is (or is being) filed: now for a draft or a returned one."""
    if application.state in ("draft", "returned") or application.submitted_at is None:
        return timezone.now()
    return application.submitted_at


def overlapping_trips(trip, pending_before):
    """Other trips of any of this trip's people on overlapping dates, approved or filed earlier."""
    from .models import Trip

    people = trip.members.values_list("person_id", flat=True)
    return (Trip.objects.filter(rules.counted_q(pending_before), members__person_id__in=people,
                                departs_on__lte=trip.returns_on, returns_on__gte=trip.departs_on)
            .exclude(pk=trip.pk).select_related("application").distinct().order_by("departs_on", "pk"))


def overlap_result(trip, pending_before):
    from .models import Member

    problems = []
    for other in overlapping_trips(trip, pending_before):
        names = _join_names(Member.objects.filter(trip=other, person__trip_memberships__trip=trip)
                            .values_list("person__name_zh", flat=True))
        problems.append(_("%(names)s already on %(number)s (%(from)s to %(to)s, %(state)s).") % {
            "names": names, "number": other.application.number, "from": other.departs_on.isoformat(),
            "to": other.returns_on.isoformat(), "state": STATES.get(other.application.state, "")})
    return rules.RuleResult(
        OVERLAP, str(_("No traveller on another trip at the same time")), "block", not problems,
        " ".join(str(p) for p in problems),
        str(_("One person is on one delegation at a time: checked against approved trips and trips under "
              "review filed earlier.")))


def lock_result(unit, today=None):
    message = lock_message(unit, today)
    return rules.RuleResult(
        LOCK, str(_("No passport of the unit overdue")), "block", not message, str(message),
        str(_("Passports are due back %(due)s days after return; a unit with one overdue by more than "
              "%(days)s days files and obtains nothing until it is back.") % {"due": PASSPORT_DUE_DAYS,
                                                                              "days": lock_days()}))


def _join_names(names):
    return "、".join(sorted(set(names)))


def move_results(application, today=None):
    """Everything a move checks, one RuleResult each: the rules in force on the filing date, the
    overlap with other trips of the same people and the unit's overdue-passport lock."""
    trip = application.trip
    moment = filing_moment(application)
    draft = rules.draft_from_trip(trip, filed_on=timezone.localdate(moment))
    draft.pending_before = moment
    results = rules.evaluate(draft)
    results.append(overlap_result(trip, moment))
    results.append(lock_result(application.unit, today))
    return results


def compare_results(at_filing, now):
    """Each result now beside its result at filing (dicts as kept on the trip), differences marked."""
    earlier = {r["rule"]: r for r in at_filing or []}
    rows = []
    for result in now:
        before = earlier.pop(result.rule, None)
        rows.append({"rule": result.rule, "name": result.name, "now": result, "filed": before,
                     "changed": before is not None and before.get("ok") != result.ok})
    for before in earlier.values():
        rows.append({"rule": before["rule"], "name": before.get("name", ""), "now": None, "filed": before,
                     "changed": True})
    return rows


def check_rules(application, user):
    """On every move that advances or approves: failed block rules stop it, and reason rules
    without the applicant's written reason."""
    trip = application.trip
    filing = application.state in ("draft", "returned")
    results = move_results(application)
    if filing:
        application.rule_results = results  # recorded after the move by record_rule_results
    if filing:
        tail = " " + _("Give a written reason to submit.")
    else:
        tail = " " + _("The applicant has given no written reason; return the application for one.")
    # The document's name is enough here; the page shows the whole source beside each rule.
    return [(_("%(rule)s: %(message)s") % {"rule": r.name, "message": r.message} if r.rule in (LOCK, OVERLAP)
             else _("%(rule)s: %(message)s (%(source)s)") % {"rule": r.name, "message": r.message,
                                                             "source": r.source.split("：")[0]})
            + ("" if r.severity == "block" else tail)
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
    results = getattr(application, "rule_results", None) or move_results(application)
    trip.rule_results = [r.as_dict() for r in results]
    trip.save(update_fields=["rule_results"])


def next_approval_number(year):
    """The next approval number of the year (湘外审〔2027〕0001号). The year's counter row is locked
    until the approving transaction ends, so concurrent approvals wait in turn; the unique constraint
    on Trip.approval_number is the last guard."""
    from .models import ApprovalSequence

    prefix = f"{settings.WAISHI_APPROVAL_PREFIX}〔{year}〕"
    ApprovalSequence.objects.bulk_create([ApprovalSequence(prefix=prefix)], ignore_conflicts=True)
    sequence = ApprovalSequence.objects.select_for_update().get(prefix=prefix)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}{sequence.last:04d}号"


def parties(application):
    """The people who have a part in a trip, for recusal: every member of the delegation."""
    trip = getattr(application, "trip", None)
    if trip is None:
        return {}
    return {person_id: _("you travel on it") for person_id in trip.members.values_list("person_id", flat=True)}


def on_approved(application, move, user):
    if application.state != "approved":
        return

    trip = application.trip
    today = date.today()
    if not trip.approval_number:
        trip.approval_number = next_approval_number(today.year)
    trip.approved_on = today
    trip.publicity_from = today
    trip.publicity_to = rules.publicity_ends_on(today, publicity_working_days())
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
    parties=parties,
    advance_checks=(check_complete, check_rules),
    detail_url=lambda application: reverse("trips:trip_detail", args=[application.trip.pk]),
    transitions=[
        Transition("submit", gettext_lazy("submitted"), ("draft", "returned"), FIRST_STEP, APPLICANT,
                   after=(record_rule_results,),
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
        Transition("archive", gettext_lazy("archived"), ("reported",), "archived", OFFICE,
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
