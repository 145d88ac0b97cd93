"""Pages of the registry (友城库). Views only glue: access through
accounts.access, rules in services/stats/vitality, one filter in filters."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import may_own
from accounts.audit import audited
from accounts.models import AuditEvent
from geo.gazetteer import label as gazetteer_label
from geo.gazetteer import suggest
from geo.models import Continent, Country, Division, Place
from waishi.uploads import attachment_response

from . import exports, imports, stats
from .filters import PartnershipFilter
from .forms import (
    ColumnMappingForm,
    DocumentForm,
    ExchangeForm,
    ImportForm,
    PartnershipForm,
    ProjectForm,
    ProjectUpdateForm,
    StatusForm,
)
from .models import AgreementDocument, ImportJob, Project, Vitality
from .selectors import (
    anniversaries,
    counted_partnerships,
    place_candidates,
    timeline,
    unplaced_partnerships,
    visible_exchanges,
    visible_partnerships,
    visible_projects,
)
from .services import advance_project, change_status, owner_for, place_partnership, save_partnership
from .vitality import annotate_vitality, current_rule, vitality_of


def parse_as_of(value):
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@login_required
def partnership_list(request):
    filterset = PartnershipFilter(request.GET, visible_partnerships(request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "rule": current_rule(),
        "can_write": request.user.can_write,
    }
    template = "twinning/_partnership_table.html" if request.htmx else "twinning/partnership_list.html"
    return render(request, template, context)


@login_required
@audited(AuditEvent.Kind.EXPORT)
def partnership_export(request):
    filterset = PartnershipFilter(request.GET, visible_partnerships(request.user))
    if not filterset.is_valid():
        return HttpResponse(_("Invalid filter."), status=400)
    body = exports.partnerships_workbook(filterset.qs)
    response = HttpResponse(body, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename("partnerships")}"'
    return response


def _visible_or_404(user, pk, action="view"):
    return get_object_or_404(visible_partnerships(user, action).select_related("cn_division", "foreign", "country"), pk=pk)


@login_required
def partnership_detail(request, pk):
    partnership = _visible_or_404(request.user, pk)
    vitality, score = vitality_of(partnership)
    return render(
        request,
        "twinning/partnership_detail.html",
        {
            "p": partnership,
            "vitality": Vitality(vitality),
            "score": score,
            "rule": current_rule(),
            "events": timeline(partnership),
            "documents": partnership.documents.all(),
            "projects": partnership.projects.all(),
            "can_change": may_own(request.user, partnership.owner),
            "status_form": StatusForm(),
            "document_form": DocumentForm(),
        },
    )


def _country_names():
    lang = get_language() or "zh-hans"
    field = "name_en" if lang.startswith("en") else "name_zh"
    return list(Country.objects.values_list(field, flat=True))


@login_required
def partnership_edit(request, pk=None):
    instance = _visible_or_404(request.user, pk, "change") if pk is not None else None
    if not request.user.can_write:
        raise PermissionDenied
    form = PartnershipForm(request.POST or None, user=request.user, instance=instance)
    if request.method == "POST" and form.is_valid():
        partnership = save_partnership(form.cleaned_data, user=request.user, instance=instance)
        messages.success(request, _("Partnership saved."))
        for warning in getattr(form, "warnings", []):
            messages.warning(request, warning)
        return redirect("twinning:partnership_detail", pk=partnership.pk)
    return render(
        request,
        "twinning/partnership_form.html",
        {"form": form, "instance": instance, "country_names": _country_names()},
    )


@login_required
@require_POST
def partnership_status(request, pk):
    partnership = _visible_or_404(request.user, pk, "change")
    form = StatusForm(request.POST)
    if form.is_valid():
        change_status(partnership, user=request.user, status=form.cleaned_data["status"],
                      on=form.cleaned_data["changed_on"], reason=form.cleaned_data["reason"])
        messages.success(request, _("Status recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("twinning:partnership_detail", pk=pk)


@login_required
@require_POST
def document_upload(request, pk):
    partnership = _visible_or_404(request.user, pk, "change")
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        document = form.save(commit=False)
        document.partnership = partnership
        document.uploaded_by = request.user
        document.save()
        messages.success(request, _("Document uploaded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("twinning:partnership_detail", pk=pk)


@login_required
@audited(AuditEvent.Kind.DOWNLOAD)
def document_download(request, pk):
    document = get_object_or_404(AgreementDocument, pk=pk)
    if not visible_partnerships(request.user).filter(pk=document.partnership_id).exists():
        raise Http404
    try:
        return attachment_response(document.file, document.original_name or "document", document.content_type)
    except FileNotFoundError:
        raise Http404 from None


@login_required
def place_suggestions(request):
    country = None
    text = request.GET.get("country", "").strip()
    if text:
        from geo.countries import resolve_country

        country = resolve_country(text).country
    places = suggest(request.GET.get("q") or request.GET.get("foreign_name_zh") or request.GET.get("foreign_name_en") or "", country)
    return render(request, "twinning/_place_suggestions.html", {"places": places})


@login_required
def exchange_list(request):
    exchanges = visible_exchanges(request.user).prefetch_related("partnerships__foreign", "partnerships__cn_division")
    page = Paginator(exchanges, 50).get_page(request.GET.get("page"))
    return render(request, "twinning/exchange_list.html", {"page": page, "can_write": request.user.can_write})


@login_required
def exchange_create(request):
    if not request.user.can_write:
        raise PermissionDenied
    initial = {}
    # A link's partnership id, as an unknown id if it is not a number at all (it was a 500).
    if request.GET.get("partnership", "").isdecimal():
        initial["partnerships"] = visible_partnerships(request.user, "change").filter(pk=request.GET["partnership"])
    form = ExchangeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        exchange = form.save(commit=False)
        exchange.owner = owner_for(request.user, form.cleaned_data["partnerships"])
        exchange.created_by = request.user
        exchange.save()
        form.save_m2m()
        messages.success(request, _("Exchange recorded."))
        first = form.cleaned_data["partnerships"][0]
        return redirect("twinning:partnership_detail", pk=first.pk)
    return render(request, "twinning/exchange_form.html", {"form": form})


@login_required
def project_list(request):
    projects = visible_projects(request.user).prefetch_related("partnerships__foreign", "partnerships__cn_division")
    stage = request.GET.get("stage")
    if stage in Project.Stage.values:
        projects = projects.filter(stage=stage)
    return render(
        request,
        "twinning/project_list.html",
        {"projects": projects, "stages": Project.Stage.choices, "stage": stage, "can_write": request.user.can_write},
    )


@login_required
def project_create(request):
    if not request.user.can_write:
        raise PermissionDenied
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        project = form.save(commit=False)
        project.owner = owner_for(request.user, form.cleaned_data["partnerships"])
        project.created_by = request.user
        project.save()
        form.save_m2m()
        advance_project(project, user=request.user, stage=Project.Stage.PROPOSED, on=project.proposed_on)
        messages.success(request, _("Project created."))
        return redirect("twinning:project_detail", pk=project.pk)
    return render(request, "twinning/project_form.html", {"form": form})


@login_required
def project_detail(request, pk):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    can_change = may_own(request.user, project.owner)
    form = ProjectUpdateForm(request.POST or None, project=project)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            advance_project(project, user=request.user, **form.cleaned_data)
            messages.success(request, _("Project stage recorded."))
            return redirect("twinning:project_detail", pk=pk)
    return render(
        request, "twinning/project_detail.html", {"project": project, "form": form, "can_change": can_change}
    )


@login_required
def vitality_overview(request):
    qs = annotate_vitality(visible_partnerships(request.user)).select_related("cn_division", "foreign", "country")
    counts = {v: 0 for v in Vitality.values}
    for row in qs.values("vitality"):
        counts[row["vitality"]] += 1
    # Partnerships whose owner has recorded no exchange yet are counted apart and never listed as dormant.
    dormant = qs.filter(vitality=Vitality.DORMANT).order_by("cn_division__code", "signed_on")
    return render(
        request,
        "twinning/vitality.html",
        {"counts": [(Vitality(v), n) for v, n in counts.items()], "dormant": dormant, "rule": current_rule(),
         "total": sum(counts.values())},
    )


@login_required
def anniversary_list(request):
    return render(
        request,
        "twinning/anniversaries.html",
        {"anniversaries": anniversaries(visible_partnerships(request.user)), "today": date.today()},
    )


def _stats_context(request):
    as_of = parse_as_of(request.GET.get("as_of"))
    if as_of is None:
        return None
    return stats.compute(as_of, queryset=counted_partnerships(request.user))


@login_required
def stats_page(request):
    data = _stats_context(request)
    if data is None:
        messages.error(request, _("Enter the date as YYYY-MM-DD."))
        data = stats.compute(date.today(), queryset=counted_partnerships(request.user))
    names = dict(Country.objects.values_list("iso2", "name_en" if (get_language() or "").startswith("en") else "name_zh"))
    level_labels = dict(Division.Level.choices)
    chart = {
        "continents": [{"name": str(Continent(c).label), "value": n} for c, n in data["by_continent"].items()],
        "levels": [{"name": str(level_labels[k]), "value": n} for k, n in data["by_level"].items()],
        "countries": [[names.get(iso, iso), n] for iso, n in list(data["by_country"].items())[:20]],
        "prefectures": [[data["prefecture_names"][c], n] for c, n in data["by_prefecture_incl_counties"].items()],
    }
    return render(
        request,
        "twinning/stats.html",
        {
            "s": data,
            "definitions": stats.definitions(),
            "chart_data": chart,
            "country_names": names,
            "level_labels": level_labels,
            "continent_labels": dict(Continent.choices),
        },
    )


@login_required
@audited(AuditEvent.Kind.EXPORT)
def stats_export(request):
    data = _stats_context(request)
    if data is None:
        return HttpResponse(_("Enter the date as YYYY-MM-DD."), status=400)
    names = dict(Country.objects.values_list("iso2", "name_en" if (get_language() or "").startswith("en") else "name_zh"))
    body = exports.stats_workbook(data, names, {k: str(v) for k, v in Division.Level.choices})
    response = HttpResponse(body, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename("statistics-" + data["as_of"])}"'
    return response


@login_required
def import_start(request):
    if not request.user.can_write:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            what=form.cleaned_data["what"], file=upload, original_name=upload.name[:255], created_by=request.user,
            side=form.cleaned_data.get("side"),
        )
        try:
            headers, mapping, total = imports.peek(job, request.user)
        except imports.ImportFileError as exc:
            imports.refuse(job, str(exc))
            return redirect("twinning:import_job", pk=job.pk)
        job.headers, job.mapping, job.total = headers, mapping, total
        job.save(update_fields=["headers", "mapping", "total"])
        if imports.missing_fields(job.what, mapping, side_given=job.side is not None):
            job.state = ImportJob.State.MAPPING
            job.save(update_fields=["state"])
            return redirect("twinning:import_mapping", pk=job.pk)
        imports.run(job, request.user, imports.run_dry, get_language())
        return redirect("twinning:import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user)[:10]
    return render(request, "twinning/import_start.html", {"form": form, "jobs": jobs})


@login_required
def import_mapping(request, pk):
    """The columns of the file and the field each holds: recognised ones chosen, the others for the user."""
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    if job.state not in {ImportJob.State.MAPPING, ImportJob.State.INVALID, ImportJob.State.READY} or not job.file:
        messages.error(request, _("This file has been imported already; upload it again to change its columns."))
        return redirect("twinning:import_job", pk=pk)
    try:
        headers, recognised, _total = imports.peek(job, request.user)
    except imports.ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("twinning:import_job", pk=job.pk)
    current = imports.job_mapping(job) or recognised
    form = ColumnMappingForm(request.POST or None, headers=headers, what=job.what, mapping=current)
    missing = imports.missing_fields(job.what, current, side_given=job.side is not None)
    if request.method == "POST" and form.is_valid():
        missing = imports.missing_fields(job.what, form.mapping, side_given=job.side is not None)
        if not missing:
            job.mapping = form.mapping
            job.save(update_fields=["mapping"])
            imports.remember_mapping(request.user, job.what, headers, form.mapping)
            imports.run(job, request.user, imports.run_dry, get_language())
            return redirect("twinning:import_job", pk=job.pk)
    return render(request, "twinning/import_mapping.html", {
        "job": job, "form": form, "missing": [imports.FIELD_LABELS[f] for f in missing],
    })


@login_required
def import_job(request, pk):
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    template = "twinning/_import_status.html" if request.htmx else "twinning/import_job.html"
    headers = job.headers or []
    columns = [
        (headers[index] if index < len(headers) else index + 1, imports.FIELD_LABELS[field])
        for field, index in sorted(imports.job_mapping(job).items(), key=lambda kv: kv[1])
    ]
    return render(request, template, {"job": job, "columns": columns})


@login_required
@require_POST
def import_commit(request, pk):
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    if job.state != ImportJob.State.READY:
        messages.error(request, _("Only a file that passed the dry run can be imported."))
        return redirect("twinning:import_job", pk=pk)
    imports.run(job, request.user, imports.run_commit, get_language())
    return redirect("twinning:import_job", pk=pk)


@login_required
def import_template(request, what):
    if what not in imports.COLUMNS:
        raise Http404
    body = imports.template_workbook(what)
    response = HttpResponse(body, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename("template-" + what)}"'
    return response


# --- partnerships not on the map: staff place each by a gazetteer suggestion or a click on the map --------


def _unplaced_context(request, **extra):
    page = Paginator(unplaced_partnerships(request.user), 50).get_page(request.GET.get("page"))
    config = {
        "world_url": reverse("atlas:geojson", kwargs={"name": "world"}),
        "labels": {"chosen": _("chosen point"), "suggestions": _("suggestions")},
    }
    return {"page": page, "config": config, **extra}


@login_required
def unplaced_list(request):
    if not request.user.can_write:
        raise PermissionDenied
    context = _unplaced_context(request)
    template = "twinning/_unplaced_table.html" if request.htmx else "twinning/unplaced.html"
    return render(request, template, context)


def _chosen_point(data, partnership):
    """(lat, lon, gazetteer place) from the suggestion or the coordinates the user chose."""
    country = partnership.foreign.country
    if data.get("gazetteer"):
        value = data["gazetteer"]
        place = Place.objects.filter(pk=value, country=country).first() if value.isdecimal() else None
        if place is None:
            raise ValueError(_("That suggestion is not a place in %(country)s.") % {"country": country.name})
        return place.lat, place.lon, place
    try:
        return float(data.get("lat", "")), float(data.get("lon", "")), None
    except ValueError:
        raise ValueError(_("Choose a suggestion, or click on the map to fill in the latitude and longitude.")) from None


def _labelled(places):
    # Name, state and country, so that the user tells apart places of one name (three Springfields).
    for place in places:
        place.label = gazetteer_label(place)
    return places


def _place_panel(partnership, **extra):
    place = partnership.foreign
    candidates = _labelled(place_candidates(place)) if place.lat is None else []
    return {"p": partnership, "candidates": candidates, **extra}


@login_required
def unplaced_place(request, pk):
    """The panel where one partnership is placed; POST places it. Another jurisdiction's partnership is a 404."""
    partnership = _visible_or_404(request.user, pk, "change")
    error = None
    if request.method == "POST":
        if partnership.foreign.lat is not None:
            error = _("This partnership is on the map already.")
        else:
            try:
                lat, lon, gazetteer = _chosen_point(request.POST, partnership)
                place_partnership(partnership, user=request.user, lat=lat, lon=lon, gazetteer=gazetteer)
            except ValueError as exc:
                error = str(exc)
            else:
                foreign = partnership.foreign
                message = _("%(name)s is on the map now.") % {"name": foreign.name or foreign.name_en}
                if not request.htmx:
                    messages.success(request, message)
                    return redirect("twinning:unplaced")
                response = render(request, "twinning/_unplaced_panel.html",
                                  _place_panel(partnership, placed_message=message))
                response["HX-Trigger"] = "unplaced-changed"
                return response
    panel = _place_panel(partnership, error=error, values=request.POST)
    if request.htmx:
        return render(request, "twinning/_unplaced_panel.html", panel)
    return render(request, "twinning/unplaced.html", _unplaced_context(request, selected=True, **panel))


@login_required
def unplaced_suggest(request, pk):
    """Other gazetteer places in the partnership's country, for a name the user types."""
    partnership = _visible_or_404(request.user, pk, "change")
    candidates = _labelled(suggest(request.GET.get("q", ""), partnership.foreign.country))
    return render(request, "twinning/_unplaced_candidates.html", {"p": partnership, "candidates": candidates})
