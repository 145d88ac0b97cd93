from django.contrib import admin

from .models import Exchange, ForeignPlace, Partnership, Project


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["cn_division", "foreign", "country", "kind", "signed_on", "status"]
    list_filter = ["level", "kind", "status"]
    search_fields = ["search_text"]
    raw_id_fields = ["cn_division", "foreign", "owner", "created_by"]


admin.site.register(ForeignPlace)
admin.site.register(Exchange)
admin.site.register(Project)
