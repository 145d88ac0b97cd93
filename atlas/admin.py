from django.contrib import admin

from .models import Layer, LayerItem, TargetCounty


@admin.register(Layer)
class LayerAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "map", "owner", "department", "visibility"]
    list_filter = ["map", "visibility"]


@admin.register(LayerItem)
class LayerItemAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "layer", "category", "country", "on"]
    list_filter = ["layer"]
    search_fields = ["name_zh", "name_en"]


@admin.register(TargetCounty)
class TargetCountyAdmin(admin.ModelAdmin):
    list_display = ["division", "basis"]
