"""The facilitator's review: verify an answer, discuss it, return or approve the assessment."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
    AssessmentStatus,
    EventKind,
    Evidence,
    IndicatorResponse,
    ResponseComment,
    ReviewState,
)
from assessments.selectors import review_refusal, scale_of
from assessments.services.errors import InvalidInput, WrongState
from assessments.services.events import notify, record
from assessments.services.filling import claim_version
from assessments.services.reports import gap_report_queue
from smartcity import access
from smartcity.models import User


def _require_reviewer(assessment: Assessment, user: User) -> None:
    refusal = review_refusal(assessment, user)
    if refusal:
        raise WrongState(refusal)


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
        raise InvalidInput(
            {
                "verified_level": _("Choose a level from %(low)d to %(high)d.")
                % {"low": scale.lowest, "high": scale.highest}
            }
        )
    adjusted = not accepting_na and verified_level != response.self_level
    if adjusted and not reason.strip():
        raise InvalidInput(
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
    response.save()  # updated_by stays the answer's last editor; reviewed_by is the verifier
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
        raise WrongState(_("Only the region's officials and facilitators can comment."))
    if assessment.status == AssessmentStatus.APPROVED:
        raise WrongState(_("This assessment is approved; its discussion is closed."))
    body = body.strip()
    if not body:
        raise InvalidInput({"body": _("Write a comment first.")})
    if len(body) > COMMENT_MAX_LENGTH:
        raise InvalidInput(
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
        raise InvalidInput(problems)
    responses = {
        r.pk: r
        for r in assessment.responses.select_related("indicator").filter(
            pk__in=[f.response_id for f in flags]
        )
    }
    if len(responses) != len({f.response_id for f in flags}):
        raise InvalidInput({"flags": _("A flagged indicator does not belong to this assessment.")})
    _start_review(assessment, user)
    _clear_flags(assessment)
    for flag in flags:
        response = responses[flag.response_id]
        response.flagged = True
        response.flag_note = flag.note.strip()
        response.save(update_fields=["flagged", "flag_note"])
    _keep_answers_as_returned(assessment)
    assessment.status = AssessmentStatus.RETURNED
    assessment.return_note = note.strip()
    assessment.save(update_fields=["status", "return_note", "updated_at"])
    codes = sorted(responses[f.response_id].indicator.code for f in flags)
    notify(record(assessment, EventKind.RETURNED, user, note.strip(), flagged=codes))
    return assessment


def _clear_flags(assessment: Assessment) -> None:
    """The previous round's flags and their answers end with a new return or the approval."""
    assessment.responses.filter(flagged=True).update(
        flagged=False, flag_note="", flag_addressed=False, flag_reply=""
    )


def answer_snapshot(response: IndicatorResponse, evidence: list[Evidence]) -> dict:
    """What re-review compares: the answer's level, N/A, narrative and evidence (id -> label)."""
    return {
        "self_level": response.self_level,
        "not_applicable": response.not_applicable,
        "narrative": response.narrative,
        "evidence": {str(e.pk): e.original_name or e.url for e in evidence},
    }


def _keep_answers_as_returned(assessment: Assessment) -> None:
    """Record every answer as returned, so re-review shows what changed in the next round."""
    responses = list(assessment.responses.prefetch_related("evidence"))
    for response in responses:
        response.returned_answer = answer_snapshot(response, list(response.evidence.all()))
    # A bulk update on purpose: the snapshot is not an edit of the answer and is not in its history.
    IndicatorResponse.objects.bulk_update(responses, ["returned_answer"])


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
    _clear_flags(assessment)
    assessment.status = AssessmentStatus.APPROVED
    assessment.approved_at = now
    assessment.approved_by = user
    assessment.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    notify(
        record(assessment, EventKind.APPROVED, user, note.strip(), accepted_unreviewed=len(pending))
    )
    gap_report_queue(assessment=assessment, user=user)  # built by a worker after the commit
    return assessment
