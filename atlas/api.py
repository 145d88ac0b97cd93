"""The map's REST API: layers and their items (read-only), wired in api/urls.py.
Anyone may read public layers; internal ones follow atlas.selectors."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny

from accounts.tokens import HasScope

from .models import Layer, LayerItem
from .selectors import visible_layers


class LayerSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner_id")

    class Meta:
        model = Layer
        fields = ["code", "name_zh", "name_en", "map", "owner", "department", "department_en", "visibility",
                  "color", "description_zh", "description_en", "source"]


class LayerItemSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", allow_null=True)
    division = serializers.CharField(source="division_id", allow_null=True)
    date = serializers.DateField(source="on", allow_null=True)

    class Meta:
        model = LayerItem
        fields = ["id", "name_zh", "name_en", "category", "country", "division", "lat", "lon", "to_lat", "to_lon",
                  "date", "date_precision", "description_zh", "description_en", "source"]


class LayerViewSet(viewsets.ReadOnlyModelViewSet):
    required_scope = "atlas:read"
    serializer_class = LayerSerializer
    permission_classes = [HasScope, AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"  # a slug; anything else (a NUL was a 500 on PostgreSQL) is a 404

    def get_queryset(self):
        return visible_layers(self.request.user).order_by("map", "code")

    @extend_schema(responses=LayerItemSerializer(many=True))  # a page of items, as the response is
    @action(detail=True, serializer_class=LayerItemSerializer)
    def items(self, request, code=None, format=None):  # format: the router's suffix (items.json)
        layer = self.get_object()
        page = self.paginate_queryset(layer.items.order_by("id"))
        return self.get_paginated_response(LayerItemSerializer(page, many=True).data)


