"""Django admin for the assessment workflow: a window for administrators, not a second workflow.

Answers, verifications and transitions only change through the app's pages (services); here cycles'
dates and titles can be corrected and everything else is read-only, with its history.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import (
    Assessment,
    AssessmentEvent,
    Cycle,
    Evidence,
    IndicatorResponse,
    ResponseComment,
)


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, answering 404 (not 500) to an id that is not a number."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(object_id)
            int(version_id)
        except (ValueError, ValidationError) as not_an_id:
            raise Http404("No such version.") from not_an_id
        return super().history_form_view(request, object_id, version_id, extra_context)


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
class IndicatorResponseAdmin(HistoryAdmin, ReadOnlyAdmin):
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
class EvidenceAdmin(HistoryAdmin, ReadOnlyAdmin):
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
