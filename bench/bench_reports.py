"""Gap reports on synthetic data: N regions x the default framework x 3 approved cycles (2024,
2025 with their snapshot rows, so trends have history; 2026 computed). `gap_report_one_region`
builds one region's report among 514 peers; `recompute_cycle_514` and `recompute_cycle_50` run
the cycle-wide pass (one frame, one groupby, one bulk write), whose cost should not grow by a
fixed amount per region: their ratio is the check."""

import functools

from django.db.models import F, Value
from django.db.models.functions import Greatest, Least, Mod
from django.utils import timezone

from assessments import services
from assessments.models import (
    AssessmentStatus,
    Cycle,
    CycleScoresJob,
    GapReport,
    IndicatorResponse,
    ReviewState,
    ScoreSnapshot,
)
from bench import data
from bench.runner import Benchmark
from smartcity import jobs

NATIONAL_REGIONS = 514
SMALL_REGIONS = 50
YEARS = (2024, 2025, 2026)
ROWS_PER_SET = 55 + 27 + 9 + 2


def _recompute(cycle: Cycle) -> int:
    job = CycleScoresJob.objects.create(cycle=cycle)
    jobs.run_inline(job=job, work=services.cycle_scores_run)
    return job.snapshots


def _approve(cycle: Cycle, user, step: int) -> None:
    """Every answer of the cycle set by one UPDATE (levels 0-4 spread by row, one better each
    cycle, target two above, a tenth adjusted one level down) and every assessment approved."""
    responses = IndicatorResponse.objects.filter(assessment__cycle=cycle)
    level = Least(Mod(F("id"), Value(4)) + Value(step), Value(4))
    responses.update(
        self_level=level,
        verified_level=level,
        target_level=Least(level + Value(2), Value(5)),
        review_state=ReviewState.ACCEPTED,
    )
    responses.annotate(tenth=Mod(F("id"), Value(10))).filter(tenth=0).update(
        verified_level=Greatest(F("self_level") - Value(1), Value(0)),
        review_state=ReviewState.ADJUSTED,
    )
    cycle.assessments.update(
        status=AssessmentStatus.APPROVED, approved_at=timezone.now(), approved_by=user
    )


def three_cycles(count: int, *, computed: bool = False) -> Cycle:
    """`count` regions approved in three cycles; the first two recomputed (and the last one too
    with `computed`). Returns the last cycle. All cycles are opened first, so that opening is
    not pre-filling (not what is measured here)."""
    user, framework = data.administrator(), data.default_framework()
    regions = data.make_regions(count)
    cycles = [data.open_cycle(user, framework, regions, year) for year in YEARS]
    for step, cycle in enumerate(cycles):
        _approve(cycle, user, step)
    for cycle in cycles[: 3 if computed else 2]:
        _recompute(cycle)
    return cycles[-1]


def _one_region(cycle: Cycle) -> None:
    assessment = cycle.assessments.order_by("region__code").first()
    report = GapReport.objects.create(assessment=assessment)
    jobs.run_inline(job=report, work=services.gap_report_build)
    assert report.figures["trend"] and report.figures["peers"][-1]["peers"] > 1
    assert ScoreSnapshot.objects.filter(report=report).count() == ROWS_PER_SET


def _cycle(cycle: Cycle, count: int) -> None:
    assert _recompute(cycle) == count * ROWS_PER_SET


def benchmarks(
    national: int = NATIONAL_REGIONS, small: int = SMALL_REGIONS, rounds: int = 3
) -> list[Benchmark]:
    return [
        Benchmark(
            name="gap_report_one_region",
            n=national,
            setup=functools.partial(three_cycles, national, computed=True),
            run=_one_region,
            rounds=rounds,
        ),
        *(
            Benchmark(
                name=f"recompute_cycle_{count}",
                n=count,
                setup=functools.partial(three_cycles, count),
                run=functools.partial(_cycle, count=count),
                rounds=rounds,
            )
            for count in (national, small)
        ),
    ]
