"""Writing to the registry: validation shared by forms and imports, and the
functions that create and change partnerships, exchanges and projects.
Every function takes the acting user and checks the owner jurisdiction."""

import math
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import may_own, scope_prefix
from geo.boundaries import point_in_country
from geo.countries import resolve_partner_country
from geo.divisions import home_division
from geo.models import CHINESE_REGIONS, Division
from geo.text import normalize, to_simplified

from .dates import EARLIEST_SIGNING, PartialDate, format_partial, period_end
from .models import (
    ForeignPlace,
    Kind,
    Partnership,
    PlaceType,
    Precision,
    Status,
    StatusChange,
)
from .projects import record_step


@dataclass
class Checked:
    """The outcome of validating one partnership: clean values or errors by field."""

    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    place: object = None  # the registry's foreign place these values name, if there is one

    def add(self, name, message):
        self.errors.setdefault(name, []).append(message)

    @property
    def ok(self):
        return not self.errors


class KnownPlaces:
    """The registry's foreign places of each country with their name keys, read once per country:
    the rows of one import share it instead of reading the places again for every row."""

    def __init__(self):
        self._by_country = {}

    def __call__(self, country):
        iso = getattr(country, "iso2", country)
        if iso not in self._by_country:
            self._by_country[iso] = [
                (place, {normalize(place.name_zh), normalize(place.name_en)} - {""})
                for place in ForeignPlace.objects.filter(country_id=iso)
            ]
        return self._by_country[iso]


def place_identity(country, *, name_zh="", name_en="", admin1="", gazetteer=None, known=None):
    """The foreign place these values name, or None: a place is its country, its state and its name.

    Two records are the same place when they are in the same country and the same state (or one of
    them names no state and the country holds just one place of that name), share a name
    (Chinese or English), and do not point at two different gazetteer places. Never one name alone:
    two "Springfield"s of two states stay two places.
    """
    names = [name_zh, name_en]
    if hasattr(gazetteer, "name_en"):
        # A record kept before the gazetteer knew it ("圣保罗市 / Saint Paul") is found by the gazetteer's names
        # too, so that "St. Paul" placed on Saint Paul is the same place.
        names += [gazetteer.name_en, gazetteer.name_zh]
    keys = {normalize(n) for n in names if n} - {""}
    if not keys or country is None:
        return None
    gazetteer_id = getattr(gazetteer, "pk", gazetteer)
    state = normalize(admin1)
    named = [
        place
        for place, place_keys in (known or KnownPlaces())(country)
        if keys & place_keys and not (gazetteer_id and place.gazetteer_id and place.gazetteer_id != gazetteer_id)
    ]
    if gazetteer_id:
        same = [p for p in named if p.gazetteer_id == gazetteer_id]
        if len(same) == 1:
            return same[0]
    if state:
        same = [p for p in named if normalize(p.admin1) == state]
        if len(same) == 1:
            return same[0]
        named = [p for p in named if not p.admin1]
        return named[0] if len(named) == 1 else None
    if len(named) > 1:
        # Without a state, the one record that names no state either (never one of several states).
        named = [p for p in named if not p.admin1]
    return named[0] if len(named) == 1 else None


def place_is_shared(place, owner, exclude=None):
    """Does a partnership of another jurisdiction use this place? Then nobody else may change it."""
    if place is None or place.pk is None:
        return False
    others = Partnership.objects.filter(foreign=place).exclude(owner=owner)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return others.exists()


