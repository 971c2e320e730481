"""An official's answers: saving one (optimistic locking) and submitting the assessment."""

from dataclasses import dataclass, field
from enum import StrEnum

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
from assessments.rules import Answer, answer_as_saved, answer_problems, normalised
from assessments.selectors import edit_refusal, scale_of, submission_gaps
from assessments.services.errors import (
    InvalidInput,
    StaleResponse,
    SubmissionRefused,
    UnaddressedFlags,
    WrongState,
)
from assessments.services.events import notify, record
from smartcity.models import User
from smartcity.selectors import indicator_order


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
        raise WrongState(refusal)


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
        raise InvalidInput(problems)
    saved = answer_as_saved(
        answer, scale, step=assessment.cycle.target_step, cap=assessment.cycle.target_cap
    )
    claim_version(response, expected_version)
    response.self_level = saved.self_level
    response.not_applicable = saved.not_applicable
    response.na_reason = saved.na_reason
    response.narrative = saved.narrative
    response.target_level = saved.target_level
    # An empty target is the cycle's default, which follows the level from now on.
    response.target_is_default = normalised(answer).target_level is None
    response.carried_over = False
    response.updated_by = user
    reopen_review(response)
    mark_flag_addressed(response)
    response.save()
    return response


class SaveState(StrEnum):
    """How an autosave ended; the element page shows each one differently."""

    SAVED = "saved"
    INVALID = "invalid"  # the answer breaks a rule: `problems`
    STALE = "stale"  # someone saved first: `current` is their answer
    REFUSED = "refused"  # the person may not change the assessment (now): `message`


@dataclass(frozen=True)
class SaveOutcome:
    """The outcome of `response_autosave`; `response` is the saved answer once SAVED."""

    state: SaveState
    response: IndicatorResponse
    problems: dict[str, str] = field(default_factory=dict)
    message: str = ""
    current: IndicatorResponse | None = None


def response_autosave(
    *,
    response: IndicatorResponse,
    user: User,
    expected_version: int | None,
    answer: Answer | None,
) -> SaveOutcome:
    """Save an answer from the element page and say how it went, instead of raising.

    `answer` is None when the posted form did not parse (the form holds its errors): the outcome
    is then INVALID, unless the person may not change the assessment at all (REFUSED comes first,
    so a locked assessment answers the same whatever was posted). The save itself is
    `response_save`, atomic.
    """
    refusal = edit_refusal(response.assessment, user)
    if refusal:
        return SaveOutcome(SaveState.REFUSED, response, message=refusal)
    if answer is None or expected_version is None:
        return SaveOutcome(SaveState.INVALID, response)
    try:
        saved = response_save(
            response=response, user=user, expected_version=expected_version, answer=answer
        )
    except StaleResponse as stale:
        return SaveOutcome(SaveState.STALE, response, message=str(stale), current=stale.current)
    except InvalidInput as invalid:
        return SaveOutcome(SaveState.INVALID, response, problems=invalid.problems)
    except WrongState as refused:
        return SaveOutcome(SaveState.REFUSED, response, message=str(refused))
    return SaveOutcome(SaveState.SAVED, saved)


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

    The facilitator's earlier level and reason stay in the history, and on the answer as its
    previous verification, shown beside it until the next verification.
    """
    if response.review_state != ReviewState.PENDING:
        response.previous_verified_level = response.verified_level
        response.previous_verification_reason = response.verification_reason
        response.review_state = ReviewState.PENDING
        response.verified_level = None
        response.verification_reason = ""
        response.reviewed_by = None
        response.reviewed_at = None


def mark_flag_addressed(response: IndicatorResponse) -> None:
    """A flagged answer the official changed counts as addressed (the caller saves it)."""
    if response.flagged:
        response.flag_addressed = True


@transaction.atomic
def response_flag_address(
    *, response: IndicatorResponse, user: User, reply: str
) -> IndicatorResponse:
    """Mark a flagged answer as addressed, with the official's reply to the facilitator."""
    require_editor(response.assessment, user)
    response.flagged = (
        IndicatorResponse.objects.select_for_update()
        .values_list("flagged", flat=True)
        .get(pk=response.pk)
    )
    if not response.flagged:
        raise WrongState(_("This indicator is not flagged for revision."))
    reply = reply.strip()
    if not reply:
        raise InvalidInput({"reply": _("Write what you did about the facilitator's note.")})
    if len(reply) > REPLY_MAX_LENGTH:
        raise InvalidInput(
            {"reply": _("Keep a reply under %(max)d characters.") % {"max": REPLY_MAX_LENGTH}}
        )
    IndicatorResponse.objects.filter(pk=response.pk).update(flag_addressed=True, flag_reply=reply)
    response.flag_addressed, response.flag_reply = True, reply
    return response


REPLY_MAX_LENGTH = 5000


@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, user: User, unaddressed_confirmed: bool = False
) -> Assessment:
    """Send the assessment to the facilitators, if nothing is missing; it is then locked.

    A resubmission with flags the official neither changed nor answered is refused with their
    codes (`UnaddressedFlags`) unless `unaddressed_confirmed`. Flags stay on the answers, so the
    facilitator sees on re-review which were addressed and how.
    """
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
    if resubmission and not unaddressed_confirmed:
        unaddressed = list(
            assessment.responses.filter(flagged=True, flag_addressed=False)
            .order_by(*indicator_order("indicator__"))
            .values_list("indicator__code", flat=True)
        )
        if unaddressed:
            raise UnaddressedFlags(unaddressed)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])
    kind = EventKind.RESUBMITTED if resubmission else EventKind.SUBMITTED
    notify(record(assessment, kind, user))
    return assessment
