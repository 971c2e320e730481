"""Reads of the dashboards: assessment statuses and ScoreSnapshot rows of one user's scope.

Each frame comes from one query (aggregated in the database where the page needs only means), so
a dashboard costs the same number of queries for three regions or 514. Every query is limited by
`smartcity.access`; nothing here counts a region outside the user's scope.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from django.db.models import (
    Avg,
    Count,
    Exists,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import get_language

from assessments.models import (
    Assessment,
    AssessmentEvent,
    Cycle,
    GapReport,
    IndicatorResponse,
    ScoreSnapshot,
    SnapshotScope,
)
from evaluations.models import EvaluationRound
from masterplan.models import MasterPlan
from smartcity import access
from smartcity.jobs import JobStatus
from smartcity.models import Element, Pillar, PredikatBand, Region, ScaleLevel, User


def _name_field() -> str:
    return "name_en" if (get_language() or "id").startswith("en") else "name_id"


def _frame(rows, columns) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows), columns=list(columns))


# --- Cycles --------------------------------------------------------------------------------------
def dashboard_cycles(user: User) -> list[Cycle]:
    """The cycles the user's dashboards can show, newest first (404 for anyone without access):
    every cycle for administrators, those with regions of their scope for the others. Without the
    cycle list's status counts, which the dashboards compute themselves."""
    if not access.can_use_dashboards(user):
        raise Http404
    cycles = Cycle.objects.order_by("-year", "-opens_on", "-pk")
    if not access.is_administrator(user):
        in_scope = Assessment.objects.filter(
            access.visible_regions_q(user, "region"), cycle=OuterRef("pk")
        )
        cycles = cycles.filter(Exists(in_scope))
    return list(cycles)


def cycle_chosen(cycles: list[Cycle], value: str | None) -> Cycle | None:
    """The cycle named by the `cycle` parameter among `cycles`, the newest when none is named;
    404 for an id that is not among them (or is not a number)."""
    if not value:
        return cycles[0] if cycles else None
    try:
        pk = int(value)
    except ValueError as bad:
        raise Http404 from bad
    for cycle in cycles:
        if cycle.pk == pk:
            return cycle
    raise Http404


# --- Evaluation rounds ----------------------------------------------------------------------------
def dashboard_rounds(user: User) -> list[EvaluationRound]:
    """The evaluation rounds, newest first (404 for anyone without the dashboards)."""
    if not access.can_use_dashboards(user):
        raise Http404
    return list(EvaluationRound.objects.order_by("-year"))


def round_chosen(rounds: list[EvaluationRound], value: str | None) -> EvaluationRound | None:
    """The round of the year named by the `year` parameter, the newest when none is named; 404
    for a year without a round (or not a number)."""
    if not value:
        return rounds[0] if rounds else None
    for evaluation_round in rounds:
        if str(evaluation_round.year) == value.strip():
            return evaluation_round
    raise Http404


# The columns of the progress frame (the analysis' names) and the fields they are read from.
PROGRESS_FIELDS = {
    "assessment": "pk",
    "region": "region_id",
    "region_code": "region__code",
    "region_name": "region__name",
    "province_code": "region__province__code",
    "province_name": "region__province__name",
    "cohort_year": "region__cohort_year",
    "status": "status",
    "touched": "touched",
    "updated_at": "updated_at",
    "last_event": "last_event",
    "index": "index_row__current",
    "predikat": "index_row__predikat",
    "preliminary": "index_row__preliminary",
}


# --- Progress ----------------------------------------------------------------------------------
def progress_frame(user: User, cycle: Cycle) -> pd.DataFrame:
    """One row per assessment of the cycle in the user's scope (`PROGRESS_FIELDS` and
    `last_response`): the region, its status, whether anyone answered yet, the last answer and
    event, and the index and predikat of its latest snapshot. Two queries."""
    responses = IndicatorResponse.objects.filter(assessment=OuterRef("pk"))
    events = AssessmentEvent.objects.filter(assessment=OuterRef("pk"))
    rows = (
        Assessment.objects.filter(access.visible_regions_q(user, "region"), cycle=cycle)
        .annotate(
            touched=Exists(responses.filter(updated_by__isnull=False)),
            last_event=Subquery(events.order_by("-created_at").values("created_at")[:1]),
            # One LEFT JOIN on the unique (assessment, scope, code) index: one index row each.
            index_row=FilteredRelation(
                "score_snapshots",
                condition=Q(score_snapshots__scope=SnapshotScope.SMART_CITY_INDEX),
            ),
        )
        .values_list(*PROGRESS_FIELDS.values())
        .order_by()
    )
    frame = _frame(rows, PROGRESS_FIELDS)
    answers = (
        IndicatorResponse.objects.filter(
            access.visible_regions_q(user, "assessment__region"), assessment__cycle=cycle
        )
        .values("assessment_id")
        .annotate(last=Max("updated_at"))
        .values_list("assessment_id", "last")
        .order_by()
    )
    # One grouped pass over the cycle's answers: cheaper than a sorted lookup per assessment.
    frame["last_response"] = frame["assessment"].map(dict(answers))
    frame["index"] = frame["index"].astype("float64")
    frame["cohort_year"] = frame["cohort_year"].astype("Int64")
    frame["predikat"] = frame["predikat"].fillna("")
    frame["preliminary"] = frame["preliminary"].fillna(False).astype(bool)
    return frame


