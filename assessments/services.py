"""Writes of the assessment workflow. Keyword-only, typed, atomic; permissions checked here too.

Views check scope first (404 outside it); these functions still refuse a user or a state that may
not act, so no caller (web form, Excel upload, command) can skip a rule.
"""

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import evidence_types
from assessments.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Cycle,
    CycleOpeningJob,
    EventKind,
    Evidence,
    EvidenceKind,
    IndicatorResponse,
    ResponseComment,
    ReviewState,
)
from assessments.rules import Answer, Scale, answer_problems, default_target
from assessments.selectors import scale_of, submission_gaps
from smartcity import access, jobs
from smartcity.bulk import insert_from_select
from smartcity.models import CrosswalkEntry, Framework, Indicator, Region, User

# The task (assessments.tasks) is named, not imported: tasks call these services.
SEND_EVENT_EMAIL = "assessments.send_event_email"


class AssessmentError(Exception):
    """A request the workflow refuses; the message is for the user, in their language."""


class NotAllowed(AssessmentError):
    pass


class InvalidAnswer(AssessmentError):
    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__(" ".join(problems.values()))


class StaleResponse(AssessmentError):
    """Someone else saved this indicator since the user loaded it; `current` is what they saved."""

    def __init__(self, current: IndicatorResponse) -> None:
        self.current = current
        who = current.updated_by or _("someone else")
        when = timezone.localtime(current.updated_at).strftime("%H:%M")
        super().__init__(
            _(
                "%(who)s saved this indicator at %(when)s, after you opened it. Your change was "
                "not saved; their answer is shown below. Review it and save again."
            )
            % {"who": who, "when": when}
        )


class SubmissionRefused(AssessmentError):
    def __init__(self, gaps: list) -> None:
        self.gaps = gaps
        super().__init__(
            _("The assessment cannot be submitted yet: %(count)d items need attention.")
            % {"count": len(gaps)}
        )


# --- Cycles ------------------------------------------------------------------------------------
def _code_map(source: Framework, target: Framework) -> dict[str, list[str]]:
    """Old indicator code -> codes in `target`, following crosswalks version by version.

    A code without a crosswalk entry keeps its code when the newer version still has it.
    """
    if source.pk == target.pk:
        return {
            code: [code]
            for code in Indicator.objects.filter(framework=source).values_list("code", flat=True)
        }
    chain = []
    step = target
    while step is not None and step.pk != source.pk:
        chain.append(step)
        step = step.previous
    if step is None:
        return {}  # unrelated frameworks: nothing can be carried over
    mapping = {
        code: [code]
        for code in Indicator.objects.filter(framework=source).values_list("code", flat=True)
    }
    for version in reversed(chain):
        codes = set(Indicator.objects.filter(framework=version).values_list("code", flat=True))
        crosswalk: dict[str, list[str]] = {}
        for old, new in CrosswalkEntry.objects.filter(framework=version).values_list(
            "old_code", "new_code"
        ):
            crosswalk.setdefault(old, []).append(new)
        mapping = {
            origin: sorted(
                {n for c in current for n in crosswalk.get(c, [c] if c in codes else [])}
            )
            for origin, current in mapping.items()
        }
    return {origin: targets for origin, targets in mapping.items() if targets}


def _latest_approved(region_ids: list[int], before: Cycle) -> dict[int, Assessment]:
    approved = (
        Assessment.objects.filter(region_id__in=region_ids, status=AssessmentStatus.APPROVED)
        .exclude(cycle=before)
        .filter(cycle__year__lte=before.year)
        .select_related("cycle__framework")
        .order_by("region_id", "-cycle__year", "-approved_at")
    )
    latest: dict[int, Assessment] = {}
    for assessment in approved:
        latest.setdefault(assessment.region_id, assessment)
    return latest


