"""Reads of the assessment workflow: scoped querysets, ownership lookups, progress and gaps.

Every lookup of an assessment, response or evidence by id goes through the `*_for` functions here,
which answer 404 outside the user's scope (smartcity.access decides the scope).
"""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.models import (
    REVIEWABLE_STATUSES,
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Cycle,
    CycleOpeningJob,
    CycleScoresJob,
    EventKind,
    Evidence,
    IndicatorResponse,
    ResponseComment,
    ReviewState,
)
from assessments.rules import Scale
from smartcity import access
from smartcity.jobs import JobStatus
from smartcity.models import (
    Element,
    Framework,
    Indicator,
    LevelDescriptor,
    Pillar,
    Region,
    ScaleLevel,
    User,
)
from smartcity.selectors import (
    framework_lineage,
    indicator_code_map,
    indicator_order,
    pillar_order,
)


def scale_of(framework: Framework) -> Scale:
    """The framework's level values, lowest first."""
    return Scale(
        tuple(
            ScaleLevel.objects.filter(framework=framework)
            .order_by("value")
            .values_list("value", flat=True)
        )
    )


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    """Assessments of the regions the user may see, with what every page shows about them."""
    return Assessment.objects.filter(region__in=access.regions_visible_to(user)).select_related(
        "region__province", "cycle__framework"
    )


def assessment_for(user: User, pk: int) -> Assessment:
    """The assessment with this id if the user may see it; 404 otherwise."""
    try:
        return assessments_visible_to(user).get(pk=pk)
    except Assessment.DoesNotExist as missing:
        raise Http404 from missing


def assessment_for_review(user: User, pk: int) -> Assessment:
    """The assessment if the user reviews its region; 404 otherwise, also for its own officials,
    who see the assessment but never its review pages."""
    assessment = assessment_for(user, pk)
    if not access.can_review_region(user, assessment.region):
        raise Http404
    return assessment


def edit_refusal(assessment: Assessment, user: User) -> str | None:
    """Why `user` may not change the assessment now (in their language), or None if they may."""
    if not access.can_edit_region(user, assessment.region):
        return _("Only the region's officials can change this assessment.")
    if not assessment.is_editable:
        return _("This assessment is %(status)s and can no longer be changed.") % {
            "status": assessment.get_status_display().lower()
        }
    if assessment.is_closed_on(timezone.localdate()):
        return _(
            "The cycle was closed on %(date)s: answers can no longer be changed or submitted. "
            "Ask your facilitator for an extension."
        ) % {"date": date_format(timezone.localtime(assessment.cycle.closed_at), "DATE_FORMAT")}
    return None


def review_refusal(assessment: Assessment, user: User) -> str | None:
    """Why `user` may not review the assessment now (in their language), or None if they may."""
    if not access.can_review_region(user, assessment.region):
        return _("Only the region's facilitators can review this assessment.")
    if not assessment.is_reviewable:
        return _("This assessment is %(status)s; only a submitted assessment can be reviewed.") % {
            "status": assessment.get_status_display().lower()
        }
    return None


def response_for(assessment: Assessment, pk: int) -> IndicatorResponse:
    """A response of an assessment the caller already obtained through `assessment_for`."""
    try:
        response = IndicatorResponse.objects.select_related(
            "indicator__element__pillar", "updated_by"
        ).get(pk=pk, assessment=assessment)
    except IndicatorResponse.DoesNotExist as missing:
        raise Http404 from missing
    response.assessment = assessment
    return response


def evidence_for(user: User, pk: int) -> Evidence:
    """Evidence the user may see (through its assessment's region); 404 otherwise."""
    try:
        return Evidence.objects.select_related(
            "response__assessment__region", "response__assessment__cycle"
        ).get(pk=pk, response__assessment__region__in=access.regions_visible_to(user))
    except Evidence.DoesNotExist as missing:
        raise Http404 from missing


def comments_of(response: IndicatorResponse) -> QuerySet[ResponseComment]:
    """The discussion of one response, oldest first."""
    return response.comments.select_related("author").order_by("created_at", "pk")


def timeline_of(assessment: Assessment) -> QuerySet[AssessmentEvent]:
    """The assessment's events, oldest first, with their actors."""
    return assessment.events.select_related("actor").order_by("created_at", "pk")


def review_queue(user: User) -> QuerySet[Assessment]:
    """Submitted assessments the user reviews, the longest waiting first, each with
    `indicator_count`, `reviewed_count` and `submission_round` (1 for a first submission, 2 once
    resubmitted after a return, ...) counted in the same query."""
    submissions = (
        AssessmentEvent.objects.filter(
            assessment=OuterRef("pk"), kind__in=[EventKind.SUBMITTED, EventKind.RESUBMITTED]
        )
        .order_by()
        .values("assessment")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Assessment.objects.filter(
            region__in=access.regions_reviewable_by(user),
            status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW],
        )
        .select_related("region__province", "cycle")
        .annotate(
            indicator_count=Count("responses"),
            reviewed_count=Count(
                "responses", filter=~Q(responses__review_state=ReviewState.PENDING)
            ),
            submission_round=Coalesce(Subquery(submissions), 1),
        )
        .order_by("submitted_at", "pk")
    )


