"""Reads of the assessment workflow: scoped querysets, ownership lookups, progress and gaps.

Every lookup of an assessment, response or evidence by id goes through the `*_for` functions here,
which answer 404 outside the user's scope (smartcity.access decides the scope).
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Evidence,
    IndicatorResponse,
    ResponseComment,
)
from assessments.rules import Scale
from smartcity import access
from smartcity.models import Framework, ScaleLevel, User


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
    """Submitted assessments the user reviews, the longest waiting first."""
    return (
        Assessment.objects.filter(
            region__in=access.regions_reviewable_by(user),
            status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW],
        )
        .select_related("region__province", "cycle")
        .order_by("submitted_at", "pk")
    )


@dataclass(frozen=True)
class ElementProgress:
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered == self.total


def progress_by_element(assessment: Assessment) -> dict[int, ElementProgress]:
    """Element id -> answered/total, in one query."""
    rows = (
        assessment.responses.values("indicator__element_id")
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=Q(self_level__isnull=False) | Q(not_applicable=True)),
        )
        .order_by()
    )
    return {
        row["indicator__element_id"]: ElementProgress(row["answered"], row["total"]) for row in rows
    }


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
        .order_by(
            "indicator__element__pillar__position",
            "indicator__element__position",
            "indicator__position",
        )
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
