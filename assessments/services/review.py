"""The facilitator's review: verify an answer, discuss it, return or approve the assessment."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
    AssessmentStatus,
    EventKind,
    IndicatorResponse,
    ResponseComment,
    ReviewState,
)
from assessments.selectors import scale_of
from assessments.services.errors import InvalidAnswer, NotAllowed
from assessments.services.events import notify, record
from assessments.services.filling import claim_version
from smartcity import access
from smartcity.models import User


def _require_reviewer(assessment: Assessment, user: User) -> None:
    if not access.can_review_region(user, assessment.region):
        raise NotAllowed(_("Only the region's facilitators can review this assessment."))
    if not assessment.is_reviewable:
        raise NotAllowed(
            _("This assessment is %(status)s; only a submitted assessment can be reviewed.")
            % {"status": assessment.get_status_display().lower()}
        )


def _start_review(assessment: Assessment, user: User) -> None:
    if assessment.status == AssessmentStatus.SUBMITTED:
        Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.IN_REVIEW)
        assessment.status = AssessmentStatus.IN_REVIEW
        record(assessment, EventKind.REVIEW_STARTED, user)


@transaction.atomic
def response_verify(
    *,
    response: IndicatorResponse,
    user: User,
    verified_level: int | None,
    reason: str = "",
    expected_version: int | None = None,
) -> IndicatorResponse:
    """Accept the self-assessed answer, or set another verified level with a reason.

    A region's "not applicable" is accepted with `verified_level=None`; giving it a level
    instead is an adjustment and needs a reason like any other.
    """
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("region", "cycle__framework")
        .get(pk=response.assessment_id)
    )
    _require_reviewer(assessment, user)
    scale = scale_of(assessment.cycle.framework)
    accepting_na = verified_level is None and response.not_applicable
    if not accepting_na and verified_level not in scale:
        raise InvalidAnswer(
            {
                "verified_level": _("Choose a level from %(low)d to %(high)d.")
                % {"low": scale.lowest, "high": scale.highest}
            }
        )
    adjusted = not accepting_na and verified_level != response.self_level
    if adjusted and not reason.strip():
        raise InvalidAnswer(
            {
                "verification_reason": _(
                    "Give the reason when the verified level differs from the self-assessed level."
                )
            }
        )
    claim_version(response, expected_version)
    _start_review(assessment, user)
    response.verified_level = verified_level
    response.verification_reason = reason.strip()
    response.review_state = ReviewState.ADJUSTED if adjusted else ReviewState.ACCEPTED
    response.reviewed_by = user
    response.reviewed_at = timezone.now()
    response.updated_by = user
    response.save()
    return response


COMMENT_MAX_LENGTH = 5000


@transaction.atomic
def response_comment_add(*, response: IndicatorResponse, user: User, body: str) -> ResponseComment:
    """Add to an indicator's discussion: the region's officials and its facilitators may write."""
    assessment = response.assessment
    if not (
        access.can_edit_region(user, assessment.region)
        or access.can_review_region(user, assessment.region)
    ):
        raise NotAllowed(_("Only the region's officials and facilitators can comment."))
    if assessment.status == AssessmentStatus.APPROVED:
        raise NotAllowed(_("This assessment is approved; its discussion is closed."))
    body = body.strip()
    if not body:
        raise InvalidAnswer({"body": _("Write a comment first.")})
    if len(body) > COMMENT_MAX_LENGTH:
        raise InvalidAnswer(
            {"body": _("Keep a comment under %(max)d characters.") % {"max": COMMENT_MAX_LENGTH}}
        )
    return ResponseComment.objects.create(response=response, author=user, body=body)


@dataclass(frozen=True)
class Flag:
    response_id: int
    note: str = ""


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, user: User, note: str, flags: list[Flag]
) -> Assessment:
    """Send the assessment back to the region with a note and the indicators to revise."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("region", "cycle")
        .get(pk=assessment.pk)
    )
    _require_reviewer(assessment, user)
    problems = {}
    if not note.strip():
        problems["note"] = _("Write a note telling the region what to revise.")
    if not flags:
        problems["flags"] = _("Flag at least one indicator to revise.")
    if problems:
        raise InvalidAnswer(problems)
    responses = {
        r.pk: r
        for r in assessment.responses.select_related("indicator").filter(
            pk__in=[f.response_id for f in flags]
        )
    }
    if len(responses) != len({f.response_id for f in flags}):
        raise InvalidAnswer({"flags": _("A flagged indicator does not belong to this assessment.")})
    _start_review(assessment, user)
    for flag in flags:
        response = responses[flag.response_id]
        response.flagged = True
        response.flag_note = flag.note.strip()
        response.save(update_fields=["flagged", "flag_note"])
    assessment.status = AssessmentStatus.RETURNED
    assessment.return_note = note.strip()
    assessment.save(update_fields=["status", "return_note", "updated_at"])
    codes = sorted(responses[f.response_id].indicator.code for f in flags)
    notify(record(assessment, EventKind.RETURNED, user, note.strip(), flagged=codes))
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: Assessment, user: User, note: str = "") -> Assessment:
    """Approve and lock the assessment. Responses not yet reviewed are accepted as they stand."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("region", "cycle")
        .get(pk=assessment.pk)
    )
    _require_reviewer(assessment, user)
    now = timezone.now()
    pending = list(assessment.responses.filter(review_state=ReviewState.PENDING))
    for response in pending:  # one save each, so the history records every verified level
        response.verified_level = response.self_level
        response.review_state = ReviewState.ACCEPTED
        response.reviewed_by = user
        response.reviewed_at = now
        response.version += 1
        response.save()
    assessment.status = AssessmentStatus.APPROVED
    assessment.approved_at = now
    assessment.approved_by = user
    assessment.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    notify(
        record(assessment, EventKind.APPROVED, user, note.strip(), accepted_unreviewed=len(pending))
    )
    # The gap-analysis job is queued here once the gap-analysis feature exists.
    return assessment
