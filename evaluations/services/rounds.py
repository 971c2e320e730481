"""Opening an evaluation round and pre-computing it for its regions in one pass."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations import scoring, selectors
from evaluations.models import (
    EvaluationRound,
    RegionEvaluation,
    RoundDimension,
    RoundStage,
    StageKind,
)
from evaluations.services.errors import InvalidInput, WrongState
from evaluations.signals import results_computed
from smartcity import access
from smartcity.models import Region, User


@dataclass(frozen=True)
class Stage:
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date


def round_problems(
    *, year: int, weights: dict[str, float], stages: list[Stage], scale: tuple[float, float]
) -> dict[str, str]:
    problems = {}
    if EvaluationRound.objects.filter(year=year).exists():
        problems["year"] = _("A round for %(year)s is already open.") % {"year": year}
    if set(weights) != set(scoring.DIMENSIONS) or any(value < 0 for value in weights.values()):
        problems["weights"] = _("Give each of the five dimensions a weight of 0 or more.")
    elif round(sum(weights.values()), 6) != 100:
        problems["weights"] = _("The weights add up to %(total)s; they must add up to 100.") % {
            "total": round(sum(weights.values()), 2)
        }
    if {stage.kind for stage in stages} != set(StageKind.values) or len(stages) != 2:
        problems["stages"] = _("Give the dates of the desk evaluation and the field verification.")
    elif any(stage.ends_on < stage.starts_on for stage in stages):
        problems["stages"] = _("A stage cannot end before it starts.")
    if scale[1] <= scale[0]:
        problems["scale"] = _("The highest score must be above the lowest.")
    return problems


@transaction.atomic
def round_open(
    *,
    user: User,
    year: int,
    title: str,
    weights: dict[str, float],
    stages: list[Stage],
    regions: QuerySet[Region],
    scale: tuple[float, float] = (1, 5),
    output_pillars: tuple[str, ...] = scoring.DEFAULT_OUTPUT_PILLARS,
) -> EvaluationRound:
    """An administrator opens the round of `year` for `regions`, and it is pre-computed."""
    if not access.is_administrator(user):
        raise WrongState(_("Only administrators open evaluation rounds."))
    problems = round_problems(year=year, weights=weights, stages=stages, scale=scale)
    if not title.strip():
        problems["title"] = _("Give the round a title.")
    if problems:
        raise InvalidInput(problems)
    evaluation_round = EvaluationRound.objects.create(
        year=year,
        title=title.strip(),
        scale_min=scale[0],
        scale_max=scale[1],
        output_pillars=list(output_pillars),
        opened_by=user,
    )
    RoundDimension.objects.bulk_create(
        RoundDimension(round=evaluation_round, code=code, weight=weights[code])
        for code in scoring.DIMENSIONS
    )
    RoundStage.objects.bulk_create(
        RoundStage(round=evaluation_round, kind=s.kind, starts_on=s.starts_on, ends_on=s.ends_on)
        for s in stages
    )
    RegionEvaluation.objects.bulk_create(
        RegionEvaluation(round=evaluation_round, region_id=pk)
        for pk in regions.order_by("code").values_list("pk", flat=True)
    )
    round_precompute(evaluation_round=evaluation_round)
    return evaluation_round


def _judged(evaluations: list[RegionEvaluation]) -> dict[int, dict[str, float]]:
    judged: dict[int, dict[str, float]] = {}
    for evaluation in evaluations:
        judged[evaluation.pk] = {j.code: j.score for j in evaluation.judgements.all()}
    return judged


@transaction.atomic
def round_precompute(*, evaluation_round: EvaluationRound) -> int:
    """Pre-compute every evaluation of the round that is not final, in one pass (four reads,
    one bulk write); returns how many were computed."""
    evaluations = list(
        evaluation_round.evaluations.exclude(stage="final").prefetch_related("judgements")
    )
    if not evaluations:
        return 0
    params = selectors.round_params(evaluation_round)
    region_ids = [evaluation.region_id for evaluation in evaluations]
    results = scoring.precompute(
        selectors.round_frames(evaluation_round, region_ids), params, region_ids
    )
    judged = _judged(evaluations)
    now = timezone.now()
    for evaluation in evaluations:
        evaluation.computed = results[evaluation.region_id]
        evaluation.computed_at = now
        scores = scoring.final_scores(evaluation.computed, judged[evaluation.pk])
        evaluation.achievement = scoring.achievement_index(scores, params.weights)[0]
    RegionEvaluation.objects.bulk_update(
        evaluations, ["computed", "computed_at", "achievement"], batch_size=500
    )
    results_computed.send(sender=EvaluationRound, evaluation_round=evaluation_round)
    return len(evaluations)


@transaction.atomic
def round_close(*, evaluation_round: EvaluationRound, user: User) -> EvaluationRound:
    """An administrator closes the round: its evaluations no longer change."""
    if not access.is_administrator(user):
        raise WrongState(_("Only administrators close evaluation rounds."))
    evaluation_round.status = "closed"
    evaluation_round.save(update_fields=["status"])
    return evaluation_round
