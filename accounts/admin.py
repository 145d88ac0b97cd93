from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Person, Unit, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "jurisdiction", "is_active"]
    list_filter = ["role", "is_active", "jurisdiction__level"]
    autocomplete_fields = ["jurisdiction"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Waishi", {"fields": ["role", "jurisdiction", "department", "unit", "email_notifications"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("Waishi", {"fields": ["role", "jurisdiction", "unit"]}),)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "kind", "jurisdiction", "competent", "review_chain", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name_zh", "name_en", "credit_code"]
    autocomplete_fields = ["jurisdiction", "competent"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "unit", "post", "rank", "is_leader", "teaching_research"]
    list_filter = ["rank", "is_leader", "teaching_research"]
    search_fields = ["name_zh", "name_pinyin"]
    autocomplete_fields = ["unit"]