ANSWERED = Q(responses__self_level__isnull=False) | Q(responses__not_applicable=True)


def assessments_with_progress(user: User) -> QuerySet[Assessment]:
    """The user's assessments, newest cycle first, each with `answered` and `total` responses
    counted in the same query."""
    return (
        assessments_visible_to(user)
        .annotate(total=Count("responses"), answered=Count("responses", filter=ANSWERED))
        .order_by("-cycle__year", "region__code")
    )


RECENT_COMMENTS = 5


def returned_to(user: User) -> QuerySet[Assessment]:
    """The returned assessments of the regions the user fills in, the latest return first; each
    carries the facilitator's `return_note`."""
    return (
        assessments_visible_to(user)
        .filter(status=AssessmentStatus.RETURNED, region__in=access.regions_editable_by(user))
        .order_by("-updated_at", "-pk")
    )


def recent_comments_for(user: User, limit: int = RECENT_COMMENTS) -> list[ResponseComment]:
    """The latest comments others left on the answers of the regions the user fills in, newest
    first, with the indicator and assessment each belongs to (one query)."""
    return list(
        ResponseComment.objects.filter(
            response__assessment__region__in=access.regions_editable_by(user)
        )
        .exclude(author=user)
        .select_related("author", "response__indicator__element", "response__assessment__region")
        .order_by("-created_at", "-pk")[:limit]
    )


class GapKind:
    UNANSWERED = "unanswered"
    EVIDENCE = "evidence"
    NA_REASON = "na_reason"


@dataclass(frozen=True)
class SubmissionGap:
    """One thing that keeps an assessment from being submitted, and where to fix it."""

    response_id: int
    indicator_code: str
    indicator_name: str
    element_code: str
    kind: str
    message: str


def submission_gaps(assessment: Assessment) -> list[SubmissionGap]:
    """Everything missing before submission, in framework order, from one query."""
    responses = (
        assessment.responses.select_related("indicator__element")
        .annotate(evidence_count=Count("evidence"))
        .order_by(*indicator_order("indicator__"))
    )
    gaps = []
    for response in responses:
        indicator = response.indicator
        if response.not_applicable:
            kind = GapKind.NA_REASON if not response.na_reason.strip() else None
            message = _("Explain why it does not apply.")
        elif response.self_level is None:
            kind, message = GapKind.UNANSWERED, _("Choose a level.")
        elif indicator.needs_evidence_at(response.self_level) and not response.evidence_count:
            kind = GapKind.EVIDENCE
            message = _("Level %(level)d needs evidence: upload a file or add a link.") % {
                "level": response.self_level
            }
        else:
            kind = None
        if kind:
            gaps.append(
                SubmissionGap(
                    response_id=response.pk,
                    indicator_code=indicator.code,
                    indicator_name=indicator.name,
                    element_code=indicator.element.code,
                    kind=kind,
                    message=message,
                )
            )
    return gaps


@dataclass
class SheetRow:
    """One indicator of the sheet with its answer and, when asked for, its details."""

    indicator: Indicator
    response: IndicatorResponse
    descriptors: list[LevelDescriptor] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    comments: list[ResponseComment] = field(default_factory=list)

    @property
    def needs_evidence(self) -> bool:
        return self.indicator.needs_evidence_at(self.response.self_level)


@dataclass
class SheetElement:
    element: Element
    rows: list[SheetRow]

    @property
    def answered(self) -> int:
        return sum(1 for row in self.rows if row.response.is_answered)

    @property
    def total(self) -> int:
        return len(self.rows)


@dataclass
class SheetPillar:
    pillar: Pillar
    elements: list[SheetElement]


@dataclass
class Sheet:
    """An assessment laid out as its framework: pillars -> elements -> indicator rows."""

    assessment: Assessment
    levels: list[ScaleLevel]
    pillars: list[SheetPillar]

    def rows(self) -> list[SheetRow]:
        return [row for p in self.pillars for e in p.elements for row in e.rows]


