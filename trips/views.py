"""Pages of the trip service. Views only glue: who sees what in
eservices.workflow, moves in the workflow, writing in services, rules in rules."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.audit import audited, record
from accounts.models import AuditEvent, Person, Role
from eservices.calendar import coverage_warning
from eservices.workflow import (
    STEP_LABELS,
    Conflict,
    NotAllowed,
    is_applicant,
    is_office,
    is_reviewer,
    visible_applications,
    waiting_for,
)

from . import rules, services
from .forms import (
    ActionForm,
    BudgetFormSet,
    MemberFormSet,
    PassportForm,
    PersonForm,
    PlanForm,
    PlannedTripFormSet,
    ReportForm,
    StopFormSet,
    TripForm,
)
from .models import AnnualPlan, PassportLoan, Trip
from .workflow import WORKFLOW, compare_results, move_results, overdue_passports, unit_locked


def visible_trips(user):
    return Trip.objects.filter(application__in=visible_applications(user, "trip")).select_related(
        "application", "application__unit")


def _trip_or_404(user, pk):
    return get_object_or_404(visible_trips(user), pk=pk)


def _clerk_unit(user):
    if user.role != Role.CLERK or not user.unit_id:
        raise PermissionDenied
    return user.unit


@login_required
def trip_list(request):
    trips = visible_trips(request.user)
    state = request.GET.get("state", "")
    if state:
        trips = trips.filter(application__state=state)
    query = request.GET.get("q", "").strip()
    if query:
        trips = trips.filter(Q(application__title__icontains=query) | Q(application__number__icontains=query))
    waiting = Trip.objects.filter(application__in=waiting_for(request.user, "trip")).select_related("application")
    today = date.today()
    return render(request, "trips/trip_list.html", {
        "trips": trips.order_by("-application__created_at")[:200], "waiting": waiting, "state": state, "q": query,
        "states": WORKFLOW.states, "today": today,
        "overdue": trips.filter(application__due_on__lt=today),
        "can_file": request.user.role == Role.CLERK and request.user.unit_id is not None,
        "locked": request.user.unit_id and unit_locked(request.user.unit),
    })


def _reason_fields(trip_results, posted=None, saved=None):
    """The failed rules that accept a written reason, with what was written."""
    fields = []
    for r in trip_results:
        if not r.ok and r.severity == "reason":
            value = (posted or {}).get(f"reason_{r.rule}") if posted is not None else (saved or {}).get(r.rule, "")
            fields.append({"rule": r.rule, "name": r.name, "message": r.message, "value": value or ""})
    return fields


def _formsets(request, unit, trip):
    data = request.POST if request.method == "POST" else None
    return (MemberFormSet(data, instance=trip, prefix="members", unit=unit),
            StopFormSet(data, instance=trip, prefix="stops"),
            BudgetFormSet(data, instance=trip, prefix="budget"))


@login_required
def trip_form(request, pk=None):
    unit = _clerk_unit(request.user)
    trip = None
    if pk is not None:
        trip = get_object_or_404(visible_trips(request.user), pk=pk)
        if not is_applicant(request.user, trip.application) or trip.application.state not in services.EDITABLE_STATES:
            raise PermissionDenied
    elif unit_locked(unit):
        messages.error(request, _("Your unit has passports overdue by more than the allowed days; "
                                  "it cannot file until they are back."))
        return redirect("trips:trip_list")
    form = TripForm(request.POST or None, instance=trip, unit=unit)
    members, stops, budget = _formsets(request, unit, trip or Trip())
    results = []
    if request.method == "POST":
        valid = form.is_valid() & members.is_valid() & stops.is_valid() & budget.is_valid()
        valid = valid and _kind_matches_stops(form, stops)
        draft = _draft_from_forms(form, members, stops, unit, trip, budget)
        results = rules.evaluate(draft) if draft else []
        if valid:
            reasons = {r["rule"]: r["value"] for r in _reason_fields(results, request.POST)}
            trip = services.save_trip(user=request.user, unit=unit, form=form, members=members, stops=stops,
                                      budget=budget, reasons=reasons)
            messages.success(request, _("Saved. Check the rules and submit when ready."))
            return redirect("trips:trip_detail", pk=trip.pk)
    elif trip:
        results = rules.evaluate(rules.draft_from_trip(trip))
    return render(request, "trips/trip_form.html", {
        "form": form, "members": members, "stops": stops, "budget": budget, "trip": trip, "results": results,
        "reasons": _reason_fields(results, request.POST if request.method == "POST" else None,
                                  trip.reasons if trip else None),
    })


def _kind_matches_stops(form, stops):
    """The itinerary fits the kind of trip (rules.itinerary_errors, which the check API asks too)."""
    countries = [f.cleaned_data["country"].iso2 for f in stops.forms
                 if f.cleaned_data.get("country") and not f.cleaned_data.get("DELETE")]
    errors = rules.itinerary_errors(form.cleaned_data.get("kind"), countries)
    for error in errors:
        form.add_error("kind", error)
    return not errors


def _draft_from_forms(form, members, stops, unit, trip, budget=None):
    """A TripDraft from forms as filled, valid or not, to check the rules as the user types."""
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    if not data.get("departs_on") or not data.get("returns_on"):
        return None
    member_drafts = []
    for f in members.forms:
        cd = getattr(f, "cleaned_data", {}) or {}
        person = cd.get("person")
        if person and not cd.get("DELETE"):
            member_drafts.append(rules.MemberDraft(
                name=person.name_zh, rank=person.rank, group_role=cd.get("group_role") or "member",
                is_leader=person.is_leader, teaching_research=person.teaching_research, person_id=person.pk,
                unit_id=person.unit_id))
    stop_drafts = []
    for f in stops.forms:
        cd = getattr(f, "cleaned_data", {}) or {}
        if cd.get("country") and not cd.get("DELETE"):
            stop_drafts.append(rules.StopDraft(country=cd["country"].iso2, city=cd.get("city", ""),
                                               transit=bool(cd.get("transit")), arrives_on=cd.get("arrives_on"),
                                               leaves_on=cd.get("leaves_on")))
    amounts = None
    if budget is not None:
        amounts = []
        for f in budget.forms:
            cd = getattr(f, "cleaned_data", {}) or {}
            if cd.get("amount") is not None and not cd.get("DELETE"):
                amounts.append(cd["amount"])
    return rules.TripDraft(
        kind=data.get("kind") or "abroad", purpose=data.get("purpose") or "other", departs_on=data["departs_on"],
        returns_on=data["returns_on"], members=member_drafts, stops=stop_drafts, unit_id=unit.pk,
        jurisdiction=unit.jurisdiction_id, invitation_issuer=data.get("invitation_issuer", ""),
        invitation_issuer_kind=data.get("invitation_issuer_kind", ""),
        planned=data.get("planned") is not None, trip_id=trip.pk if trip else None, budget=amounts)


@login_required
@require_POST
def trip_check(request):
    """The rule results for the form as filled (htmx), saving nothing."""
    unit = _clerk_unit(request.user)
    trip = None
    if request.POST.get("trip"):
        trip = get_object_or_404(visible_trips(request.user), pk=request.POST["trip"])
    form = TripForm(request.POST, instance=trip, unit=unit)
    members, stops, budget = _formsets(request, unit, trip or Trip())
    form.is_valid()
    members.is_valid()
    stops.is_valid()
    budget.is_valid()
    draft = _draft_from_forms(form, members, stops, unit, trip, budget)
    results = rules.evaluate(draft) if draft else []
    return render(request, "trips/_rule_results.html", {
        "results": results, "reasons": _reason_fields(results, request.POST), "live": True,
    })


@login_required
def trip_detail(request, pk):
    trip = _trip_or_404(request.user, pk)
    application = trip.application
    # Judged as a move would judge it: time rules as of the filing date, never today.
    results = move_results(application)
    compared = compare_results(trip.rule_results, results) if application.submitted_at else None
    actions = WORKFLOW.actions_for(application, request.user)
    decides = is_reviewer(request.user, application) or is_office(request.user, application)
    members = trip.members.select_related("person", "passport")
    history = {m.person_id: services.earlier_trips(m.person, trip)[:10] for m in members}
    unit = application.unit
    today = date.today()
    return render(request, "trips/trip_detail.html", {
        "trip": trip, "application": application, "results": results, "actions": actions, "compared": compared,
        "recusal": WORKFLOW.recusal(application, request.user) if decides else "",
        "action_form": ActionForm(initial={"version": application.version}),
        "moves": [{"move": m, "action": WORKFLOW.transition(m.action).label,
                   "from": WORKFLOW.state_label(m.from_state), "to": WORKFLOW.state_label(m.to_state),
                   "step": STEP_LABELS.get(m.step, "")}
                  for m in application.moves.select_related("actor")],
        "last_move": application.moves.order_by("-at", "-id").first(),
        "members": members, "history": history,
        "holder": WORKFLOW.holder(application), "state_label": WORKFLOW.state_label(application.state),
        "overdue_loans": overdue_passports(unit, today).select_related("passport__person"),
        "overdue_reports": Trip.objects.filter(application__unit=unit, application__state="approved",
                                               report_due_on__lt=today),
        "loans": trip.loans.select_related("passport__person"),
        "documents": _document_versions(trip),
        "is_applicant": is_applicant(request.user, application),
        "editable": is_applicant(request.user, application) and application.state in services.EDITABLE_STATES,
        "today": today,
        "calendar_warning": coverage_warning(application.due_on, trip.report_due_on, trip.publicity_to,
                                             trip.departs_on),
    })


def _document_versions(trip):
    from .documents import current_version, versions

    current = current_version(trip)
    return {
        "current": current,
        "versions": [{"version": v, "current": current is not None and v.version == current.version,
                      "action": _void_action_label(v)} for v in versions(trip)],
    }


@login_required
@require_POST
def trip_act(request, pk):
    trip = _trip_or_404(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was incomplete; try again."))
        return redirect("trips:trip_detail", pk=pk)
    action = form.cleaned_data["action"]
    try:
        WORKFLOW.transition(action)
    except KeyError:
        raise PermissionDenied from None
    try:
        WORKFLOW.perform(trip.application, action, request.user, version=form.cleaned_data["version"],
                         comment=form.cleaned_data["comment"], field_comments=form.field_comments())
    except Conflict as exc:
        messages.error(request, str(exc))
    except NotAllowed as exc:
        for error in exc.errors:
            messages.error(request, error)
    else:
        record(AuditEvent.Kind.MOVE, request, object_repr=trip.application.number, action=action)
        messages.success(request, _("Done: %(action)s.") % {"action": WORKFLOW.transition(action).verb})
    return redirect("trips:trip_detail", pk=pk)


@login_required
def trip_report(request, pk):
    trip = _trip_or_404(request.user, pk)
    if not is_applicant(request.user, trip.application) or trip.application.state not in ("approved", "reported"):
        raise PermissionDenied
    form = ReportForm(request.POST or None, instance=trip)
    if request.method == "POST" and form.is_valid():
        trip = form.save()
        if trip.disclosure.strip() and not trip.disclosed_on:
            trip.disclosed_on = date.today()
            trip.save(update_fields=["disclosed_on"])
        messages.success(request, _("Report saved. Submit it from the trip's page."))
        return redirect("trips:trip_detail", pk=pk)
    return render(request, "trips/trip_report.html", {"trip": trip, "form": form})


def _void_page(request, trip):
    """What is served instead of a document that is no longer in force: that it is void (已作废),
    since when and why; the document itself is not served."""
    from .documents import last_void

    void = last_void(trip)
    if void is None:
        raise PermissionDenied
    return render(request, "trips/document_void.html", {
        "trip": trip, "void": void, "void_action": _void_action_label(void),
    }, status=410)


def _void_action_label(version):
    try:
        return WORKFLOW.transition(version.void_action).label if version.void_action else ""
    except KeyError:
        return version.void_action


@login_required
@audited(AuditEvent.Kind.DOWNLOAD)
def approval_pdf(request, pk):
    from .documents import approval_pdf as build
    from .documents import current_version

    trip = _trip_or_404(request.user, pk)
    if current_version(trip) is None:
        return _void_page(request, trip)
    response = HttpResponse(build(trip), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="approval-{trip.application.number}.pdf"'
    return response


@login_required
def publicity(request, pk):
    from .documents import current_version, disclosure_text, publicity_period_ok, publicity_text

    trip = _trip_or_404(request.user, pk)
    if current_version(trip) is None:
        return _void_page(request, trip)
    return render(request, "trips/publicity.html", {
        "trip": trip, "text": publicity_text(trip), "period_ok": publicity_period_ok(trip),
        "disclosure": disclosure_text(trip) if trip.report else "",
    })


# --- passports ----------------------------------------------------------------------------------


def _passport_unit(user):
    if user.role in (Role.CLERK, Role.UNIT_REVIEWER) and user.unit_id:
        return user.unit
    raise PermissionDenied


@login_required
def passport_list(request):
    unit = _passport_unit(request.user)
    form = PassportForm(request.POST or None, unit=unit)
    if request.method == "POST" and request.user.role == Role.CLERK and form.is_valid():
        form.save()
        messages.success(request, _("Passport recorded."))
        return redirect("trips:passport_list")
    loans = PassportLoan.objects.filter(passport__person__unit=unit).select_related("passport__person", "trip__application")
    return render(request, "trips/passport_list.html", {
        "unit": unit, "passports": services.passports_of(unit), "form": form,
        "open_loans": loans.filter(returned_on__isnull=True), "today": date.today(),
        "locked": unit_locked(unit), "can_edit": request.user.role == Role.CLERK,
    })


@login_required
@require_POST
def passport_checkout(request, pk):
    trip = _trip_or_404(request.user, pk)
    if not is_applicant(request.user, trip.application):
        raise PermissionDenied
    try:
        loans = services.check_out_passports(trip, user=request.user)
    except ValueError:
        messages.error(request, _("Passports are checked out only for an approved trip."))
    else:
        messages.success(request, _("%(n)s passports checked out.") % {"n": len(loans)})
    return redirect("trips:trip_detail", pk=pk)


@login_required
@require_POST
def passport_return(request, loan_pk):
    unit = _passport_unit(request.user)
    if request.user.role != Role.CLERK:
        raise PermissionDenied
    loan = get_object_or_404(PassportLoan, pk=loan_pk, passport__person__unit=unit, returned_on__isnull=True)
    services.return_passport(loan, user=request.user)
    messages.success(request, _("Passport %(number)s is back.") % {"number": loan.passport.number})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "trips:passport_list"
    return redirect(target or "trips:passport_list")


# --- people and plans -----------------------------------------------------------------------------


@login_required
def people(request):
    unit = _passport_unit(request.user)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and request.user.role == Role.CLERK and form.is_valid():
        person = form.save(commit=False)
        person.unit = unit
        person.save()
        messages.success(request, _("%(name)s added.") % {"name": person.name_zh})
        return redirect("trips:people")
    from accounts.personal import mask

    rows = [{"person": p, "id_number": mask(p.id_number, 4), "phone": mask(p.phone, 4)}
            for p in Person.objects.filter(unit=unit)]
    return render(request, "trips/people.html", {
        "unit": unit, "people": rows, "form": form, "can_edit": request.user.role == Role.CLERK,
    })


def _person_or_404(user, pk):
    """A person the user may see: by jurisdiction, and for unit users only their unit's people
    (a unit reviewer also those of the units it supervises)."""
    from accounts.access import restrict_people

    return get_object_or_404(restrict_people(Person.objects.select_related("unit"), user), pk=pk)


@login_required
def person_detail(request, pk):
    """A person's record, personal data masked; shown in full to those who need it, each time audited."""
    from accounts.personal import erase_blockers, mask, may_unmask

    person = _person_or_404(request.user, pk)
    unmasked = request.GET.get("show") == "1" and may_unmask(request.user, person)
    if request.GET.get("show") == "1" and not unmasked:
        raise PermissionDenied
    if unmasked:
        record(AuditEvent.Kind.UNMASK, request, object_repr=f"person #{person.pk}")
    passports = [(p, p.number if unmasked else mask(p.number)) for p in person.passports.all()]
    return render(request, "trips/person_detail.html", {
        "person": person, "unmasked": unmasked, "may_unmask": may_unmask(request.user, person),
        "id_number": person.id_number if unmasked else mask(person.id_number, 4),
        "phone": person.phone if unmasked else mask(person.phone, 4), "passports": passports,
        "trips": services.earlier_trips(person), "blockers": erase_blockers(person),
    })