# --- Maturity ----------------------------------------------------------------------------------
def _snapshots(user: User, *, preliminary: bool):
    snapshots = ScoreSnapshot.objects.filter(access.visible_regions_q(user, "region"))
    return snapshots if preliminary else snapshots.filter(preliminary=False)


REGION_FIELDS = {
    "region": "region_id",
    "region_code": "region__code",
    "region_name": "region__name",
    "province_code": "region__province__code",
    "province_name": "region__province__name",
}


def region_scores(
    user: User, cycle: Cycle, *, dimensions: Sequence[str], preliminary: bool
) -> pd.DataFrame:
    """One row per region of the user's scope with results in the cycle: `REGION_FIELDS`, its
    smart-city `index` with its `predikat` and whether it is `preliminary`, and a column per
    code in `dimensions` with the region's score on it. Approved results only unless
    `preliminary`. Pivoted in the database (a row per region, not per snapshot): one query."""
    index = Q(scope=SnapshotScope.SMART_CITY_INDEX)
    scores = {
        "index": Max("current", filter=index),
        "predikat": Max("predikat", filter=index),
        "preliminary": Max(Cast("preliminary", IntegerField()), filter=index),
    }
    # Positional names: a dimension code need not be a valid or a free SQL alias.
    columns = {f"dimension_{number}": code for number, code in enumerate(dimensions)}
    for alias, code in columns.items():
        scores[alias] = Max("current", filter=Q(scope=SnapshotScope.PILLAR, code=code))
    rows = (
        _snapshots(user, preliminary=preliminary)
        .filter(index | Q(scope=SnapshotScope.PILLAR, code__in=list(dimensions)), cycle=cycle)
        .values(*REGION_FIELDS.values())
        .annotate(**scores)
        .values_list(*REGION_FIELDS.values(), *scores)
        .order_by()
    )
    frame = _frame(rows, [*REGION_FIELDS, *scores]).rename(columns=columns)
    frame[["index", *dimensions]] = frame[["index", *dimensions]].astype("float64")
    frame["predikat"] = frame["predikat"].fillna("")
    frame["preliminary"] = frame["preliminary"].fillna(0).astype(bool)
    return frame


def score_means(user: User, cycle: Cycle, *, preliminary: bool) -> pd.DataFrame:
    """Per pillar and per element of the cycle: the mean current score and gap over the scope's
    regions and how many regions have the score (scope, code, mean, gap, regions), averaged in
    the database. One query."""
    rows = (
        _snapshots(user, preliminary=preliminary)
        .filter(cycle=cycle, scope__in=[SnapshotScope.PILLAR, SnapshotScope.ELEMENT])
        .values("scope", "code")
        # A region has one assessment per cycle and it one snapshot row per code: no DISTINCT.
        .annotate(mean=Avg("current"), gap=Avg("gap"), regions=Count("region_id"))
        .values_list("scope", "code", "mean", "gap", "regions")
        .order_by()
    )
    return _frame(rows, ("scope", "code", "mean", "gap", "regions"))


def trend_frame(user: User, *, preliminary: bool) -> pd.DataFrame:
    """The mean smart-city and readiness index of every cycle over the scope's regions
    (cycle, year, title, scope, mean, regions), oldest first; averaged in the database."""
    rows = (
        _snapshots(user, preliminary=preliminary)
        .filter(scope__in=[SnapshotScope.SMART_CITY_INDEX, SnapshotScope.READINESS_INDEX])
        .values("cycle_id", "cycle__year", "cycle__title", "scope")
        .annotate(mean=Avg("current"), regions=Count("region_id"))
        .values_list("cycle_id", "cycle__year", "cycle__title", "scope", "mean", "regions")
        .order_by("cycle__year", "cycle_id")
    )
    return _frame(rows, ("cycle", "year", "title", "scope", "mean", "regions"))


