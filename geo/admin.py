"""The admin pages of the reference geography (read mostly: the data is loaded from data/)."""

from django.contrib import admin

from .models import Country, CountryGroup, Division, GroupMembership, Place


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["iso2", "name_zh", "name_en", "continent"]
    list_filter = ["continent"]
    search_fields = ["iso2", "name_zh", "name_en", "aliases_zh", "aliases_en"]


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    autocomplete_fields = ["country"]
    extra = 0


@admin.register(CountryGroup)
class CountryGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en"]
    inlines = [MembershipInline]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "short_name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_zh", "short_name", "name_en", "former_names"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "country", "kind", "admin1", "population"]
    list_filter = ["kind"]
    list_select_related = ["country", "admin1"]
    search_fields = ["name_en", "name_zh", "code"]
    # A select of 35,000 places would not load.
    raw_id_fields = ["admin1"]
