"""Pages of the map (named after the home: 湖南HERE, 杭州HERE, …): the map for staff,
the public map, layers and their items. Views only glue: visibility in selectors, the payload in mapdata,
rows in items."""

import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from accounts.audit import audited
from accounts.models import AuditEvent
from geo.divisions import home_division
from geo.models import Continent, CountryGroup
from twinning.exports import XLSX, filename
from twinning.filters import PartnershipFilter
from twinning.models import Vitality
from waishi.tables import TableError, read_dict_table

from . import exports, gaps, geodata, items, mapdata
from .forms import ImportForm, LayerForm, LayerItemForm
from .models import LayerItem
from .selectors import (
    editable_layers,
    item_editable_layers,
    may_edit_items,
    may_edit_layer,
    public_layers,
    visible_items,
    visible_layers,
)

IMPORT_DIR = Path(settings.MEDIA_ROOT) / "atlas-imports"


def _first_year(user, public):
    # The slider steps through the dates from which partnerships count (the statistics' as-of rule).
    partnerships = mapdata.partnership_base(user, public)
    first = partnerships.aggregate(first=Min("counts_from"))["first"]
    return first.year if first else date.today().year


def _map_context(request, public):
    filterset = PartnershipFilter(request.GET or None)
    layers = public_layers() if public else visible_layers(request.user)
    return {
        "public": public,
        "filter": filterset,
        "layers": layers.order_by("-map", "code"),  # world first
        "first_year": _first_year(request.user, public),
        "this_year": date.today().year,
        "config": {
            "data_url": request.path.rstrip("/") + "/data.json",
            "world_url": "/map/geo/world.json",
            "home_url": "/map/geo/home.json",
            "public": public,
            "labels": {
                "levels": {"province": _("province"), "prefecture": _("prefecture"), "county": _("county")},
                "vitality": {v.value: str(v.label) for v in Vitality},
                "continents": {c.value: str(c.label) for c in Continent},
                "partnerships": _("Friendship cities"),
                "signed": _("signed"),
                "count": _("partnerships"),
                "items": _("items"),
                "none": _("none"),
                "shade_by": _("Shade by"),
                "unplaced": _("without coordinates, not drawn"),
            },
        },
        "definitions": gaps.definitions(),
        "groups": CountryGroup.objects.all(),
    }


@login_required
def map_page(request):
    return render(request, "atlas/map.html", _map_context(request, public=False))


def public_map_page(request):
    return render(request, "atlas/map.html", _map_context(request, public=True))


def _payload_response(request, public):
    try:
        payload = mapdata.build(request.GET, user=None if public else request.user, public=public)
    except mapdata.MapQueryError as exc:
        return JsonResponse({"errors": exc.errors}, status=400)
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    patch_cache_control(response, private=not public, max_age=0 if not public else 60)
    return response


@gzip_page
@login_required
def map_data(request):
    return _payload_response(request, public=False)


@gzip_page
def public_map_data(request):
    return _payload_response(request, public=True)


@gzip_page
def geojson(request, name):
    """The outlines, shipped with the app (public: boundaries carry no data)."""
    if name == "world":
        body = geodata.world_bytes()
    elif name == "home":
        body = geodata.province_bytes(home_division().code)
        if body is None:
            raise Http404
    else:
        raise Http404
    response = HttpResponse(body, content_type="application/geo+json")
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


def item_detail(request, pk):
    """The panel shown when an item is clicked on the map."""
    qs = visible_items(request.user) if request.user.is_authenticated else LayerItem.objects.filter(
        layer__in=public_layers()
    )
    item = get_object_or_404(qs.select_related("layer", "country", "division"), pk=pk)
    can_edit = request.user.is_authenticated and may_edit_items(request.user, item.layer)
    return render(request, "atlas/_item_panel.html", {"item": item, "can_edit": can_edit})


# --- layers and items -------------------------------------------------------


@login_required
def layer_list(request):
    layers = visible_layers(request.user).select_related("owner").annotate(n=Count("items")).order_by("map", "code")
    editable = set(item_editable_layers(request.user).values_list("pk", flat=True))
    return render(request, "atlas/layer_list.html", {
        "layers": layers, "editable": editable, "can_create": request.user.can_write,
    })


def _layer_or_404(user, code):
    return get_object_or_404(visible_layers(user).select_related("owner"), code=code)


