from django.contrib import admin

from .models import Application, HolidayNotice, Move, NoticeDay


class MoveInline(admin.TabularInline):
    model = Move
    extra = 0
    can_delete = False
    readonly_fields = ["at", "action", "from_state", "to_state", "step", "actor", "comment", "field_comments"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications move only through their workflow."""

    list_display = ["number", "title", "service", "unit", "state", "step", "due_on"]
    list_filter = ["service", "state"]
    search_fields = ["number", "title"]
    inlines = [MoveInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NoticeDayInline(admin.TabularInline):
    model = NoticeDay
    extra = 10


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(admin.ModelAdmin):
    """The office enters each year's State Council holiday notice here; the calendar reads it at once."""

    list_display = ["year", "title", "published_on"]
    inlines = [NoticeDayInline]
