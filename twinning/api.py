"""The registry's REST API: serializers and views, wired in api/urls.py.
Querysets go through accounts.access; filtering uses the same PartnershipFilter as the pages."""

from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.tokens import HasScope

from . import stats
from .dates import PartialDate
from .filters import PartnershipFilter
from .models import Exchange, Partnership
from .selectors import public_partnerships, visible_exchanges, visible_partnerships


@extend_schema_field({"type": "string", "nullable": True, "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                      "description": "The signing date as given: YYYY, YYYY-MM or YYYY-MM-DD (see signed_precision)."})
class PartialDateField(serializers.Field):
    """A signing date with only as much as is known: "2014", "1979-05" or "1979-05-02"."""

    def __init__(self, precision_source, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(source="*", **kwargs)
        self.precision_source = precision_source

    def to_representation(self, instance):
        value = getattr(instance, self.field_name)
        if value is None:
            return None
        return PartialDate(value, getattr(instance, self.precision_source)).iso()


class PartnershipSerializer(serializers.ModelSerializer):
    cn_division = serializers.CharField(source="cn_division.code")
    cn_name = serializers.CharField(source="cn_division.name_zh")
    foreign_name_zh = serializers.CharField(source="foreign.name_zh")
    foreign_name_en = serializers.CharField(source="foreign.name_en")
    country = serializers.CharField(source="country_id")
    lat = serializers.FloatField(source="foreign.lat", allow_null=True)
    lon = serializers.FloatField(source="foreign.lon", allow_null=True)
    signed_on = PartialDateField("signed_precision")
    vitality = serializers.CharField(read_only=True)
    owner = serializers.CharField(source="owner_id")

    class Meta:
        model = Partnership
        fields = [
            "id", "cn_division", "cn_name", "level", "foreign_name_zh", "foreign_name_en", "country",
            "lat", "lon", "kind", "signed_on", "signed_precision", "status", "status_on", "vitality", "owner",
            "provenance",
        ]


class PartnershipViewSet(viewsets.ReadOnlyModelViewSet):
    required_scope = "twinning:read"
    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilter

    def get_queryset(self):
        return visible_partnerships(self.request.user)


class ExchangeSerializer(serializers.ModelSerializer):
    partnerships = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    owner = serializers.CharField(source="owner_id")

    class Meta:
        model = Exchange
        fields = ["id", "kind", "title", "occurred_on", "ended_on", "delegation_size", "description",
                  "partnerships", "owner"]


class ExchangeViewSet(viewsets.ReadOnlyModelViewSet):
    required_scope = "twinning:read"
    serializer_class = ExchangeSerializer

    def get_queryset(self):
        return visible_exchanges(self.request.user).prefetch_related("partnerships")


class StatsView(APIView):
    """Public statistics of the friendship-city registry as of a date (aggregates only)."""

    required_scope = "twinning:read"

    permission_classes = [HasScope, AllowAny]
    authentication_classes = []

    @extend_schema(
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="YYYY-MM-DD; today if omitted"),
            OpenApiParameter("kind", OpenApiTypes.STR, description="sister (default), exchange, or sister,exchange"),
        ],
        responses=inline_serializer(
            "TwinningStats",
            {
                "as_of": serializers.DateField(),
                "total": serializers.IntegerField(),
                "by_level": serializers.DictField(child=serializers.IntegerField()),
                "countries": serializers.IntegerField(),
                "by_continent": serializers.DictField(child=serializers.IntegerField()),
                "bri_route": serializers.IntegerField(),
                "by_country": serializers.DictField(child=serializers.IntegerField()),
                "by_prefecture": serializers.DictField(child=serializers.IntegerField()),
                "undated": serializers.IntegerField(),
            },
        ),
    )
    def get(self, request):
        text = request.query_params.get("as_of")
        try:
            as_of = date.fromisoformat(text) if text else date.today()
        except ValueError:
            raise ValidationError({"as_of": _("Give the date as YYYY-MM-DD.")}) from None
        kinds = [k for k in request.query_params.get("kind", "sister").split(",") if k]
        if not kinds or any(k not in ("sister", "exchange") for k in kinds):
            raise ValidationError({"kind": _("Kind must be sister, exchange or both, separated by a comma.")})
        # Anyone may read this: it counts published partnerships only, as the public map shows them.
        data = stats.compute(as_of, kinds, queryset=public_partnerships())
        data["definitions"] = stats.definitions()
        return Response(data)