@login_required
def layer_detail(request, code):
    layer = _layer_or_404(request.user, code)
    query = request.GET.get("q", "").strip()
    qs = layer.items.select_related("country", "division")
    if query:
        qs = qs.filter(name_zh__icontains=query) | qs.filter(name_en__icontains=query)
    return render(request, "atlas/layer_detail.html", {
        "layer": layer, "items": qs.order_by("name_zh"), "q": query,
        "can_edit_items": may_edit_items(request.user, layer), "can_edit_layer": may_edit_layer(request.user, layer),
    })


@login_required
def layer_form(request, code=None):
    layer = None
    if code:
        layer = get_object_or_404(editable_layers(request.user), code=code)
    elif not request.user.can_write:
        raise PermissionDenied
    form = LayerForm(request.POST or None, instance=layer, user=request.user)
    if request.method == "POST" and form.is_valid():
        layer = form.save()
        messages.success(request, _("Layer saved."))
        return redirect("atlas:layer_detail", code=layer.code)
    return render(request, "atlas/layer_form.html", {"form": form, "layer": layer})


@login_required
def item_form(request, code=None, pk=None):
    if pk:
        item = get_object_or_404(LayerItem.objects.filter(layer__in=item_editable_layers(request.user)), pk=pk)
        layer = item.layer
    else:
        item = None
        layer = get_object_or_404(item_editable_layers(request.user), code=code)
    form = LayerItemForm(request.POST or None, instance=item, layer=layer)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.layer = layer
        if item.pk is None:
            item.created_by = request.user
        item.save()
        messages.success(request, _("Item saved."))
        return redirect("atlas:layer_detail", code=layer.code)
    return render(request, "atlas/item_form.html", {"form": form, "layer": layer, "item": item})


@login_required
@require_POST
def item_delete(request, pk):
    item = get_object_or_404(LayerItem.objects.filter(layer__in=item_editable_layers(request.user)), pk=pk)
    code = item.layer.code
    item.delete()
    messages.success(request, _("Item deleted."))
    return redirect("atlas:layer_detail", code=code)


@login_required
@audited(AuditEvent.Kind.EXPORT)
def layer_export(request, code):
    layer = _layer_or_404(request.user, code)
    body = exports.items_workbook(layer, layer.items.order_by("name_zh"))
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename("layer-" + layer.code)}"'
    return response


@login_required
def layer_import(request, code):
    """Upload, preview (dry run with every bad row), then confirm: nothing is written before."""
    layer = get_object_or_404(item_editable_layers(request.user), code=code)
    session_key = f"atlas-import-{layer.code}"
    context = {"layer": layer, "form": ImportForm()}
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(session_key)
        if not stored or stored["token"] != request.POST.get("token"):
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect("atlas:layer_import", code=layer.code)
        path = IMPORT_DIR / stored["token"]
        parsed, errors = _check_file(path, stored["name"], layer)
        if errors is None or errors:
            messages.error(request, _("The file no longer passes the checks; upload it again."))
            return redirect("atlas:layer_import", code=layer.code)
        added, updated = items.import_rows(parsed, request.user)
        path.unlink(missing_ok=True)
        del request.session[session_key]
        messages.success(request, _("Import done: %(added)s items added, %(updated)s updated.")
                         % {"added": added, "updated": updated})
        return redirect("atlas:layer_detail", code=layer.code)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            IMPORT_DIR.mkdir(parents=True, exist_ok=True)
            token = uuid.uuid4().hex
            path = IMPORT_DIR / token
            with open(path, "wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            parsed, errors = _check_file(path, upload.name, layer)
            if errors is None:
                context["file_error"] = parsed
                path.unlink(missing_ok=True)
            else:
                context.update({"parsed": parsed, "errors": errors, "name": upload.name, "token": token,
                                "updates": sum(1 for _line, row in parsed if row["update"])})
                if errors:
                    path.unlink(missing_ok=True)
                else:
                    request.session[session_key] = {"token": token, "name": upload.name}
    return render(request, "atlas/layer_import.html", context)


def _check_file(path, name, layer):
    """(parsed rows, errors), or (message, None) when the file itself cannot be read."""
    try:
        with open(path, "rb") as fh:
            headers, table = read_dict_table(fh, name, items.COLUMNS)
        mapping = items.map_headers(headers)
    except TableError as exc:
        return str(exc), None
    return items.validate_rows(table, mapping, layer)
