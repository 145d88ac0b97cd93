from django.contrib import admin
from django.urls import include, path

from accounts.views import home
from atlas.urls import public_urlpatterns as public_map

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("twinning/", include("twinning.urls")),
    path("map/", include("atlas.urls")),
    path("trips/", include("trips.urls")),
    path("services/", include("eservices.urls")),
    path("public/", include((public_map, "public"))),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
