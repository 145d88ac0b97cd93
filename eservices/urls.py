from django.urls import path

from . import views

app_name = "eservices"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("notifications/<int:pk>/read/", views.mark_read, name="mark_read"),
]