@login_required
def person_export(request, pk):
    from django.http import JsonResponse

    from accounts.personal import export, may_unmask

    person = _person_or_404(request.user, pk)
    if not may_unmask(request.user, person):
        raise PermissionDenied
    record(AuditEvent.Kind.PERSONAL_DATA, request, object_repr=f"person #{person.pk}", action="export")
    response = JsonResponse(export(person), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@login_required
@require_POST
def person_erase(request, pk):
    from accounts.personal import erase, may_unmask

    person = _person_or_404(request.user, pk)
    if not may_unmask(request.user, person):
        raise PermissionDenied
    reasons = erase(person)
    if reasons:
        for reason in reasons:
            messages.error(request, reason)
    else:
        record(AuditEvent.Kind.PERSONAL_DATA, request, object_repr=f"person #{person.pk}", action="erase")
        messages.success(request, _("The person's data is erased."))
    return redirect("trips:person_detail", pk=pk)


@login_required
def plan(request, year=None):
    unit = _clerk_unit(request.user)
    year = year or date.today().year + 1
    annual, _created = AnnualPlan.objects.get_or_create(unit=unit, year=year)
    form = PlanForm(request.POST or None, instance=annual)
    formset = PlannedTripFormSet(request.POST or None, instance=annual, prefix="planned")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        form.save()
        formset.save()
        if "file" in request.POST and not annual.filed_at:
            from django.utils import timezone

            annual.filed_at = timezone.now()
            annual.save(update_fields=["filed_at"])
            messages.success(request, _("The plan for %(year)s is filed.") % {"year": year})
        else:
            messages.success(request, _("Plan saved."))
        return redirect("trips:plan", year=year)
    deadline = date(year - 1, 11, 30)
    return render(request, "trips/plan.html", {"form": form, "formset": formset, "plan": annual, "year": year,
                                               "deadline": deadline, "late": date.today() > deadline})



# --- statistics and early warning ------------------------------------------------------------------


def _statistics(request):
    """The trip statistics of the period asked for, over the trips the user may see; None for bad dates."""
    from . import stats

    today = date.today()
    try:
        date_from = date.fromisoformat(request.GET.get("from") or f"{today.year}-01-01")
        date_to = date.fromisoformat(request.GET.get("to") or f"{today.year}-12-31")
    except ValueError:
        return None
    return stats.compute(visible_trips(request.user), date_from, date_to)


@login_required
def stats_page(request):
    from . import stats
    from .models import Purpose

    result = _statistics(request)
    if result is None:
        messages.error(request, _("Give the dates as YYYY-MM-DD."))
        return redirect("trips:stats")
    labels = stats.summary_labels()
    return render(request, "trips/stats.html", {
        "s": result, "definitions": stats.DEFINITIONS, "date_from": result["date_from"],
        "date_to": result["date_to"],
        "summary": [(key, labels[key], read(result), stats.DEFINITIONS[key]) for key, read in stats.SUMMARY.items()],
        "purposes": [(Purpose(p).label, n) for p, n in result["by_purpose"].items()],
        "countries": [(result["country_names"].get(c, c), c, n) for c, n in result["by_country"].items()],
        "query": request.GET.urlencode(),
    })


@login_required
@audited(AuditEvent.Kind.EXPORT)
def stats_export(request):
    from twinning.exports import XLSX, filename

    from . import stats

    result = _statistics(request)
    if result is None:
        return HttpResponse(_("Give the dates as YYYY-MM-DD."), status=400)
    response = HttpResponse(stats.workbook(result), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename("trip-statistics")}"'
    return response


@login_required
@audited(AuditEvent.Kind.EXPORT)
def stats_json(request):
    from django.http import JsonResponse

    from . import stats

    result = _statistics(request)
    if result is None:
        return JsonResponse({"errors": {"from": [_("Give the dates as YYYY-MM-DD.")]}}, status=400)
    return JsonResponse(stats.to_json(result), json_dumps_params={"ensure_ascii": False})
