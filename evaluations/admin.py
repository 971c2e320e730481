"""Django admin for evaluations: a read-only window for administrators.

Rounds open, reports are made and evaluations judged only through the app's services (weights
adding up to 100, reasons, scope); the admin shows what was recorded.
"""

from django.contrib import admin

from assessments.admin import ReadOnlyAdmin
from evaluations.models import (
    EvaluationRound,
    ProgressUpdate,
    RegionEvaluation,
    RoundDimension,
    RoundStage,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class DimensionInline(ReadOnlyInline):
    model = RoundDimension
    fields = ("code", "weight")


class StageInline(ReadOnlyInline):
    model = RoundStage
    fields = ("kind", "starts_on", "ends_on")


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyAdmin):
    list_display = ("year", "title", "status", "scale_min", "scale_max", "created_at")
    inlines = [DimensionInline, StageInline]


@admin.register(RegionEvaluation)
class RegionEvaluationAdmin(ReadOnlyAdmin):
    list_display = ("region", "round", "stage", "achievement", "finalised_at")
    list_filter = ("round", "stage")
    search_fields = ("region__name", "region__code")
    list_select_related = ("region", "round")
    exclude = ("computed",)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    list_display = ("item", "period", "status", "percent", "reported_by", "reported_at")
    list_filter = ("status", "period")
    search_fields = ("item__title", "item__plan__region__name")
    list_select_related = ("item", "period", "reported_by")
