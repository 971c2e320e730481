"""Reads of the evaluations app: scoped through `smartcity.access`, frames from one query each."""

import datetime

import pandas as pd
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from assessments.models import AssessmentStatus, ScoreSnapshot, SnapshotScope
from evaluations import scoring
from evaluations.models import (
    EvaluationLetter,
    EvaluationRound,
    ProgressEvidence,
    ProgressUpdate,
    RegionEvaluation,
    ReportingPeriod,
)
from masterplan.models import ActionItem, MasterPlan
from smartcity import access
from smartcity.jobs import JobStatus
from smartcity.models import Region, User


# --- Plans and progress ---------------------------------------------------------------------------
def current_plans() -> QuerySet[MasterPlan]:
    """Each region's newest plan edition (the plan being carried out)."""
    newest = (
        MasterPlan.objects.filter(region=OuterRef("region")).order_by("-edition").values("pk")[:1]
    )
    return MasterPlan.objects.filter(pk=Subquery(newest))


def current_plans_visible_to(user: User) -> QuerySet[MasterPlan]:
    return (
        current_plans()
        .filter(access.visible_regions_q(user, "region"))
        .select_related("region")
        .order_by("region__code")
    )


def current_plan_of(region: Region) -> MasterPlan | None:
    return MasterPlan.objects.filter(region=region).order_by("-edition").first()


