from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from atlas import api as atlas_api
from trips import api as trips_api
from twinning import api as twinning_api

router = DefaultRouter()
router.register("twinning/partnerships", twinning_api.PartnershipViewSet, basename="partnership")
router.register("twinning/exchanges", twinning_api.ExchangeViewSet, basename="exchange")
router.register("atlas/layers", atlas_api.LayerViewSet, basename="layer")

urlpatterns = [
    path("twinning/stats", twinning_api.StatsView.as_view(), name="twinning-stats"),
    path("trips/check", trips_api.TripCheckView.as_view(), name="trips-check"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]
