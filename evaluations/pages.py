"""Page models of an evaluation: its dimensions with formulas, programs per dimension, the
result with the previous year; used by the pages and by the letter alike (no queries)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from evaluations import scoring
from evaluations.models import DimensionChoice, Judgement, RegionEvaluation
from smartcity.models import Pillar


@dataclass(frozen=True)
class DimensionRow:
    code: str
    label: str
    weight: float
    computed: float | None
    formula: str
    judgement: Judgement | None
    score: float | None
    always_judged: bool
    previous: float | None = None

    @property
    def overridden(self) -> bool:
        return (
            self.judgement is not None
            and self.computed is not None
            and self.judgement.score != self.computed
        )


@dataclass(frozen=True)
class ProgramLine:
    pillar: str
    name: str
    planned: int
    running: int
    done: int
    delayed: int
    cancelled: int
    percent: float | None

    @property
    def sentence(self) -> str:
        return _("%(running)s of %(planned)s %(name)s programs running") % {
            "running": self.running,
            "planned": self.planned,
            "name": self.name,
        }


@dataclass(frozen=True)
class Result:
    evaluation: RegionEvaluation
    dimensions: list[DimensionRow]
    quality: Judgement | None
    programs: list[ProgramLine]
    achievement: float | None
    used: list[str]
    stage: str | None
    previous: float | None
    previous_year: int | None
    change: float | None


def pillar_names(evaluation: RegionEvaluation) -> dict[str, str]:
    codes = [row["pillar"] for row in evaluation.computed.get("programs", [])]
    return {p.code: p.name for p in Pillar.objects.filter(code__in=codes).order_by("pk")}


def result_of(
    evaluation: RegionEvaluation,
    names: dict[str, str],
    previous: RegionEvaluation | None,
) -> Result:
    """Everything the evaluation and result pages and the letter show."""
    params = scoring.RoundParams(
        year=evaluation.round.year,
        scale_min=evaluation.round.scale_min,
        scale_max=evaluation.round.scale_max,
        weights={row.code: row.weight for row in evaluation.round.dimensions.all()},
        output_pillars=tuple(evaluation.round.output_pillars),
    )
    judgements = {j.code: j for j in evaluation.judgements.all()}
    scores = scoring.final_scores(
        evaluation.computed, {code: j.score for code, j in judgements.items()}
    )
    labels = dict(DimensionChoice.choices)
    earlier = (
        scoring.final_scores(
            previous.computed, {j.code: j.score for j in previous.judgements.all()}
        )
        if previous
        else {}
    )
    rows = [
        DimensionRow(
            code=code,
            label=str(labels[code]),
            weight=params.weights.get(code, 0),
            computed=(evaluation.computed.get(code) or {}).get("score"),
            formula=scoring.formula_text(code, evaluation.computed.get(code) or {}, params),
            judgement=judgements.get(code),
            score=scores[code],
            always_judged=code in scoring.ALWAYS_JUDGED,
            previous=earlier.get(code),
        )
        for code in scoring.DIMENSIONS
    ]
    achievement, used = scoring.achievement_index(scores, params.weights)
    programs = [
        ProgramLine(
            pillar=row["pillar"],
            name=names.get(row["pillar"], row["pillar"] or _("other")),
            planned=row["planned"],
            running=row["running"],
            done=row["done"],
            delayed=row["delayed"],
            cancelled=row["cancelled"],
            percent=round(row["share"] * 100, 2) if row["share"] is not None else None,
        )
        for row in evaluation.computed.get("programs", [])
    ]
    before = previous.achievement if previous else None
    return Result(
        evaluation=evaluation,
        dimensions=rows,
        quality=judgements.get(scoring.QUALITY),
        programs=programs,
        achievement=achievement,
        used=used,
        stage=scoring.stage_of(achievement, params),
        previous=before,
        previous_year=previous.round.year if previous else None,
        change=round(achievement - before, 2)
        if achievement is not None and before is not None
        else None,
    )
