"""One filter definition for the partnership list: the page, the API and the
Excel export all use `PartnershipFilter`."""

from datetime import date

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from geo.countries import membership_q, resolve_partner_country
from geo.divisions import home_division
from geo.models import CHINESE_REGIONS, Continent, Country, CountryGroup, Division
from geo.text import query_key

from .models import Kind, Partnership, Status, Vitality
from .vitality import annotate_vitality


class CountryField(forms.ModelMultipleChoiceField):
    """Countries by ISO code or by any name (日本, Japan, JPN, the United Kingdom), through the one resolver:
    a name that could mean several countries is refused with the candidates named, never guessed."""

    def clean(self, value):
        if value in self.empty_values:
            return super().clean(value)
        codes = []
        for text in value if isinstance(value, (list, tuple)) else [value]:
            match = resolve_partner_country(text)
            if match.country is None:
                raise forms.ValidationError(match.message())
            codes.append(match.country.iso2)
        return super().clean(codes)


class CountryFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = CountryField


def division_choices():
    home = home_division()
    qs = Division.objects.filter(code__startswith=home.prefix).exclude(level="county")
    counties_with = Partnership.objects.values("cn_division")
    qs = qs | Division.objects.filter(code__in=counties_with, code__startswith=home.prefix)
    return qs.order_by("code")


class PartnershipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    division = django_filters.ModelChoiceFilter(
        queryset=Division.objects.none(), method="within_division", label=_("Chinese side (and below)")
    )
    level = django_filters.MultipleChoiceFilter(choices=Division.Level.choices, label=_("Level"))
    kind = django_filters.MultipleChoiceFilter(choices=Kind.choices, label=_("Kind"))
    country = CountryFilter(queryset=Country.objects.exclude(iso2__in=CHINESE_REGIONS), label=_("Country"))
    continent = django_filters.MultipleChoiceFilter(
        field_name="country__continent", choices=Continent.choices, label=_("Continent")
    )
    group = django_filters.ModelChoiceFilter(
        queryset=CountryGroup.objects.all(), method="in_group", label=_("Country group")
    )
    signed_from = django_filters.DateFilter(
        field_name="signed_on", lookup_expr="gte", label=_("Signed from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # "Signed until" means certainly signed by then: a signing known only as "2014年" is in by 2014-12-31,
    # as the statistics count it (docs/statistics.md#signing-dates).
    signed_to = django_filters.DateFilter(
        field_name="counts_from", lookup_expr="lte", label=_("Signed until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("Status"))
    vitality = django_filters.MultipleChoiceFilter(choices=Vitality.choices, label=_("Vitality"))
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("signed_on", "signed_on"),
            ("cn_division__code", "division"),
            ("country__name_en", "country"),
            ("foreign__name_en", "foreign"),
            ("vitality_score", "vitality"),
        ),
        field_labels={
            "signed_on": _("signing date"),
            "cn_division__code": _("Chinese side"),
            "country__name_en": _("country"),
            "foreign__name_en": _("foreign side"),
            "vitality_score": _("vitality"),
        },
    )

    class Meta:
        model = Partnership
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, today=None):
        queryset = queryset if queryset is not None else Partnership.objects.all()
        queryset = annotate_vitality(queryset, today=today).select_related(
            "cn_division", "foreign", "country"
        )
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.today = today or date.today()
        self.filters["division"].queryset = division_choices()

    def search(self, queryset, name, value):
        key = query_key(value)
        if not key:
            return queryset
        return queryset.filter(search_text__contains=key)

    # `value` is the chosen Division (the hint is the type of its code in the OpenAPI schema).
    def within_division(self, queryset, name, value: str):
        return queryset.filter(cn_division__code__startswith=value.prefix)

    def in_group(self, queryset, name, value: str):
        return queryset.filter(membership_q(value.code, self.today))

    @property
    def qs(self):
        qs = super().qs
        if not self.data.get("sort"):
            qs = qs.order_by("cn_division__code", "signed_on", "pk")
        return qs
