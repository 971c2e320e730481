"""Django admin for the assessment workflow: a window for administrators, not a second workflow.

Answers, verifications and transitions only change through the app's pages (services); here cycles'
dates and titles can be corrected and everything else is read-only, with its history.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import (
    Assessment,
    AssessmentEvent,
    Cycle,
    Evidence,
    IndicatorResponse,
    ResponseComment,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "framework", "opens_on", "closes_on")
    list_filter = ("year",)
    readonly_fields = ("framework", "created_by", "created_at")
    fields = (
        "year",
        "title",
        "framework",
        "opens_on",
        "closes_on",
        "target_step",
        "target_cap",
        "created_by",
        "created_at",
    )

    def has_add_permission(self, request) -> bool:
        return False  # cycles are opened from the app, which creates their assessments

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = AssessmentEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("region", "cycle", "status", "submitted_at", "approved_at")
    list_filter = ("status", "cycle")
    search_fields = ("region__name", "region__code")
    list_select_related = ("region", "cycle")
    inlines = [EventInline]


@admin.register(IndicatorResponse)
class IndicatorResponseAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = (
        "assessment",
        "indicator",
        "self_level",
        "not_applicable",
        "verified_level",
        "review_state",
    )
    list_filter = ("review_state", "assessment__cycle")
    search_fields = ("indicator__code", "assessment__region__name")
    list_select_related = ("assessment__region", "assessment__cycle", "indicator")


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = (
        "response",
        "kind",
        "original_name",
        "url",
        "size",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = ("kind",)
    list_select_related = ("response__assessment__region", "response__indicator", "uploaded_by")


@admin.register(ResponseComment)
class ResponseCommentAdmin(ReadOnlyAdmin):
    list_display = ("response", "author", "created_at")
    list_select_related = ("response__assessment__region", "response__indicator", "author")
