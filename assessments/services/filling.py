"""An official's answers: saving one (optimistic locking) and submitting the assessment."""

from dataclasses import replace

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
    AssessmentStatus,
    EventKind,
    IndicatorResponse,
    ReviewState,
)
from assessments.rules import Answer, answer_problems, default_target
from assessments.selectors import scale_of, submission_gaps
from assessments.services.errors import InvalidAnswer, NotAllowed, StaleResponse, SubmissionRefused
from assessments.services.events import notify, record
from smartcity import access
from smartcity.models import User


def edit_refusal(assessment: Assessment, user: User) -> str | None:
    """Why `user` may not change the assessment now (in their language), or None if they may."""
    if not access.can_edit_region(user, assessment.region):
        return _("Only the region's officials can change this assessment.")
    if not assessment.is_editable:
        return _("This assessment is %(status)s and can no longer be changed.") % {
            "status": assessment.get_status_display().lower()
        }
    return None


def require_editor(assessment: Assessment, user: User) -> None:
    # The status is read again under a row lock: an answer saved while a colleague submits must
    # not slip in after the submission.
    assessment.status = (
        Assessment.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=assessment.pk)
    )
    refusal = edit_refusal(assessment, user)
    if refusal:
        raise NotAllowed(refusal)


@transaction.atomic
def response_save(
    *, response: IndicatorResponse, user: User, expected_version: int, answer: Answer
) -> IndicatorResponse:
    """Save an official's answer to one indicator, unless someone saved it in the meantime."""
    assessment = response.assessment
    require_editor(assessment, user)
    scale = scale_of(assessment.cycle.framework)
    problems = answer_problems(answer, response.indicator, scale)
    if problems:
        raise InvalidAnswer(problems)
    if answer.target_level is None and answer.self_level is not None:
        answer = replace(
            answer,
            target_level=default_target(
                answer.self_level,
                scale,
                step=assessment.cycle.target_step,
                cap=assessment.cycle.target_cap,
            ),
        )
    claim_version(response, expected_version)
    response.self_level = None if answer.not_applicable else answer.self_level
    response.not_applicable = answer.not_applicable
    response.na_reason = answer.na_reason.strip() if answer.not_applicable else ""
    response.narrative = answer.narrative.strip()
    response.target_level = None if answer.not_applicable else answer.target_level
    response.carried_over = False
    response.updated_by = user
    reopen_review(response)
    response.save()
    return response


def claim_version(response: IndicatorResponse, expected_version: int | None) -> None:
    """Move the response to its next version, refusing if it is no longer `expected_version`.

    One conditional UPDATE decides, so of two concurrent saves exactly one wins. Without an
    expected version (a facilitator's verification) the version just moves on.
    """
    rows = IndicatorResponse.objects.filter(pk=response.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=F("version") + 1):
        raise StaleResponse(
            IndicatorResponse.objects.select_related("updated_by").get(pk=response.pk)
        )
    # The row is now ours until the transaction ends; start from what is stored, so fields the
    # caller does not change are never written back from an older copy.
    response.refresh_from_db()


def reopen_review(response: IndicatorResponse) -> None:
    """A changed answer needs a new look: a verification of the old one no longer holds.

    (The facilitator's earlier level and reason stay in the history.)
    """
    if response.review_state != ReviewState.PENDING:
        response.review_state = ReviewState.PENDING
        response.verified_level = None
        response.verification_reason = ""
        response.reviewed_by = None
        response.reviewed_at = None


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user: User) -> Assessment:
    """Send the assessment to the facilitators, if nothing is missing; it is then locked."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("region", "cycle")
        .get(pk=assessment.pk)
    )
    require_editor(assessment, user)
    gaps = submission_gaps(assessment)
    if gaps:
        raise SubmissionRefused(gaps)
    resubmission = assessment.status == AssessmentStatus.RETURNED
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])
    for response in assessment.responses.filter(flagged=True):
        response.flagged = False
        response.save(update_fields=["flagged"])
    kind = EventKind.RESUBMITTED if resubmission else EventKind.SUBMITTED
    notify(record(assessment, kind, user))
    return assessment