def assessment_sheet(
    assessment: Assessment, *, element_code: str | None = None, details: bool = True
) -> Sheet:
    """The assessment as its framework tree, in a fixed number of queries however large.

    `element_code` limits the rows to one element (404 when the framework has no such element);
    `details` adds level descriptors, evidence and comments to every row.
    """
    framework = assessment.cycle.framework
    levels = list(ScaleLevel.objects.filter(framework=framework).order_by("value"))
    elements = Element.objects.filter(framework=framework).order_by(
        *pillar_order("pillar__"), "position"
    )
    responses = IndicatorResponse.objects.filter(assessment=assessment).select_related(
        "indicator", "updated_by", "reviewed_by"
    )
    if element_code is not None:
        elements = elements.filter(code=element_code)
        responses = responses.filter(indicator__element__code=element_code)
    elements = list(elements.select_related("pillar"))
    if element_code is not None and not elements:
        raise Http404
    rows_by_element: dict[int, list[SheetRow]] = {}
    rows = []
    for response in responses.order_by("indicator__position"):
        response.assessment = assessment
        row = SheetRow(indicator=response.indicator, response=response)
        rows_by_element.setdefault(response.indicator.element_id, []).append(row)
        rows.append(row)
    if details and rows:
        _attach_details(rows)
    pillars: dict[int, SheetPillar] = {}
    for element in elements:
        pillar = pillars.setdefault(element.pillar_id, SheetPillar(element.pillar, []))
        pillar.elements.append(SheetElement(element, rows_by_element.get(element.pk, [])))
    return Sheet(assessment, levels, list(pillars.values()))


def _attach_details(rows: list[SheetRow]) -> None:
    by_indicator = {row.indicator.pk: row for row in rows}
    by_response = {row.response.pk: row for row in rows}
    for descriptor in LevelDescriptor.objects.filter(indicator_id__in=by_indicator).order_by(
        "level"
    ):
        by_indicator[descriptor.indicator_id].descriptors.append(descriptor)
    for item in Evidence.objects.filter(response_id__in=by_response).select_related("uploaded_by"):
        by_response[item.response_id].evidence.append(item)
    for comment in ResponseComment.objects.filter(response_id__in=by_response).select_related(
        "author"
    ):
        by_response[comment.response_id].comments.append(comment)


def response_history(
    response: IndicatorResponse,
) -> tuple[list, list, IndicatorResponse | None]:
    """One response's history: its own records and its evidence's, each newest first, with who
    made them; and the previous assessment's response it was carried over from, if any.

    Four queries at most while the baseline is on the same framework version; the crosswalk
    lookups add a few when the version changed. The origin is the baseline's response for the
    same indicator, through the crosswalks (None without a baseline).
    """
    records = list(
        response.history.select_related("history_user", "updated_by").order_by(
            "-history_date", "-history_id"
        )
    )
    evidence = list(
        Evidence.history.filter(response_id=response.pk)
        .select_related("history_user", "uploaded_by")
        .order_by("-history_date", "-history_id")
    )
    # Pre-filled responses are bulk-created, so their first state has no history record of its
    # own: the baseline is where it came from.
    return records, evidence, _carried_from(response)


def _carried_from(response: IndicatorResponse) -> IndicatorResponse | None:
    """The baseline's response this one was pre-filled from (the first, when several old
    indicators were merged into it), found through the crosswalks when the version changed."""
    if response.assessment.baseline_id is None:
        return None
    baseline = Assessment.objects.select_related("cycle__framework").get(
        pk=response.assessment.baseline_id
    )
    framework = response.assessment.cycle.framework
    code = response.indicator.code
    if baseline.cycle.framework_id == framework.pk:
        codes = [code]
    else:
        code_map = indicator_code_map(baseline.cycle.framework, framework)
        codes = [old for old, new in code_map.items() if code in new]
    return (
        IndicatorResponse.objects.filter(assessment=baseline, indicator__code__in=codes)
        .select_related("assessment__cycle", "assessment__region")
        .order_by("indicator__position")
        .first()
    )


# --- Cycles ---
# How many regions the confirmation page names when they already have an assessment this year.
DUPLICATES_SHOWN = 20


def _require_cycle_reader(user: User) -> None:
    """Cycles exist only for administrators and facilitators; 404 for everyone else."""
    if not access.can_read_cycles(user):
        raise Http404


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def status_counts(counts: dict[str, int]) -> list[StatusCount]:
    return [
        StatusCount(status.value, str(status.label), counts.get(status.value, 0))
        for status in AssessmentStatus
    ]


def cycles_for(user: User) -> list[Cycle]:
    """Cycles the user may see, each with `total` and `status_counts` of the assessments in the
    user's scope, in one query. Facilitators only get cycles with regions of their scope."""
    _require_cycle_reader(user)
    scoped = access.visible_regions_q(user, "assessments__region")
    annotations = {
        f"n_{status.value}": Count("assessments", filter=scoped & Q(assessments__status=status))
        for status in AssessmentStatus
    }
    cycles = Cycle.objects.select_related("framework").annotate(
        total=Count("assessments", filter=scoped), **annotations
    )
    if not access.is_administrator(user):
        cycles = cycles.filter(total__gt=0)
    result = list(cycles.order_by("-year", "-opens_on", "-pk"))
    for cycle in result:
        cycle.status_counts = status_counts(
            {status.value: getattr(cycle, f"n_{status.value}") for status in AssessmentStatus}
        )
    return result