def resolve_foreign_side(result, values, country):
    """Fill the foreign place's coordinates, gazetteer entry and Chinese name from the gazetteer.

    Coordinates given by the user win (they are checked against the country). Otherwise the
    gazetteer is asked; where it finds nothing or several places, the partnership is accepted
    but marked "not placed" with the reason, and staff place it later.
    """
    from geo.gazetteer import resolve_place

    if values.get("lat") is not None or country is None:
        values["unplaced_reason"] = ""
        return
    name = values.get("foreign_name_en") or values.get("foreign_name_zh") or ""
    found = resolve_place(
        values.get("foreign_name_zh") or name, country, admin1=values.get("foreign_admin1") or None,
        place_type=values.get("place_type") or None,
    )
    if found.place is None and values.get("foreign_name_en") and values.get("foreign_name_zh"):
        found = resolve_place(values["foreign_name_en"], country, admin1=values.get("foreign_admin1") or None,
                              place_type=values.get("place_type") or None)
    hint = values.get("place_type_hint")
    if found.place is None and found.candidates and hint and not values.get("place_type"):
        # A list whose column is headed "City" means the city where a province of the same name exists too
        # (Fukuoka, Istanbul); the candidates must still leave one city.
        by_hint = resolve_place(name, country, admin1=values.get("foreign_admin1") or None, place_type=hint)
        if by_hint.place is not None:
            found = by_hint
            values["place_type"] = hint
    if found.place is None:
        values["unplaced_reason"] = str(found.reason or _("No place of this name in the gazetteer."))
        result.warnings.append(_("Not placed on the map: %(reason)s") % {"reason": values["unplaced_reason"]})
        return
    place = found.place
    values.update(lat=place.lat, lon=place.lon, gazetteer=place, unplaced_reason="")
    if not values.get("foreign_name_zh") and place.name_zh:
        values["foreign_name_zh"] = place.name_zh
    if not values.get("foreign_name_en") and place.name_en:
        values["foreign_name_en"] = place.name_en
    if not values.get("foreign_admin1") and getattr(place, "admin1_name", ""):
        values["foreign_admin1"] = place.admin1_name


