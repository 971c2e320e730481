"""Opening a cycle: for every region without history, and for regions that are pre-filled."""

from bench import data
from bench.runner import Benchmark

NATIONAL_REGIONS = 514
PREFILLED_REGIONS = 100


def _fresh(count: int):
    def setup():
        return data.administrator(), data.default_framework(), data.make_regions(count)

    return setup


def _prefilled(count: int):
    def setup():
        user, framework, regions = _fresh(count)()
        previous = data.open_cycle(user, framework, regions, 2025)
        data.answer_all(previous, user, approve=True)
        return user, framework, regions

    return setup


def _open(context, *, expect_prefilled: bool) -> None:
    user, framework, regions = context
    cycle = data.open_cycle(user, framework, regions, 2026)
    assert cycle.assessments.count() == len(regions)
    assert cycle.assessments.exclude(baseline=None).exists() == expect_prefilled


def benchmarks(
    national: int = NATIONAL_REGIONS, prefilled: int = PREFILLED_REGIONS
) -> list[Benchmark]:
    return [
        Benchmark(
            name="open a cycle, regions without history",
            n=national,
            setup=_fresh(national),
            run=lambda context: _open(context, expect_prefilled=False),
            rounds=2,
        ),
        Benchmark(
            name="open a cycle, every region pre-filled",
            n=prefilled,
            setup=_prefilled(prefilled),
            run=lambda context: _open(context, expect_prefilled=True),
            rounds=2,
        ),
    ]
