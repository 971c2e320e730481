"""Django admin for master plans: a read-only window for administrators, with item history.

Plans and items change only through the services (drafting, editing with locking, review);
libraries only through `load_action_library`.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.admin import ReadOnlyAdmin
from masterplan.exports.models import ExportJob
from masterplan.models import (
    ActionItem,
    ActionItemComment,
    ActionLibrary,
    MasterPlan,
    MasterPlanDraftJob,
)


@admin.register(ActionLibrary)
class ActionLibraryAdmin(ReadOnlyAdmin):
    list_display = ("framework", "version", "title_id", "action_count", "loaded_at")
    exclude = ("spec",)


@admin.register(MasterPlan)
class MasterPlanAdmin(ReadOnlyAdmin):
    list_display = ("region", "edition", "start_year", "status", "assessment", "updated_at")
    list_filter = ("status", "start_year")
    search_fields = ("region__name", "region__code")
    list_select_related = ("region", "assessment__cycle")


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("title", "plan", "horizon", "start_year", "end_year", "budget", "origin")
    list_filter = ("horizon", "origin", "funding_source")
    search_fields = ("title", "key")
    list_select_related = ("plan__region",)


@admin.register(ActionItemComment)
class ActionItemCommentAdmin(ReadOnlyAdmin):
    list_display = ("item", "author", "created_at")
    search_fields = ("body", "item__title")
    list_select_related = ("item", "author")


@admin.register(MasterPlanDraftJob)
class MasterPlanDraftJobAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "status", "requested_by", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("assessment__region", "assessment__cycle", "requested_by")


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ("plan", "kind", "part", "language", "status", "size", "created_at")
    list_filter = ("kind", "status", "language")
    list_select_related = ("plan__region",)