def plan_for_progress(user: User, pk: int) -> MasterPlan:
    """The plan whose progress the user reads, or 404 outside their scope."""
    plan = (
        MasterPlan.objects.select_related("region")
        .filter(access.visible_regions_q(user, "region"), pk=pk)
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def item_for_progress(user: User, pk: int) -> ActionItem:
    """An item the user reports progress on (an official of its region), or 404."""
    item = ActionItem.objects.select_related("plan__region").filter(pk=pk).first()
    if item is None or not access.can_edit_region(user, item.plan.region):
        raise Http404
    return item


def progress_evidence_for(user: User, pk: int) -> ProgressEvidence:
    """A stored evidence file of a progress report, or 404 outside the user's scope."""
    evidence = (
        ProgressEvidence.objects.select_related("update__item__plan__region")
        .filter(pk=pk)
        .exclude(file="")
        .first()
    )
    if evidence is None or not access.can_view_region(user, evidence.update.item.plan.region):
        raise Http404
    return evidence


def period_of(day: datetime.date) -> ReportingPeriod | None:
    return ReportingPeriod.objects.filter(starts_on__lte=day, ends_on__gte=day).first()


def periods_until(day: datetime.date) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(starts_on__lte=day).order_by("-starts_on")


def latest_updates(items: list[ActionItem]) -> dict[int, ProgressUpdate]:
    """The newest update of each item (any period), in one query."""
    latest = {}
    for update in (
        ProgressUpdate.objects.filter(item__in=items)
        .select_related("period", "reported_by")
        .prefetch_related("evidence")
        .order_by("item_id", "-period__starts_on", "-reported_at", "-pk")
    ):
        latest.setdefault(update.item_id, update)
    return latest


def history_of(item: ActionItem) -> QuerySet[ProgressUpdate]:
    return (
        ProgressUpdate.objects.filter(item=item)
        .select_related("period", "reported_by")
        .prefetch_related("evidence")
        .order_by("-period__starts_on", "-reported_at", "-pk")
    )


def lagging_items_for(user: User, year: int) -> pd.DataFrame:
    """Overdue and delayed items of the current plans of the regions the user facilitates."""
    regions = access.regions_reviewable_by(user)
    frames = scoring.Frames(
        pd.DataFrame(columns=scoring.INDEX_COLUMNS),
        pd.DataFrame(columns=scoring.READINESS_COLUMNS),
        items_frame(regions.values("pk")),
        progress_frame(year, regions.values("pk")),
    )
    items = scoring.item_states(frames, year)
    lagging = items[items["overdue"] | (items["status"] == scoring.ProgressStatus.DELAYED)]
    names = dict(regions.values_list("pk", "name"))
    return lagging.assign(region=lagging["region_id"].map(names)).sort_values(
        ["region", "end_year", "item_id"]
    )


# --- The round's input frames ---------------------------------------------------------------------
def indexes_frame(year: int, region_ids) -> pd.DataFrame:
    rows = ScoreSnapshot.objects.filter(
        scope=SnapshotScope.SMART_CITY_INDEX,
        preliminary=False,
        assessment__status=AssessmentStatus.APPROVED,
        cycle__year__lte=year,
        region_id__in=region_ids,
    ).values_list("region_id", "cycle__year", "current")
    return pd.DataFrame(list(rows), columns=scoring.INDEX_COLUMNS)


def readiness_frame(year: int, pillars, region_ids) -> pd.DataFrame:
    """The foundation pillars' scores of each region's newest approved cycle up to `year`."""
    rows = ScoreSnapshot.objects.filter(
        scope=SnapshotScope.PILLAR,
        code__in=list(pillars),
        preliminary=False,
        assessment__status=AssessmentStatus.APPROVED,
        cycle__year__lte=year,
        region_id__in=region_ids,
    ).values_list("region_id", "cycle__year", "code", "current")
    frame = pd.DataFrame(list(rows), columns=["region_id", "year", "pillar", "score"])
    newest = frame.groupby("region_id")["year"].transform("max")
    return frame[frame["year"] == newest][scoring.READINESS_COLUMNS]


def items_frame(region_ids) -> pd.DataFrame:
    rows = ActionItem.objects.filter(
        plan__in=current_plans().filter(region_id__in=region_ids)
    ).values_list(
        "pk",
        "plan__region_id",
        "title",
        "element__pillar__code",
        "horizon",
        "start_year",
        "end_year",
        "budget",
    )
    frame = pd.DataFrame(list(rows), columns=scoring.ITEM_COLUMNS)
    frame["pillar"] = frame["pillar"].fillna(scoring.NO_PILLAR)
    return frame


def progress_frame(year: int, region_ids) -> pd.DataFrame:
    """Each item's newest report in periods up to the end of `year`, and its first "done" year."""
    rows = (
        ProgressUpdate.objects.filter(
            period__year__lte=year,
            item__plan__in=current_plans().filter(region_id__in=region_ids),
        )
        .order_by("item_id", "period__starts_on", "reported_at", "pk")
        .values_list("item_id", "status", "percent", "period__year")
    )
    frame = pd.DataFrame(list(rows), columns=["item_id", "status", "percent", "year"])
    done = frame[frame["status"] == scoring.ProgressStatus.DONE].groupby("item_id")["year"].min()
    latest = frame.groupby("item_id").tail(1).set_index("item_id")
    latest["done_year"] = done.where(latest["status"] == scoring.ProgressStatus.DONE)
    return latest.reset_index()[scoring.PROGRESS_COLUMNS]


def round_params(evaluation_round: EvaluationRound) -> scoring.RoundParams:
    return scoring.RoundParams(
        year=evaluation_round.year,
        scale_min=evaluation_round.scale_min,
        scale_max=evaluation_round.scale_max,
        weights={row.code: row.weight for row in evaluation_round.dimensions.all()},
        output_pillars=tuple(evaluation_round.output_pillars),
    )


def round_frames(evaluation_round: EvaluationRound, region_ids: list[int]) -> scoring.Frames:
    """The four frames of a round (four queries)."""
    year = evaluation_round.year
    return scoring.Frames(
        indexes_frame(year, region_ids),
        readiness_frame(year, evaluation_round.output_pillars, region_ids),
        items_frame(region_ids),
        progress_frame(year, region_ids),
    )


# --- Rounds and evaluations, scoped ---------------------------------------------------------------
def rounds_visible_to(user: User) -> QuerySet[EvaluationRound]:
    if not access.can_read_cycles(user):
        return EvaluationRound.objects.none()
    return EvaluationRound.objects.prefetch_related("dimensions", "stages")


def round_for(user: User, pk: int) -> EvaluationRound:
    found = rounds_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def evaluations_visible_to(user: User) -> QuerySet[RegionEvaluation]:
    return RegionEvaluation.objects.select_related("round", "region__province").filter(
        access.visible_regions_q(user, "region")
    )


def evaluation_for(user: User, pk: int) -> RegionEvaluation:
    """The region's evaluation, or 404 outside the user's scope."""
    found = (
        evaluations_visible_to(user)
        .prefetch_related("round__dimensions", "round__stages", "judgements__assessor")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def round_evaluations(user: User, evaluation_round: EvaluationRound) -> QuerySet:
    return evaluations_visible_to(user).filter(round=evaluation_round).order_by("region__code")


def previous_evaluation(evaluation: RegionEvaluation) -> RegionEvaluation | None:
    return (
        RegionEvaluation.objects.select_related("round")
        .prefetch_related("judgements")
        .filter(region=evaluation.region, round__year__lt=evaluation.round.year)
        .order_by("-round__year")
        .first()
    )


def letter_for(user: User, pk: int) -> EvaluationLetter:
    letter = (
        access.jobs_visible_to(user, EvaluationLetter.objects.select_related("evaluation__region"))
        .filter(pk=pk)
        .first()
    )
    if letter is None:
        raise Http404
    return letter


def latest_letter(evaluation: RegionEvaluation) -> EvaluationLetter | None:
    return evaluation.letters.order_by("-created_at", "-pk").first()


# --- Suggestions ----------------------------------------------------------------------------------
def suggestions_for(evaluation: RegionEvaluation) -> list[tuple[str, str]]:
    """Recommendations to pick, from the lagging items and dimensions: (key, text)."""
    suggestions = []
    for row in (evaluation.computed or {}).get("lagging", []):
        if row["overdue"]:
            text = _("Complete the overdue program “%(title)s” (due %(year)s) and report it.")
        elif row["status"] == scoring.ProgressStatus.DELAYED:
            text = _("Remove what delays the program “%(title)s” and report its progress.")
        else:
            text = _("Start the program “%(title)s” planned for this year, or re-plan it.")
        suggestions.append(
            (f"item:{row['item_id']}", text % {"title": row["title"], "year": row["end_year"]})
        )
    for row in (evaluation.computed or {}).get("programs", []):
        if row["share"] is not None and row["share"] < 0.5:
            suggestions.append(
                (
                    f"dimension:{row['pillar']}",
                    _(
                        "Only %(running)s of %(planned)s %(pillar)s programs are running: "
                        "assign budget and a lead OPD to the rest."
                    )
                    % row,
                )
            )
    return suggestions


# --- For the dashboards ---------------------------------------------------------------------------
ACHIEVEMENT_COLUMNS = {
    "region_id": "region_id",
    "region_code": "region__code",
    "region": "region__name",
    "province_id": "region__province_id",
    "province_code": "region__province__code",
    "province_name": "region__province__name",
    "cohort_year": "region__cohort_year",
    "achievement": "achievement",
    "stage": "stage",
}


def achievement_by_region(cycle_or_year, regions: QuerySet[Region]) -> pd.DataFrame:
    """The achievement index of each region in the round of a year (a Cycle's year or an int),
    one query: region_id, region_code, region, province_id, province_code, province_name,
    cohort_year, achievement (NaN: not evaluated), stage. Regions without an evaluation that year
    are left out."""
    year = getattr(cycle_or_year, "year", cycle_or_year)
    rows = (
        RegionEvaluation.objects.filter(round__year=year, region__in=regions.values("pk"))
        .order_by("region__code")
        .values_list(*ACHIEVEMENT_COLUMNS.values())
    )
    frame = pd.DataFrame(list(rows), columns=list(ACHIEVEMENT_COLUMNS))
    return frame.astype({"achievement": "float64"})


def region_evaluations(region: Region) -> list[dict]:
    """The region's evaluation in every round, oldest first, with its newest finished letter
    (one query). The caller has checked the region is in the user's scope."""
    letters = (
        EvaluationLetter.objects.filter(evaluation=OuterRef("pk"), status=JobStatus.DONE)
        .exclude(file="")
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    return list(
        RegionEvaluation.objects.filter(region=region)
        .annotate(letter=Subquery(letters))
        .order_by("round__year")
        .values("pk", "round__year", "round__title", "achievement", "stage", "letter")
    )


def newest_round_year() -> int | None:
    return EvaluationRound.objects.aggregate(year=Max("year"))["year"]
