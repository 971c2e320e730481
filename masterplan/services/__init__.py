"""Writes of the masterplan app (keyword-only, atomic, scope re-checked through access)."""

from masterplan.services.comments import action_item_comment_add
from masterplan.services.drafting import (
    Draft,
    RegenerationPreview,
    masterplan_draft,
    masterplan_finalise,
    masterplan_mark_reviewed,
    masterplan_new_version,
    masterplan_regenerate_apply,
    masterplan_regenerate_preview,
    masterplan_submit_for_review,
)
from masterplan.services.errors import InvalidInput, PlanError, StaleItem, WrongState
from masterplan.services.items import action_item_create, action_item_delete, action_item_save
from masterplan.services.jobs import masterplan_draft_job_run, masterplan_draft_job_start
from masterplan.services.library import LibraryLoad, action_library_load
from masterplan.services.sections import masterplan_sections_save

__all__ = [
    "Draft",
    "InvalidInput",
    "LibraryLoad",
    "PlanError",
    "RegenerationPreview",
    "StaleItem",
    "WrongState",
    "action_item_comment_add",
    "action_item_create",
    "action_item_delete",
    "action_item_save",
    "action_library_load",
    "masterplan_draft",
    "masterplan_draft_job_run",
    "masterplan_draft_job_start",
    "masterplan_finalise",
    "masterplan_mark_reviewed",
    "masterplan_new_version",
    "masterplan_regenerate_apply",
    "masterplan_regenerate_preview",
    "masterplan_sections_save",
    "masterplan_submit_for_review",
]