def _prefilled_responses(
    assessment: Assessment,
    previous: Assessment,
    indicators: dict[str, Indicator],
    scale: Scale,
    code_map: dict[str, list[str]],
) -> tuple[list[IndicatorResponse], dict[str, list[Evidence]]]:
    carried: dict[str, dict] = {}
    evidence: dict[str, list[Evidence]] = {}
    old_responses = previous.responses.select_related("indicator").prefetch_related("evidence")
    for old in old_responses:
        for code in code_map.get(old.indicator.code, []):
            level = old.analysis_level if old.analysis_level in scale else None
            entry = carried.setdefault(
                code, {"levels": [], "narratives": [], "na": [], "na_reasons": []}
            )
            entry["levels"].append(level)
            entry["na"].append(old.not_applicable and indicators[code].allow_na)
            if old.narrative:
                entry["narratives"].append(old.narrative)
            if old.na_reason:
                entry["na_reasons"].append(old.na_reason)
            evidence.setdefault(code, []).extend(old.evidence.all())
    responses = []
    for code, indicator in indicators.items():
        entry = carried.get(code)
        response = IndicatorResponse(assessment=assessment, indicator=indicator)
        if entry:
            levels = [lv for lv in entry["levels"] if lv is not None]
            # Several old indicators merged into one: the lowest level is the safe starting point.
            response.self_level = min(levels) if levels and not all(entry["na"]) else None
            response.not_applicable = all(entry["na"])
            response.na_reason = "\n\n".join(entry["na_reasons"]) if response.not_applicable else ""
            response.narrative = "\n\n".join(entry["narratives"])
            response.target_level = default_target(
                response.self_level,
                scale,
                step=assessment.cycle.target_step,
                cap=assessment.cycle.target_cap,
            )
            response.carried_over = True
        responses.append(response)
    return responses, evidence


def _inputs_hash(**inputs: object) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def cycle_open(
    *,
    user: User,
    year: int,
    title: str,
    framework: Framework,
    opens_on: date,
    closes_on: date,
    regions: QuerySet[Region],
    target_step: int = 1,
    target_cap: int | None = None,
    run_now: bool = False,
) -> CycleOpeningJob:
    """Open a cycle: the cycle now, its assessments in the background (`cycle_opening_run`).

    Returns the job that opens one assessment per region; its page shows the progress. With
    `run_now` (commands, demo data) the assessments are opened in this transaction instead.
    """
    if not access.is_administrator(user):
        raise NotAllowed(_("Only administrators open assessment cycles."))
    if not framework.is_published:
        raise NotAllowed(_("Only a published framework can be used for a cycle."))
    cycle = Cycle.objects.create(
        year=year,
        title=title,
        framework=framework,
        opens_on=opens_on,
        closes_on=closes_on,
        target_step=target_step,
        target_cap=target_cap,
        created_by=user,
    )
    region_ids = sorted(regions.values_list("pk", flat=True))
    opening = CycleOpeningJob.objects.create(
        cycle=cycle,
        region_ids=region_ids,
        requested_by=user,
        inputs_hash=_inputs_hash(
            framework=framework.pk, regions=region_ids, step=target_step, cap=target_cap
        ),
    )
    if run_now:
        jobs.run_inline(job=opening, work=cycle_opening_run)
    else:
        jobs.enqueue_on_commit(CycleOpeningJob.task_name, opening.pk)
    return opening