def cycle_for(user: User, pk: int) -> Cycle:
    """The cycle with this id for an administrator or facilitator; 404 otherwise."""
    _require_cycle_reader(user)
    try:
        return Cycle.objects.select_related("framework").get(pk=pk)
    except Cycle.DoesNotExist as missing:
        raise Http404 from missing


def cycle_assessments(cycle: Cycle, user: User) -> list[Assessment]:
    """The cycle's assessments in the user's scope with `answered`/`total` responses, one query."""
    assessments = (
        Assessment.objects.filter(access.visible_regions_q(user, "region"), cycle=cycle)
        .select_related("region__province")
        .annotate(total=Count("responses"), answered=Count("responses", filter=ANSWERED))
        .order_by("region__province__code", "region__code")
    )
    result = list(assessments)
    for assessment in result:
        assessment.cycle = cycle
        # The review page exists once the region has submitted; it is the work for reviewers.
        assessment.can_review = assessment.status != AssessmentStatus.DRAFT and (
            access.can_review_region(user, assessment.region)
        )
        assessment.awaits_review = assessment.status in REVIEWABLE_STATUSES
    return result


@dataclass(frozen=True)
class CyclePreview:
    """What opening a cycle would do, computed without writing anything."""

    assessments: int
    prefilled: int
    duplicates: list[Assessment]
    duplicate_count: int

    @property
    def more_duplicates(self) -> int:
        return self.duplicate_count - len(self.duplicates)


def _baselines(framework: Framework, year: int) -> QuerySet[Assessment]:
    """Approved assessments a cycle of `year` on `framework` pre-fills from: of that year or
    earlier, on this framework or an earlier version of it (whose answers the crosswalks reach).
    An unrelated framework's assessment is never a baseline, even when it is newer."""
    lineage = [version.pk for version in framework_lineage(framework)]
    return Assessment.objects.filter(
        status=AssessmentStatus.APPROVED, cycle__framework_id__in=lineage, cycle__year__lte=year
    )


def baselines_for(region_ids: list[int], cycle: Cycle) -> dict[int, Assessment]:
    """Region id -> the assessment its answers in `cycle` start from (see `_baselines`): the
    latest by year, then by approval; regions without one are left out."""
    approved = (
        _baselines(cycle.framework, cycle.year)
        .filter(region_id__in=region_ids)
        .exclude(cycle=cycle)
        .select_related("cycle__framework")
        .order_by("region_id", "-cycle__year", "-approved_at")
    )
    latest: dict[int, Assessment] = {}
    for assessment in approved:
        latest.setdefault(assessment.region_id, assessment)
    return latest


def cycle_preview(*, regions: QuerySet[Region], year: int, framework: Framework) -> CyclePreview:
    """What opening a cycle for `regions` would do: how many assessments, how many pre-filled (a
    baseline exists, the same rule as `baselines_for`), and which regions already have an
    assessment in a cycle of the same year and framework."""
    prefilled = (
        _baselines(framework, year)
        .filter(region__in=regions)
        .values("region_id")
        .distinct()
        .count()
    )
    duplicates = Assessment.objects.filter(
        region__in=regions, cycle__year=year, cycle__framework=framework
    ).select_related("region", "cycle")
    return CyclePreview(
        assessments=regions.count(),
        prefilled=prefilled,
        duplicates=list(duplicates.order_by("region__code")[:DUPLICATES_SHOWN]),
        duplicate_count=duplicates.count(),
    )


def cycle_opening_unfinished(cycle: Cycle, user: User) -> CycleOpeningJob | None:
    """The cycle's opening job while it is queued, running or failed, if the user may follow it."""
    openings = CycleOpeningJob.objects.filter(cycle=cycle).exclude(status=JobStatus.DONE)
    return access.jobs_visible_to(user, openings).first()


def cycle_scores_latest(cycle: Cycle, user: User) -> CycleScoresJob | None:
    """The cycle's latest recomputation, with who asked for it, if the user may follow it."""
    recomputations = CycleScoresJob.objects.filter(cycle=cycle).select_related("requested_by")
    return access.jobs_visible_to(user, recomputations).order_by("-pk").first()


def cycle_scores_job_for(user: User, pk: int) -> CycleScoresJob:
    """A recomputation with its cycle and who asked for it; 404 for anyone who may not follow it."""
    recomputations = CycleScoresJob.objects.select_related("cycle", "requested_by")
    try:
        return access.jobs_visible_to(user, recomputations).get(pk=pk)
    except CycleScoresJob.DoesNotExist as missing:
        raise Http404 from missing
