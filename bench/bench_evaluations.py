"""Pre-computing an evaluation round for every region: `evaluation_round_514`.

Each region has two approved cycles (index and foundation-pillar snapshot rows), a plan of 40
items over the six dimensions and both horizons, and 30 progress reports in two semesters. The
measured operation is `round_precompute`: four reads, the pure pass, one bulk write.
"""

import datetime

from assessments.models import (
    Assessment,
    AssessmentStatus,
    Cycle,
    GapReport,
    ScoreSnapshot,
    SnapshotScope,
)
from bench import data
from bench.runner import Benchmark
from evaluations.models import (
    EvaluationRound,
    ProgressUpdate,
    RegionEvaluation,
    RoundDimension,
    RoundStage,
)
from evaluations.scoring import DEFAULT_WEIGHTS
from evaluations.services import round_precompute, semester_periods
from masterplan.models import ActionItem, HorizonChoice, MasterPlan
from smartcity.jobs import JobStatus
from smartcity.models import Element

NATIONAL_REGIONS = 514
ITEMS_PER_PLAN = 40
REPORTED_ITEMS = 30
STATUSES = ("done", "in_progress", "in_progress", "delayed", "not_started", "cancelled")


def _approved_cycles(framework, regions, user) -> list[Assessment]:
    latest = []
    for year, offset in ((2025, 0.0), (2026, 0.3)):
        cycle = Cycle.objects.create(
            year=year,
            title=f"Penilaian {year}",
            framework=framework,
            opens_on=datetime.date(year, 3, 1),
            closes_on=datetime.date(year, 6, 30),
            created_by=user,
        )
        assessments = Assessment.objects.bulk_create(
            Assessment(cycle=cycle, region=region, status=AssessmentStatus.APPROVED)
            for region in regions
        )
        reports = GapReport.objects.bulk_create(
            GapReport(assessment=assessment, status=JobStatus.DONE) for assessment in assessments
        )
        rows = [
            ScoreSnapshot(
                assessment=a, report=r, cycle=cycle, region_id=a.region_id, scope=scope,
                code=code, current=round(value + offset + (a.region_id % 7) / 10, 2),
            )
            for a, r in zip(assessments, reports, strict=True)
            for scope, code, value in (
                (SnapshotScope.SMART_CITY_INDEX, "INDEX", 2.4),
                (SnapshotScope.PILLAR, "SUP", 2.1),
                (SnapshotScope.PILLAR, "STR", 2.6),
            )
        ]  # fmt: skip
        ScoreSnapshot.objects.bulk_create(rows, batch_size=2000)
        latest = assessments
    return latest


def _plans(framework, assessments) -> None:
    elements = list(Element.objects.filter(pillar__framework=framework).order_by("pk"))
    plans = MasterPlan.objects.bulk_create(
        MasterPlan(region_id=a.region_id, assessment=a, start_year=2026, inputs_hash="bench")
        for a in assessments
    )
    items = ActionItem.objects.bulk_create(
        (
            ActionItem(
                plan=plan,
                title=f"Program {n}",
                element=elements[n % len(elements)],
                horizon=HorizonChoice.QUICK_WIN if n % 4 == 0 else HorizonChoice.MEDIUM,
                start_year=2026 + n % 3,
                end_year=2026 + n % 3 + (0 if n % 4 == 0 else 2),
                budget=(n % 9) * 25_000_000,
            )
            for plan in plans
            for n in range(ITEMS_PER_PLAN)
        ),
        batch_size=2000,
    )
    first, second = semester_periods(2026)
    user = assessments[0].cycle.created_by
    ProgressUpdate.objects.bulk_create(
        (
            ProgressUpdate(
                item=item, period=period, status=STATUSES[(item.pk + i) % len(STATUSES)],
                percent=(item.pk * 7 + 30 * i) % 100, reason="alasan", reported_by=user,
            )
            for index, item in enumerate(items)
            if index % ITEMS_PER_PLAN < REPORTED_ITEMS
            for i, period in enumerate((first, second))
        ),
        batch_size=2000,
    )  # fmt: skip


def _setup(count: int):
    def setup() -> EvaluationRound:
        user = data.administrator()
        framework = data.default_framework()
        regions = data.make_regions(count)
        _plans(framework, _approved_cycles(framework, regions, user))
        evaluation_round = EvaluationRound.objects.create(
            year=2026, title="Evaluasi 2026", output_pillars=["SUP", "STR"], opened_by=user
        )
        RoundDimension.objects.bulk_create(
            RoundDimension(round=evaluation_round, code=code, weight=weight)
            for code, weight in DEFAULT_WEIGHTS.items()
        )
        RoundStage.objects.create(
            round=evaluation_round,
            kind="desk",
            starts_on=datetime.date(2026, 6, 1),
            ends_on=datetime.date(2026, 6, 30),
        )
        RegionEvaluation.objects.bulk_create(
            RegionEvaluation(round=evaluation_round, region=region) for region in regions
        )
        return evaluation_round

    return setup


def _run(evaluation_round: EvaluationRound) -> None:
    computed = round_precompute(evaluation_round=evaluation_round)
    assert computed == evaluation_round.evaluations.count()
    assert not evaluation_round.evaluations.filter(achievement=None).exists()


def benchmarks(national: int = NATIONAL_REGIONS) -> list[Benchmark]:
    return [
        Benchmark(
            name=f"evaluation_round_{national}",
            n=national,
            setup=_setup(national),
            run=_run,
            rounds=3,
        )
    ]
