"""Vitality of a partnership (活跃 / 不太稳定 / 休眠 / 暂无交流记录), computed from its exchanges.

The rule (docs/statistics.md#vitality): when the partnership's owner
jurisdiction has recorded no exchange for any of its partnerships on or before
the reference date, the partnership has no vitality yet ("no exchanges
recorded yet"): an office that has not started recording exchanges must not
see its whole network as dormant. Otherwise count the partnership's exchanges
in the last `window_years` years up to the reference date, counting the
signing itself as one if it falls in the window. With at least `active_min` it
is active; with at least `unstable_min` unstable; otherwise dormant.
Thresholds come from settings (WAISHI_VITALITY_*).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext as _

from .models import Exchange, Vitality


@dataclass(frozen=True)
class VitalityRule:
    window_years: int
    active_min: int
    unstable_min: int

    def cutoff(self, today):
        try:
            return today.replace(year=today.year - self.window_years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - self.window_years, day=28)

    def describe(self):
        return _(
            "Exchanges in the last %(years)s years, the signing included: "
            "%(active)s or more = active; %(unstable)s or more = unstable; fewer = dormant. "
            "While the owner jurisdiction has recorded no exchange for any of its partnerships, "
            "its partnerships show “no exchanges recorded yet” instead."
        ) % {"years": self.window_years, "active": self.active_min, "unstable": self.unstable_min}

    def classify(self, score, owner_has_records=True):
        if not owner_has_records:
            return Vitality.NO_RECORDS
        if score >= self.active_min:
            return Vitality.ACTIVE
        if score >= self.unstable_min:
            return Vitality.UNSTABLE
        return Vitality.DORMANT


def current_rule():
    return VitalityRule(
        window_years=settings.WAISHI_VITALITY_WINDOW_YEARS,
        active_min=settings.WAISHI_VITALITY_ACTIVE_MIN,
        unstable_min=settings.WAISHI_VITALITY_UNSTABLE_MIN,
    )


def owner_records(owner_id, today):
    """Exchanges recorded, dated on or before `today`, for any partnership owned by `owner_id`
    (an OuterRef in the annotation, a code for one partnership)."""
    return Exchange.objects.filter(partnerships__owner=owner_id, occurred_on__lte=today)


def annotate_vitality(queryset, today=None, rule=None):
    """Annotate partnerships with `vitality_score`, `vitality_recorded` (whether their owner has recorded
    any exchange) and `vitality`. One SQL expression: usable on the whole registry."""
    rule = rule or current_rule()
    today = today or date.today()
    cutoff = rule.cutoff(today)
    recent = Count(
        "exchanges",
        filter=Q(exchanges__occurred_on__gte=cutoff, exchanges__occurred_on__lte=today),
        distinct=True,
    )
    signing = Case(
        When(signed_on__gte=cutoff, signed_on__lte=today, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return queryset.annotate(
        vitality_recent=recent, vitality_recorded=Exists(owner_records(OuterRef("owner"), today))
    ).annotate(
        vitality_score=F("vitality_recent") + signing,
        vitality=Case(
            When(vitality_recorded=False, then=Value(Vitality.NO_RECORDS.value)),
            When(vitality_score__gte=rule.active_min, then=Value(Vitality.ACTIVE.value)),
            When(vitality_score__gte=rule.unstable_min, then=Value(Vitality.UNSTABLE.value)),
            default=Value(Vitality.DORMANT.value),
        ),
    )


def vitality_of(partnership, today=None, rule=None):
    """(vitality, score) of one partnership, by the same rule as `annotate_vitality`."""
    rule = rule or current_rule()
    today = today or date.today()
    cutoff = rule.cutoff(today)
    score = partnership.exchanges.filter(occurred_on__gte=cutoff, occurred_on__lte=today).count()
    if partnership.signed_on and cutoff <= partnership.signed_on <= today:
        score += 1
    recorded = owner_records(partnership.owner_id, today).exists()
    return rule.classify(score, recorded), score
