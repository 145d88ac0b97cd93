from django.urls import path

from . import views

app_name = "trips"

urlpatterns = [
    path("", views.trip_list, name="trip_list"),
    path("new/", views.trip_form, name="trip_create"),
    path("check/", views.trip_check, name="trip_check"),
    path("<int:pk>/", views.trip_detail, name="trip_detail"),
    path("<int:pk>/edit/", views.trip_form, name="trip_edit"),
    path("<int:pk>/act/", views.trip_act, name="trip_act"),
    path("<int:pk>/report/", views.trip_report, name="trip_report"),
    path("<int:pk>/approval.pdf", views.approval_pdf, name="approval_pdf"),
    path("<int:pk>/publicity/", views.publicity, name="publicity"),
    path("<int:pk>/passports/checkout/", views.passport_checkout, name="passport_checkout"),
    path("passports/", views.passport_list, name="passport_list"),
    path("passports/loans/<int:loan_pk>/return/", views.passport_return, name="passport_return"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/export.json", views.person_export, name="person_export"),
    path("people/<int:pk>/erase/", views.person_erase, name="person_erase"),
    path("stats/", views.stats_page, name="stats"),
    path("stats/export.xlsx", views.stats_export, name="stats_export"),
    path("stats.json", views.stats_json, name="stats_json"),
    path("plan/", views.plan, name="plan"),
    path("plan/<int:year>/", views.plan, name="plan"),
]