@dataclass(frozen=True)
class FrameworkParts:
    """The names of a framework's pillars and elements, and its predikat labels in order."""

    pillars: pd.DataFrame  # code, name, kind, position
    elements: pd.DataFrame  # code, name, pillar, position
    bands: list[str]
    top: float  # the highest level of the scale


def top_level(framework_id: int) -> float:
    """The highest level of the framework's scale (one query)."""
    levels = ScaleLevel.objects.filter(framework_id=framework_id).order_by("-value")
    return float(levels.values_list("value", flat=True).first() or 0)


def framework_parts(framework_id: int) -> FrameworkParts:
    """Pillars, elements, predikat bands and the top level of one framework, in the current
    language (four queries)."""
    name = _name_field()
    pillars = Pillar.objects.filter(framework_id=framework_id).values_list(
        "code", name, "kind", "position"
    )
    elements = Element.objects.filter(pillar__framework_id=framework_id).values_list(
        "code", name, "pillar__code", "position"
    )
    bands = PredikatBand.objects.filter(framework_id=framework_id).order_by("lower")
    return FrameworkParts(
        pillars=_frame(pillars, ("code", "name", "kind", "position")),
        elements=_frame(elements, ("code", "name", "pillar", "position")),
        bands=list(bands.values_list("label_id", flat=True)),
        top=top_level(framework_id),
    )


# --- One region ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegionHistory:
    """One region across cycles: its assessments, scores, events, reports and plans."""

    assessments: pd.DataFrame  # assessment, cycle, year, title, closes_on, status, ...
    scores: pd.DataFrame  # assessment, year, scope, code, current, predikat, preliminary
    events: pd.DataFrame  # assessment, kind, created_at
    reports: dict[int, int]  # assessment id -> its newest finished GapReport's id
    plans: pd.DataFrame  # plan, assessment, start_year, edition, status
    pillars: pd.DataFrame  # framework, code, name, kind, position


def region_history(region: Region) -> RegionHistory:
    """Everything the region page shows, in six queries whatever the number of cycles. The
    caller has checked the region is in the user's scope (`access.region_for`)."""
    assessments = (
        Assessment.objects.filter(region=region)
        .values_list(
            "pk",
            "cycle_id",
            "cycle__year",
            "cycle__title",
            "cycle__closes_on",
            "cycle__framework_id",
            "status",
            "submitted_at",
            "approved_at",
        )
        .order_by("cycle__year", "cycle_id")
    )
    scores = (
        ScoreSnapshot.objects.filter(
            region=region,
            scope__in=[
                SnapshotScope.SMART_CITY_INDEX,
                SnapshotScope.READINESS_INDEX,
                SnapshotScope.PILLAR,
            ],
        )
        .values_list(
            "assessment_id", "cycle__year", "scope", "code", "current", "predikat", "preliminary"
        )
        .order_by("cycle__year", "scope", "code")
    )
    events = (
        AssessmentEvent.objects.filter(assessment__region=region)
        .values_list("assessment_id", "kind", "created_at")
        .order_by("created_at", "pk")
    )
    finished = (
        GapReport.objects.filter(assessment__region=region, status=JobStatus.DONE)
        .order_by("assessment_id", "-finished_at", "-pk")
        .values_list("assessment_id", "pk")
    )
    reports: dict[int, int] = {}
    for assessment_id, report_id in finished:
        reports.setdefault(assessment_id, report_id)
    plans = (
        MasterPlan.objects.filter(region=region)
        .values_list("pk", "assessment_id", "start_year", "edition", "status")
        .order_by("start_year", "edition")
    )
    assessment_frame = _frame(
        assessments,
        ("assessment", "cycle", "year", "title", "closes_on", "framework", "status")
        + ("submitted_at", "approved_at"),
    )
    pillars = Pillar.objects.filter(
        framework_id__in=assessment_frame["framework"].unique().tolist()
    ).values_list("framework_id", "code", _name_field(), "kind", "position")
    return RegionHistory(
        assessments=assessment_frame,
        scores=_frame(
            scores, ("assessment", "year", "scope", "code", "current", "predikat", "preliminary")
        ),
        events=_frame(events, ("assessment", "kind", "created_at")),
        reports=reports,
        plans=_frame(plans, ("plan", "assessment", "start_year", "edition", "status")),
        pillars=_frame(pillars, ("framework", "code", "name", "kind", "position")),
    )
