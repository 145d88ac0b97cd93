"""Writing to the registry: validation shared by forms and imports, and the
functions that create and change partnerships, exchanges and projects.
Every function takes the acting user and checks the owner jurisdiction."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import may_own, scope_prefix
from geo.boundaries import point_in_country
from geo.countries import resolve_country
from geo.divisions import home_division
from geo.models import CHINESE_REGIONS, Division
from geo.text import normalize

from .models import ForeignPlace, Kind, Partnership, PlaceType, Project, ProjectUpdate, Status, StatusChange


@dataclass
class Checked:
    """The outcome of validating one partnership: clean values or errors by field."""

    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    def add(self, name, message):
        self.errors.setdefault(name, []).append(message)

    @property
    def ok(self):
        return not self.errors


def find_foreign_place(country, name_zh, name_en=""):
    keys = {normalize(n) for n in (name_zh, name_en) if n}
    for place in ForeignPlace.objects.filter(country=country):
        if keys & {normalize(place.name_zh), normalize(place.name_en)} - {""}:
            return place
    return None


def check_partnership(data, *, user, instance=None, today=None, seen_pairs=None):
    """Validate partnership input (a dict of form or import values).

    Keys: cn_division (Division), kind, signed_on (date or None), country (text
    or Country), foreign_name_zh, foreign_name_en, foreign_name_local,
    place_type, lat, lon. `seen_pairs` collects pairs already in the same import.
    """
    today = today or date.today()
    result = Checked(values=dict(data))
    division = data.get("cn_division")
    if not isinstance(division, Division):
        result.add("cn_division", _("Choose the Chinese side."))
    elif not division.code.startswith(home_division().prefix):
        result.add("cn_division", _("%(name)s is outside the home jurisdiction.") % {"name": division.name_zh})
    elif not may_own(user, division):
        result.add(
            "cn_division",
            _("You may only keep partnerships of your own jurisdiction and below (%(scope)s).")
            % {"scope": user.jurisdiction.name_zh if getattr(user, "jurisdiction", None) else "—"},
        )

    country = data.get("country")
    if not hasattr(country, "iso2"):
        text = str(country or "").strip()
        match = resolve_country(text)
        country = match.country
        if not text:
            result.add("country", _("Enter the country."))
        elif match.ambiguous:
            result.add(
                "country",
                _("“%(text)s” is ambiguous: it could be %(candidates)s. Enter the full name.")
                % {"text": text, "candidates": "、".join(f"{c.name_zh} ({c.name_en})" for c in match.candidates)},
            )
        elif country is None:
            result.add("country", _("Unknown country “%(text)s”.") % {"text": text})
        elif country.iso2 in CHINESE_REGIONS:
            result.add("country", _("%(name)s is part of China: a friendship city has a foreign side.")
                       % {"name": country.name_zh})
            country = None
    result.values["country"] = country

    name_zh = (data.get("foreign_name_zh") or "").strip()
    if not name_zh:
        result.add("foreign_name_zh", _("Enter the foreign side's Chinese name."))
    result.values["foreign_name_zh"] = name_zh

    kind = data.get("kind") or Kind.SISTER
    if kind not in Kind.values:
        result.add("kind", _("Unknown kind “%(kind)s”.") % {"kind": kind})
    result.values["kind"] = kind
    if data.get("place_type") and data["place_type"] not in PlaceType.values:
        result.add("place_type", _("Unknown place type “%(value)s”.") % {"value": data["place_type"]})

    signed_on = data.get("signed_on")
    if signed_on and signed_on > today:
        result.add("signed_on", _("The signing date %(date)s is in the future.") % {"date": signed_on.isoformat()})
    if not signed_on and kind != Kind.INTENT:
        result.add("signed_on", _("Enter the signing date."))

    lat, lon = data.get("lat"), data.get("lon")
    if (lat is None) != (lon is None):
        result.add("lat", _("Enter both latitude and longitude, or neither."))
    elif lat is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            result.add("lat", _("Latitude must be between -90 and 90 and longitude between -180 and 180."))
        elif country is not None and point_in_country(country.iso2, lat, lon) is False:
            result.add(
                "lat",
                _("The coordinates (%(lat)s, %(lon)s) fall outside %(country)s.")
                % {"lat": lat, "lon": lon, "country": country.name_zh},
            )

    if isinstance(division, Division) and country is not None and name_zh:
        key = (division.code, country.iso2, normalize(name_zh))
        place = find_foreign_place(country, name_zh, data.get("foreign_name_en") or "")
        duplicate = place and Partnership.objects.filter(cn_division=division, foreign=place)
        if duplicate and instance is not None:
            duplicate = duplicate.exclude(pk=instance.pk)
        if duplicate and duplicate.exists() or (seen_pairs is not None and key in seen_pairs):
            result.add(
                "foreign_name_zh",
                _("%(cn)s already has a partnership with %(foreign)s (%(country)s).")
                % {"cn": division.name_zh, "foreign": name_zh, "country": country.name_zh},
            )
        if seen_pairs is not None:
            seen_pairs.add(key)
    return result


@transaction.atomic
def save_partnership(values, *, user, instance=None):
    """Create or update a partnership from values that passed `check_partnership`."""
    if instance is not None and not may_own(user, instance.owner):
        raise PermissionDenied
    country = values["country"]
    place = None
    if instance is not None and instance.foreign.country_id == country.iso2:
        place = instance.foreign
        shared = place.partnership_set.exclude(pk=instance.pk).exists()
        if shared and normalize(place.name_zh) != normalize(values["foreign_name_zh"]):
            place = None
    place = place or find_foreign_place(country, values["foreign_name_zh"], values.get("foreign_name_en") or "")
    place = place or ForeignPlace(country=country)
    place.country = country
    place.name_zh = values["foreign_name_zh"]
    for attr in ("name_en", "name_local"):
        if values.get(f"foreign_{attr}") is not None:
            setattr(place, attr, values.get(f"foreign_{attr}") or "")
    if values.get("place_type"):
        place.place_type = values["place_type"]
    if values.get("lat") is not None:
        place.lat, place.lon = values["lat"], values["lon"]
    if values.get("gazetteer"):
        place.gazetteer = values["gazetteer"]
    place.save()

    partnership = instance or Partnership(created_by=user)
    partnership.cn_division = values["cn_division"]
    partnership.owner = values.get("owner") or values["cn_division"]
    if not may_own(user, partnership.owner):
        raise PermissionDenied
    partnership.foreign = place
    partnership.kind = values.get("kind") or Kind.SISTER
    partnership.signed_on = values.get("signed_on")
    for attr in ("provenance", "notes"):
        if values.get(attr) is not None:
            setattr(partnership, attr, values[attr])
    if values.get("published") is not None:
        partnership.published = values["published"]
    partnership.save()
    status = values.get("status")
    if status and status != partnership.status:
        change_status(partnership, user=user, status=status, on=values.get("status_on") or date.today(),
                      reason=values.get("status_reason") or "")
    return partnership


@transaction.atomic
def change_status(partnership, *, user, status, on, reason=""):
    if not may_own(user, partnership.owner):
        raise PermissionDenied
    if status not in Status.values:
        raise ValueError(status)
    StatusChange.objects.create(partnership=partnership, status=status, changed_on=on, reason=reason, recorded_by=user)
    latest = partnership.status_changes.order_by("-changed_on", "-id").first()
    partnership.status, partnership.status_on, partnership.status_reason = latest.status, latest.changed_on, latest.reason
    partnership.save(update_fields=["status", "status_on", "status_reason", "updated_at"])
    return partnership


def common_owner(divisions):
    """The deepest division that contains all of `divisions` (the owner of a shared record)."""
    divisions = list({d.code: d for d in divisions}.values())
    if not divisions:
        return None
    if len(divisions) == 1:
        return divisions[0]
    candidates = [divisions[0]]
    node = divisions[0]
    while node.parent_id:
        node = node.parent
        candidates.append(node)
    for candidate in candidates:
        if all(candidate.contains(d) for d in divisions):
            return candidate
    return home_division()


def owner_for(user, partnerships):
    owner = common_owner([p.owner for p in partnerships])
    if owner is None or not may_own(user, owner):
        raise PermissionDenied
    return owner


PROJECT_ORDER = [s.value for s in Project.Stage]


@transaction.atomic
def advance_project(project, *, user, stage, on, note=""):
    """Move a project to a later stage of 立项 → 跟踪 → 评估 → 成果转化; never back."""
    if not may_own(user, project.owner):
        raise PermissionDenied
    if PROJECT_ORDER.index(stage) < PROJECT_ORDER.index(project.stage):
        raise ValueError(_("A project cannot go back from %(from)s to %(to)s.") % {
            "from": Project.Stage(project.stage).label, "to": Project.Stage(stage).label})
    ProjectUpdate.objects.create(project=project, stage=stage, on=on, note=note, recorded_by=user)
    project.stage = stage
    project.save(update_fields=["stage", "updated_at"])
    return project


def user_scope_division(user):
    prefix = scope_prefix(user)
    if prefix == "":
        return home_division()
    return getattr(user, "jurisdiction", None)
