from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="twinning:partnership_list", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("twinning/", include("twinning.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