def check_partnership(data, *, user, instance=None, today=None, locate=True, undated_ok=False,
                      home=None, known=None):
    """Validate partnership input (a dict of form or import values).

    Keys: cn_division (Division), kind, signed_on (date, PartialDate or None) and signed_precision,
    country (text or Country), foreign_name_zh, foreign_name_en, foreign_name_local, foreign_name_given,
    foreign_admin1, place_type, lat, lon, gazetteer. Pairs repeated within one import are found by the
    import itself (twinning.imports), once each row's place is decided. With `locate`, a foreign side without coordinates is looked up in the gazetteer. With
    `undated_ok` (a published list that gives no dates), a missing signing date is a warning: the
    partnership is kept but counted in no statistics as of a date until its date is entered.
    `home` and `known` (KnownPlaces) let the rows of one import share what they read.
    """
    today = today or date.today()
    home = home or home_division()
    result = Checked(values=dict(data))
    division = data.get("cn_division")
    if not isinstance(division, Division):
        result.add("cn_division", _("Choose the Chinese side."))
    elif not division.code.startswith(home.prefix):
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
        if not text:
            result.add("country", _("Enter the country."))
            country = None
        else:
            match = resolve_partner_country(text)
            country = match.country
            if country is None:
                result.add("country", match.message())
    elif country.iso2 in CHINESE_REGIONS:
        result.add("country", _("%(name)s is part of China: a friendship city has a foreign side.")
                   % {"name": country.name_zh})
        country = None
    result.values["country"] = country

    given_zh = (data.get("foreign_name_zh") or "").strip()
    name_zh = to_simplified(given_zh)
    name_en = (data.get("foreign_name_en") or "").strip()
    if not name_zh and not name_en:
        result.add("foreign_name_zh", _("Enter the foreign side's name, in Chinese or in English."))
    result.values["foreign_name_zh"] = name_zh
    result.values["foreign_name_en"] = name_en
    result.values["foreign_admin1"] = to_simplified((data.get("foreign_admin1") or "").strip())
    if not result.values.get("foreign_name_given"):
        result.values["foreign_name_given"] = given_zh if given_zh != name_zh else ""

    kind = data.get("kind") or Kind.SISTER
    if kind not in Kind.values:
        result.add("kind", _("Unknown kind “%(kind)s”.") % {"kind": kind})
    result.values["kind"] = kind
    if data.get("place_type") and data["place_type"] not in PlaceType.values:
        result.add("place_type", _("Unknown place type “%(value)s”.") % {"value": data["place_type"]})

    signed_on = data.get("signed_on")
    precision = data.get("signed_precision") or Precision.DAY
    if isinstance(signed_on, PartialDate):
        signed_on, precision = signed_on.value, signed_on.precision
    result.values["signed_on"], result.values["signed_precision"] = signed_on, precision
    if signed_on and signed_on > today:
        result.add("signed_on", _("The signing date %(date)s is in the future.")
                   % {"date": format_partial(signed_on, precision, get_language())})
    elif signed_on and period_end(signed_on, precision) < EARLIEST_SIGNING:
        result.add("signed_on", _("The signing date %(date)s is before 1 October 1949.")
                   % {"date": format_partial(signed_on, precision, get_language())})
    if not signed_on and kind != Kind.INTENT:
        if undated_ok:
            result.warnings.append(_("No signing date: the partnership is not counted in statistics as of a date "
                                     "until its date is entered."))
        else:
            result.add("signed_on", _("Enter the signing date."))

    lat, lon = data.get("lat"), data.get("lon")
    if (lat is None) != (lon is None):
        result.add("lat", _("Enter both latitude and longitude, or neither."))
    elif lat is not None:
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            result.add("lat", _("Latitude must be between -90 and 90 and longitude between -180 and 180."))
        elif country is not None and point_in_country(country.iso2, lat, lon) is False:
            result.add(
                "lat",
                _("The coordinates (%(lat)s, %(lon)s) fall outside %(country)s.")
                % {"lat": lat, "lon": lon, "country": country.name_zh},
            )
    elif locate and country is not None and (name_zh or name_en) and not result.errors.get("foreign_name_zh"):
        resolve_foreign_side(result, result.values, country)

    name_zh, name_en = result.values["foreign_name_zh"], result.values["foreign_name_en"]
    if isinstance(division, Division) and country is not None and (name_zh or name_en):
        place = place_identity(
            country, name_zh=name_zh, name_en=name_en, admin1=result.values["foreign_admin1"],
            gazetteer=result.values.get("gazetteer"), known=known,
        )
        result.place = place
        duplicate = place and Partnership.objects.filter(cn_division=division, foreign=place)
        if duplicate and instance is not None:
            duplicate = duplicate.exclude(pk=instance.pk)
        if duplicate and duplicate.exists():
            result.add(
                "foreign_name_zh",
                _("%(cn)s already has a partnership with %(foreign)s (%(country)s).")
                % {"cn": division.name_zh, "foreign": name_zh or name_en, "country": country.name_zh},
            )
    return result


PLACE_FIELDS = ("name_zh", "name_en", "name_local", "name_given", "admin1")


def _place_values(values):
    return {attr: values.get(f"foreign_{attr}") for attr in PLACE_FIELDS}


def _write_place(place, values, fill_only=False):
    """Write the foreign side's values to a place. `fill_only` (imports) never blanks a known value."""
    for attr, value in _place_values(values).items():
        if value is None or (not value and (fill_only or attr == "name_zh")):
            continue
        setattr(place, attr, value)
    if values.get("place_type"):
        place.place_type = values["place_type"]
    if values.get("lat") is not None:
        place.lat, place.lon = values["lat"], values["lon"]
        place.unplaced_reason = ""
    elif values.get("unplaced_reason") is not None and place.lat is None:
        place.unplaced_reason = values["unplaced_reason"]
    if values.get("gazetteer"):
        place.gazetteer = values["gazetteer"]
    place.save()
    return place