def cycle_opening_run(opening: CycleOpeningJob) -> dict[str, int]:
    """The work of a cycle opening, inside the job's transaction (see `jobs.run_job`).

    One assessment per region. Regions without an approved earlier assessment get their blank
    answers from one INSERT ... SELECT; the others are pre-filled from that assessment (levels,
    narratives and evidence marked as carried over; codes through the versions' crosswalks).
    Returns the counts the job keeps.
    """
    cycle = Cycle.objects.select_related("framework").get(pk=opening.cycle_id)
    framework = cycle.framework
    previous = _latest_approved(opening.region_ids, cycle)
    assessments = Assessment.objects.bulk_create(
        Assessment(cycle=cycle, region_id=region_id, baseline=previous.get(region_id))
        for region_id in opening.region_ids
    )
    insert_from_select(
        IndicatorResponse,
        selected={"assessment_id": "a.id", "indicator_id": "i.id"},
        source=(
            f"FROM {Assessment._meta.db_table} a CROSS JOIN {Indicator._meta.db_table} i "
            "WHERE a.cycle_id = %s AND a.baseline_id IS NULL AND i.framework_id = %s"
        ),
        params=[cycle.pk, framework.pk],
    )
    _prefill(cycle, [a for a in assessments if a.region_id in previous], previous)
    insert_from_select(
        AssessmentEvent,
        selected={"assessment_id": "a.id", "kind": "%s", "actor_id": "%s"},
        source=f"FROM {Assessment._meta.db_table} a WHERE a.cycle_id = %s",
        params=[EventKind.OPENED, opening.requested_by_id, cycle.pk],
    )
    return {"assessments": len(assessments), "prefilled": len(previous)}


def _prefill(cycle: Cycle, assessments: list[Assessment], previous: dict[int, Assessment]) -> None:
    framework = cycle.framework
    indicators = {
        i.code: i for i in Indicator.objects.filter(framework=framework).order_by("position")
    }
    scale = scale_of(framework)
    responses: list[IndicatorResponse] = []
    carried_evidence: list[tuple[IndicatorResponse, Evidence]] = []
    # One code map per earlier framework version, not one per region.
    code_maps: dict[int, dict[str, list[str]]] = {}
    for assessment in assessments:
        baseline = previous[assessment.region_id]
        source = baseline.cycle.framework
        if source.pk not in code_maps:
            code_maps[source.pk] = _code_map(source, framework)
        prefilled, evidence = _prefilled_responses(
            assessment, baseline, indicators, scale, code_maps[source.pk]
        )
        responses.extend(prefilled)
        carried_evidence.extend(
            (response, item)
            for response in prefilled
            for item in evidence.get(response.indicator.code, [])
        )
    IndicatorResponse.objects.bulk_create(responses, batch_size=2000)
    Evidence.objects.bulk_create(
        [
            Evidence(
                response=response,
                kind=old.kind,
                file=old.file.name,
                original_name=old.original_name,
                content_type=old.content_type,
                size=old.size,
                sha256=old.sha256,
                url=old.url,
                description=old.description,
                carried_over=True,
                uploaded_by_id=old.uploaded_by_id,
            )
            for response, old in carried_evidence
        ],
        batch_size=2000,
    )


# --- Filling in ----------------------------------------------------------------------------------
def edit_refusal(assessment: Assessment, user: User) -> str | None:
    """Why `user` may not change the assessment now (in their language), or None if they may."""
    if not access.can_edit_region(user, assessment.region):
        return _("Only the region's officials can change this assessment.")
    if not assessment.is_editable:
        return _("This assessment is %(status)s and can no longer be changed.") % {
            "status": assessment.get_status_display().lower()
        }
    return None


def _require_editor(assessment: Assessment, user: User) -> None:
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
    _require_editor(assessment, user)
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
    _claim_version(response, expected_version)
    response.self_level = None if answer.not_applicable else answer.self_level
    response.not_applicable = answer.not_applicable
    response.na_reason = answer.na_reason.strip() if answer.not_applicable else ""
    response.narrative = answer.narrative.strip()
    response.target_level = None if answer.not_applicable else answer.target_level
    response.carried_over = False
    response.updated_by = user
    _reopen_review(response)
    response.save()
    return response


def _claim_version(response: IndicatorResponse, expected_version: int | None) -> None:
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


@transaction.atomic
def evidence_add_file(
    *, response: IndicatorResponse, user: User, upload: UploadedFile, description: str = ""
) -> Evidence:
    """Store an uploaded evidence file after checking its size and its real type (by content)."""
    _require_editor(response.assessment, user)
    try:
        content = evidence_types.read_checked(upload)
    except evidence_types.EvidenceRejected as rejected:
        raise InvalidAnswer({"file": str(rejected)}) from rejected
    digest = hashlib.sha256(content.data).hexdigest()
    evidence = Evidence(
        response=response,
        kind=EvidenceKind.FILE,
        original_name=content.original_name,
        content_type=content.content_type,
        size=len(content.data),
        sha256=digest,
        description=description.strip(),
        uploaded_by=user,
    )
    evidence.file.save(f"upload.{content.extension}", ContentFile(content.data), save=False)
    evidence.save()
    _touch(response, user)
    return evidence


