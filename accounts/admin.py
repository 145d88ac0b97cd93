from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Person, Unit, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts and roles belong to the security administrator (three roles apart: the system
    administrator keeps the data, the security administrator the accounts, the audit administrator
    reads the audit)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.role == "security_admin"

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_change_permission = has_view_permission
    has_add_permission = has_module_permission

    def has_delete_permission(self, request, obj=None):
        return False

    list_display = ["username", "last_name", "first_name", "role", "jurisdiction", "is_active"]
    list_filter = ["role", "is_active", "jurisdiction__level"]
    autocomplete_fields = ["jurisdiction", "person"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Waishi", {"fields": ["role", "jurisdiction", "department", "unit", "person", "email_notifications"]}),
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


# The audit (django-auditlog's change records, django-axes' login records) is read by the audit
# administrator in the app's own pages, never changed through the admin.
for model_path in ("auditlog.models.LogEntry", "axes.models.AccessAttempt", "axes.models.AccessLog",
                   "axes.models.AccessFailureLog"):
    module, _, name = model_path.rpartition(".")
    try:
        model = getattr(__import__(module, fromlist=[name]), name)
        admin.site.unregister(model)
    except (ImportError, AttributeError, admin.sites.NotRegistered):
        pass
