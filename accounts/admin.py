from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "jurisdiction", "is_active"]
    list_filter = ["role", "is_active", "jurisdiction__level"]
    autocomplete_fields = ["jurisdiction"]
    fieldsets = BaseUserAdmin.fieldsets + (("Waishi", {"fields": ["role", "jurisdiction", "department"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("Waishi", {"fields": ["role", "jurisdiction"]}),)
