from django.urls import path

from . import views

app_name = "atlas"

urlpatterns = [
    path("", views.map_page, name="map"),
    path("data.json", views.map_data, name="map_data"),
    path("geo/<slug:name>.json", views.geojson, name="geojson"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_form, name="item_edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("layers/", views.layer_list, name="layer_list"),
    path("layers/new/", views.layer_form, name="layer_create"),
    path("layers/<slug:code>/", views.layer_detail, name="layer_detail"),
    path("layers/<slug:code>/edit/", views.layer_form, name="layer_edit"),
    path("layers/<slug:code>/items/new/", views.item_form, name="item_create"),
    path("layers/<slug:code>/import/", views.layer_import, name="layer_import"),
    path("layers/<slug:code>/export.xlsx", views.layer_export, name="layer_export"),
]

public_urlpatterns = [
    path("map", views.public_map_page, name="public_map"),
    path("map/data.json", views.public_map_data, name="public_map_data"),
]