def _foreign_place_for(values, *, owner, instance=None, fill_only=False):
    """The place to link: the one decided beforehand (an import's dry run), the instance's own,
    one already known, or a new one.

    A place that a partnership of another jurisdiction uses is never changed: editing it
    through this partnership gives this partnership a place of its own.
    """
    country = values["country"]
    decided = values.get("foreign_place")
    if decided is not None:
        if decided.pk is not None and place_is_shared(decided, owner, exclude=instance):
            return decided
        return _write_place(decided, values, fill_only=fill_only)
    found = place_identity(
        country, name_zh=values.get("foreign_name_zh") or "", name_en=values.get("foreign_name_en") or "",
        admin1=values.get("foreign_admin1") or "", gazetteer=values.get("gazetteer"),
    )
    if instance is not None and instance.foreign.country_id == country.iso2 and found in (None, instance.foreign):
        place = instance.foreign
        if not place_is_shared(place, owner, exclude=instance):
            return _write_place(place, values)
        if found == place:
            return place
        return _write_place(ForeignPlace(country=country), values)
    if found is not None:
        if place_is_shared(found, owner, exclude=instance):
            return found
        return _write_place(found, values)
    return _write_place(ForeignPlace(country=country), values)


@transaction.atomic
def save_partnership(values, *, user, instance=None, fill_only=False):
    """Create or update a partnership from values that passed `check_partnership`."""
    if instance is not None and not may_own(user, instance.owner):
        raise PermissionDenied
    owner = values.get("owner") or values["cn_division"]
    if not may_own(user, owner):
        raise PermissionDenied
    place = _foreign_place_for(values, owner=owner, instance=instance, fill_only=fill_only)

    partnership = instance or Partnership(created_by=user)
    partnership.cn_division = values["cn_division"]
    partnership.owner = owner
    partnership.foreign = place
    partnership.kind = values.get("kind") or Kind.SISTER
    signed_on = values.get("signed_on")
    if isinstance(signed_on, PartialDate):
        signed_on, values["signed_precision"] = signed_on.value, signed_on.precision
    partnership.signed_on = signed_on
    partnership.signed_precision = values.get("signed_precision") or Precision.DAY
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
def place_partnership(partnership, *, user, lat, lon, gazetteer=None):
    """Put a partnership's foreign side on the map (the list of unplaced partnerships).

    The coordinates must lie in the place's country. A place another jurisdiction's partnership
    uses is not changed: this partnership gets its own copy, placed.
    """
    if not may_own(user, partnership.owner):
        raise PermissionDenied
    place = partnership.foreign
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(_("Latitude must be between -90 and 90 and longitude between -180 and 180."))
    if point_in_country(place.country_id, lat, lon) is False:
        raise ValueError(_("The coordinates (%(lat)s, %(lon)s) fall outside %(country)s.")
                         % {"lat": lat, "lon": lon, "country": place.country.name_zh})
    if place_is_shared(place, partnership.owner, exclude=partnership):
        place.pk = None
        place.id = None
    place.lat, place.lon, place.unplaced_reason = lat, lon, ""
    if gazetteer is not None:
        place.gazetteer = gazetteer
        place.name_zh = place.name_zh or gazetteer.name_zh
        place.name_en = place.name_en or gazetteer.name_en
        place.admin1 = place.admin1 or getattr(gazetteer, "admin1_name", "") or ""
    place.save()
    if partnership.foreign_id != place.pk:
        partnership.foreign = place
        partnership.save()
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


@transaction.atomic
def advance_project(project, *, user, stage, on, note="", skip_reason=""):
    """Record a step of 立项 → 跟踪 → 评估 → 成果转化 by the rules of twinning.projects (never back, a skipped
    stage only with a reason, dates in order and not in the future); ValidationError by field otherwise."""
    if not may_own(user, project.owner):
        raise PermissionDenied
    return record_step(project, user=user, stage=stage, on=on, note=note, skip_reason=skip_reason)


def user_scope_division(user):
    prefix = scope_prefix(user)
    if prefix == "":
        return home_division()
    return getattr(user, "jurisdiction", None)
