"""The gaps of the network (破零): where the home jurisdiction has no
friendship city yet. The plan's 专栏10 sets the targets: continents and major
countries without a provincial friendship city, prefectures without an African
one, top counties without any. Definitions are in `DEFINITIONS` and in
docs/statistics.md#gaps; the map page and its JSON both use `compute`.
"""

from django.utils.translation import gettext_lazy as _

from geo.countries import members_on
from geo.divisions import home_division, home_prefectures
from geo.models import STAT_CONTINENTS, Country
from twinning.models import Kind
from twinning.stats import in_force

from .models import TargetCounty

MAJOR_GROUP = "g20"
AFRICA_GROUP = "africa"

DEFINITIONS = {
    "continents_without_province": _(
        "Continents (as the statistics count them) with no province-level friendship city in force on the date."
    ),
    "majors_without_province": _(
        "Foreign G20 member countries (the plan's 'major countries') with no province-level friendship city "
        "in force on the date."
    ),
    "prefectures_without_africa": _(
        "Prefectures of the home province with no prefecture-level friendship city in an African country "
        "in force on the date."
    ),
    "counties_without": _(
        "Target counties (China's top 100 counties or the province's top 10 county economies) with no "
        "county-level friendship city in force on the date."
    ),
    "continents_without_by_level": _("For each level, the continents with no friendship city at that level."),
    "group_without": _(
        "Members of the chosen country group on the date with no friendship city at the chosen levels."
    ),
}


def compute(as_of, queryset=None, levels=None, group=None):
    sisters = in_force(as_of, (Kind.SISTER,), queryset)
    rows = list(sisters.values_list("level", "country_id", "cn_division_id"))
    continent_of = dict(Country.objects.values_list("iso2", "continent"))
    home_country = "CN"

    by_level = {level: {iso for lvl, iso, _division in rows if lvl == level} for level in ("province", "prefecture", "county")}
    continents_by_level = {
        level: [c for c in STAT_CONTINENTS if not any(continent_of.get(iso) == c for iso in countries)]
        for level, countries in by_level.items()
    }
    majors = sorted(members_on(MAJOR_GROUP, as_of) - {home_country} - by_level["province"])
    africa = members_on(AFRICA_GROUP, as_of)
    with_africa = {division for lvl, iso, division in rows if lvl == "prefecture" and iso in africa}
    home = home_division()
    prefectures = [p for p in home_prefectures() if p.code not in with_africa] if home.level == "province" else []
    counties_with = {division for lvl, _iso, division in rows if lvl == "county"}
    targets = TargetCounty.objects.select_related("division").filter(division__code__startswith=home.prefix)
    result = {
        "continents_without_province": continents_by_level["province"],
        "majors_without_province": majors,
        "prefectures_without_africa": [p.code for p in prefectures],
        "counties_without": [t.division_id for t in targets if t.division_id not in counties_with],
        "continents_without_by_level": continents_by_level,
        "group": None,
        "group_without": [],
    }
    if group:
        levels = levels or ["province", "prefecture", "county"]
        having = set().union(*(by_level[level] for level in levels if level in by_level))
        result["group"] = group
        result["group_without"] = sorted(members_on(group, as_of) - {home_country} - having)
    return result


def definitions():
    return {key: str(text) for key, text in DEFINITIONS.items()}
