"""Gap reports on synthetic data: N regions x the default framework x 3 approved cycles (2024,
2025 with their snapshot rows, so trends have history; 2026 computed). `gap_report_one_region`
builds one region's report among 514 peers; `recompute_cycle_514` and `recompute_cycle_50` run
the cycle-wide pass (one frame, one groupby, one bulk write), whose cost should not grow by a
fixed amount per region: their ratio is the check."""

import functools

from assessments import services
from assessments.models import Cycle, CycleScoresJob, GapReport, ScoreSnapshot
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


def three_cycles(count: int, *, computed: bool = False) -> Cycle:
    """`count` regions approved in three cycles; the first two recomputed (and the last one too
    with `computed`). Returns the last cycle. All cycles are opened first, so that opening is
    not pre-filling (not what is measured here)."""
    user, framework = data.administrator(), data.default_framework()
    regions = data.make_regions(count)
    cycles = [data.open_cycle(user, framework, regions, year) for year in YEARS]
    for cycle in cycles:
        data.answer_all(cycle, user, approve=True)
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
