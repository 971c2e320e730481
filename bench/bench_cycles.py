"""Opening a cycle: for every region without history, for regions that are pre-filled, and the
floor: the same blank answers written by one INSERT ... SELECT and nothing else."""

from assessments.models import Assessment, IndicatorResponse
from bench import data
from bench.runner import Benchmark
from smartcity.bulk import insert_from_select
from smartcity.models import Indicator

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


def _floor_setup(count: int):
    """A cycle whose assessments exist but have no answers yet."""

    def setup():
        user, framework, regions = _fresh(count)()
        cycle = data.open_cycle(user, framework, regions, 2025)
        IndicatorResponse.objects.filter(assessment__cycle=cycle).delete()
        return cycle

    return setup


def _floor(cycle) -> None:
    """Nothing but the rows: the blank answers of every assessment in one statement."""
    inserted = insert_from_select(
        IndicatorResponse,
        selected={"assessment_id": "a.id", "indicator_id": "i.id"},
        source=(
            f"FROM {Assessment._meta.db_table} a CROSS JOIN {Indicator._meta.db_table} i "
            "WHERE a.cycle_id = %s AND i.framework_id = %s"
        ),
        params=[cycle.pk, cycle.framework_id],
    )
    indicators = Indicator.objects.filter(framework_id=cycle.framework_id).count()
    assert inserted == cycle.assessments.count() * indicators


def benchmarks(
    national: int = NATIONAL_REGIONS, prefilled: int = PREFILLED_REGIONS
) -> list[Benchmark]:
    return [
        Benchmark(
            name=f"cycle_open_{national}",
            n=national,
            setup=_fresh(national),
            run=lambda context: _open(context, expect_prefilled=False),
            rounds=3,
        ),
        Benchmark(
            name=f"cycle_open_{national}_sql_floor",
            n=national,
            setup=_floor_setup(national),
            run=_floor,
            rounds=3,
        ),
        Benchmark(
            name=f"cycle_open_prefilled_{prefilled}",
            n=prefilled,
            setup=_prefilled(prefilled),
            run=lambda context: _open(context, expect_prefilled=True),
            rounds=2,
        ),
    ]
