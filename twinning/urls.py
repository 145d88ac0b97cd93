from django.urls import path

from . import views

app_name = "twinning"

urlpatterns = [
    path("", views.partnership_list, name="partnership_list"),
    path("export.xlsx", views.partnership_export, name="partnership_export"),
    path("new/", views.partnership_edit, name="partnership_create"),
    path("<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("<int:pk>/edit/", views.partnership_edit, name="partnership_edit"),
    path("<int:pk>/status/", views.partnership_status, name="partnership_status"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("places/suggest/", views.place_suggestions, name="place_suggestions"),
    path("unplaced/", views.unplaced_list, name="unplaced"),
    path("unplaced/<int:pk>/", views.unplaced_place, name="unplaced_place"),
    path("unplaced/<int:pk>/suggest/", views.unplaced_suggest, name="unplaced_suggest"),
    path("exchanges/", views.exchange_list, name="exchange_list"),
    path("exchanges/new/", views.exchange_create, name="exchange_create"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("vitality/", views.vitality_overview, name="vitality"),
    path("anniversaries/", views.anniversary_list, name="anniversaries"),
    path("stats/", views.stats_page, name="stats"),
    path("stats/export.xlsx", views.stats_export, name="stats_export"),
    path("import/", views.import_start, name="import_start"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/columns/", views.import_mapping, name="import_mapping"),
    path("import/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("import/template/<str:what>.xlsx", views.import_template, name="import_template"),
]