@transaction.atomic
def evidence_add_link(
    *, response: IndicatorResponse, user: User, url: str, description: str = ""
) -> Evidence:
    """Record a link to evidence published elsewhere (a portal, a JDIH page, a drive)."""
    _require_editor(response.assessment, user)
    evidence = Evidence.objects.create(
        response=response,
        kind=EvidenceKind.LINK,
        url=url,
        description=description.strip(),
        uploaded_by=user,
    )
    _touch(response, user)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: User) -> None:
    """Remove evidence from an answer; its history (and the stored file) are kept."""
    response = evidence.response
    _require_editor(response.assessment, user)
    evidence.delete()
    _touch(response, user)


def _reopen_review(response: IndicatorResponse) -> None:
    """A changed answer needs a new look: a verification of the old one no longer holds.

    (The facilitator's earlier level and reason stay in the history.)
    """
    if response.review_state != ReviewState.PENDING:
        response.review_state = ReviewState.PENDING
        response.verified_level = None
        response.verification_reason = ""
        response.reviewed_by = None
        response.reviewed_at = None


def _touch(response: IndicatorResponse, user: User) -> None:
    """Evidence changed: the answer moves to its next version, is no longer purely carried over,
    and needs a new review. Saved (not updated) so that the history records it."""
    _claim_version(response, None)
    response.carried_over = False
    response.updated_by = user
    _reopen_review(response)
    response.save()


def _record(
    assessment: Assessment, kind: str, user: User | None, note: str = "", **data
) -> AssessmentEvent:
    return AssessmentEvent.objects.create(
        assessment=assessment, kind=kind, actor=user, note=note, data=data
    )


def _notify(event: AssessmentEvent) -> None:
    jobs.enqueue_on_commit(SEND_EVENT_EMAIL, event.pk)


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user: User) -> Assessment:
    """Send the assessment to the facilitators, if nothing is missing; it is then locked."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("region", "cycle")
        .get(pk=assessment.pk)
    )
    _require_editor(assessment, user)
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
    _notify(_record(assessment, kind, user))
    return assessment


# --- Review ---------------------------------------------------------------------------------------
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
        _record(assessment, EventKind.REVIEW_STARTED, user)


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
    _claim_version(response, expected_version)
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
    _notify(_record(assessment, EventKind.RETURNED, user, note.strip(), flagged=codes))
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
    _notify(
        _record(
            assessment, EventKind.APPROVED, user, note.strip(), accepted_unreviewed=len(pending)
        )
    )
    # The gap-analysis job is queued here once the gap-analysis feature exists.
    return assessment


# --- Excel import ---------------------------------------------------------------------------------
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
    na = answer.not_applicable
    level = None if na else answer.self_level
    target = None if na else answer.target_level
    if target is None and level is not None:
        target = default_target(level, scale, step=cycle.target_step, cap=cycle.target_cap)
    reason = answer.na_reason.strip() if na else ""
    return (
        response.self_level,
        response.not_applicable,
        response.na_reason,
        response.narrative,
        response.target_level,
    ) == (level, na, reason, answer.narrative.strip(), target)


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
    _require_editor(assessment, user)
    ids = [change.response_id for change in changes]
    responses = {
        response.pk: response
        for response in assessment.responses.select_related("indicator").filter(pk__in=ids)
    }
    if len(set(ids)) != len(ids) or len(responses) != len(ids):
        raise InvalidAnswer(
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
        _record(assessment, EventKind.EXCEL_IMPORTED, user, updated=updated, unchanged=unchanged)
    return ImportSummary(updated=updated, unchanged=unchanged)
