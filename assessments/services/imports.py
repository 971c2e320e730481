"""Saving the answers of an uploaded workbook, all of them or none."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Assessment, Cycle, EventKind, IndicatorResponse
from assessments.rules import Answer, Scale, answer_as_saved, normalised
from assessments.selectors import scale_of
from assessments.services.errors import InvalidInput
from assessments.services.events import record
from assessments.services.filling import require_editor, response_save
from smartcity.models import User


@dataclass(frozen=True)
class AnswerChange:
    """An answer from an uploaded workbook and the version its row was downloaded at."""

    response_id: int
    expected_version: int
    answer: Answer


@dataclass(frozen=True)
class ImportSummary:
    updated: int
    unchanged: int


def _saves_nothing(response: IndicatorResponse, answer: Answer, scale: Scale, cycle: Cycle) -> bool:
    """Whether `response_save` would store exactly what the response holds already."""
    saved = answer_as_saved(answer, scale, step=cycle.target_step, cap=cycle.target_cap)
    return (
        response.self_level,
        response.not_applicable,
        response.na_reason,
        response.narrative,
        response.target_level,
        response.target_is_default,
    ) == (
        saved.self_level,
        saved.not_applicable,
        saved.na_reason,
        saved.narrative,
        saved.target_level,
        normalised(answer).target_level is None,
    )


@transaction.atomic
def assessment_import_answers(
    *, assessment: Assessment, user: User, changes: list[AnswerChange]
) -> ImportSummary:
    """Save the answers of an uploaded workbook: all of them or, on any refusal, none.

    Each change names the version its row was downloaded at: an indicator saved by someone else
    since then raises StaleResponse and the whole import rolls back. Answers equal to the stored
    ones are not saved (no needless history). An EXCEL_IMPORTED event records the counts when
    anything changed.
    """
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("region", "cycle__framework")
        .get(pk=assessment.pk)
    )
    require_editor(assessment, user)
    ids = [change.response_id for change in changes]
    responses = {
        response.pk: response
        for response in assessment.responses.select_related("indicator").filter(pk__in=ids)
    }
    if len(set(ids)) != len(ids) or len(responses) != len(ids):
        raise InvalidInput(
            {"file": _("The file names an indicator twice, or one of another assessment.")}
        )
    scale = scale_of(assessment.cycle.framework)
    updated = 0
    for change in changes:
        response = responses[change.response_id]
        response.assessment = assessment
        if _saves_nothing(response, change.answer, scale, assessment.cycle):
            continue
        response_save(
            response=response,
            user=user,
            expected_version=change.expected_version,
            answer=change.answer,
        )
        updated += 1
    unchanged = assessment.responses.count() - updated
    if updated:
        record(assessment, EventKind.EXCEL_IMPORTED, user, updated=updated, unchanged=unchanged)
    return ImportSummary(updated=updated, unchanged=unchanged)
