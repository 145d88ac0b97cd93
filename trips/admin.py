from django.contrib import admin

from .models import Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "severity", "jurisdiction", "effective_from", "effective_to"]
    list_filter = ["code", "severity", "applies_to"]
    search_fields = ["code", "name_zh", "name_en", "source"]
    raw_id_fields = ["jurisdiction"]
