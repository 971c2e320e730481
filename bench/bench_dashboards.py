"""The ministry dashboards at national scale: 514 (and 50) regions over three cycles.

Each figure is the median and p95 of repeated GET requests through Django's test client as an
administrator (the whole country), with the cache cold (cleared before every request) and warm
(the same request again). `dashboard_sql_floor_514` is the single heaviest SQL query the two
dashboards run, each of their queries timed alone: the floor under a cold request.

The data (not measured): the default framework, three cycles whose assessments are approved
with a full set of snapshot rows (indicator, element, pillar, index), the newest cycle with some
regions still in draft, submitted or in review. Everything is rolled back afterwards.
"""

import datetime
import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Cycle,
    EventKind,
    GapReport,
    IndicatorResponse,
    ScoreSnapshot,
    SnapshotScope,
)
from bench import data
from bench.runner import Benchmark, Result
from smartcity.bulk import insert_from_select
from smartcity.jobs import JobStatus
from smartcity.models import Element, Indicator, Pillar, User

YEARS = (2024, 2025, 2026)
REQUESTS = 25
PAGES = {"progress": "dashboards:progress", "maturity": "dashboards:maturity"}


def _snapshots(assessments: list[Assessment], framework_id: int, step: int) -> None:
    """A finished report and its snapshot rows for each assessment, scores rising by cycle."""
    reports = GapReport.objects.bulk_create(
        GapReport(assessment=a, status=JobStatus.DONE, finished_at=timezone.now())
        for a in assessments
    )
    indicators = list(Indicator.objects.filter(framework_id=framework_id).values_list("code"))
    elements = list(Element.objects.filter(pillar__framework_id=framework_id).values_list("code"))
    pillars = list(Pillar.objects.filter(framework_id=framework_id).values_list("code"))
    parts = (
        [(SnapshotScope.INDICATOR, code) for (code,) in indicators]
        + [(SnapshotScope.ELEMENT, code) for (code,) in elements]
        + [(SnapshotScope.PILLAR, code) for (code,) in pillars]
        + [(SnapshotScope.SMART_CITY_INDEX, "INDEX"), (SnapshotScope.READINESS_INDEX, "READINESS")]
    )
    rows = []
    for number, (assessment, report) in enumerate(zip(assessments, reports, strict=True)):
        base = 1.0 + 0.4 * step + (number % 20) / 10
        for position, (scope, code) in enumerate(parts):
            current = min(base + (position % 5) / 10, 5.0)
            rows.append(
                ScoreSnapshot(
                    assessment=assessment,
                    report=report,
                    cycle_id=assessment.cycle_id,
                    region_id=assessment.region_id,
                    scope=scope,
                    code=code,
                    current=current,
                    target=min(current + 1, 5.0),
                    gap=min(current + 1, 5.0) - current,
                    basis="verified",
                    predikat="Cukup" if current < 2.6 else "Baik",
                )
            )
    ScoreSnapshot.objects.bulk_create(rows, batch_size=5000)


def _responses(cycle: Cycle, user: User) -> None:
    """Every indicator answered at level 2 by `user`, in one INSERT ... SELECT."""
    insert_from_select(
        IndicatorResponse,
        selected={
            "assessment_id": "a.id",
            "indicator_id": "i.id",
            "self_level": "2",
            "updated_by_id": "%s",
        },  # fmt: skip
        source=(
            f"FROM {Assessment._meta.db_table} a CROSS JOIN {Indicator._meta.db_table} i "
            "WHERE a.cycle_id = %s AND i.framework_id = %s"
        ),
        params=[user.pk, cycle.pk, cycle.framework_id],
    )


def national(count: int) -> User:
    """`count` regions, three cycles with answers, events and snapshots; the administrator who
    reads them. In the newest cycle a quarter of the regions have only submitted."""
    user = data.administrator()
    framework = data.default_framework()
    regions = data.make_regions(count)
    for step, year in enumerate(YEARS):
        cycle = Cycle.objects.create(
            year=year,
            title=f"Penilaian Mandiri {year}",
            framework=framework,
            opens_on=datetime.date(year, 3, 1),
            closes_on=datetime.date(year, 6, 30),
        )
        newest = year == YEARS[-1]
        assessments = Assessment.objects.bulk_create(
            Assessment(
                cycle=cycle,
                region=region,
                status=AssessmentStatus.SUBMITTED
                if newest and number % 4 == 0
                else AssessmentStatus.APPROVED,
            )
            for number, region in enumerate(regions)
        )
        _responses(cycle, user)
        AssessmentEvent.objects.bulk_create(
            AssessmentEvent(assessment=a, kind=EventKind.SUBMITTED, actor=user) for a in assessments
        )
        approved = [a for a in assessments if a.status == AssessmentStatus.APPROVED]
        _snapshots(approved, framework.pk, step)
    return user


def _median_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def _get(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return elapsed


def request_times(client: Client, url: str, requests: int) -> tuple[list[float], list[float]]:
    """Seconds of `requests` cold requests (cache cleared before each) and as many warm ones."""
    cold, warm = [], []
    for _ in range(requests):
        cache.clear()
        cold.append(_get(client, url))
        warm.append(_get(client, url))
    return cold, warm


def _plain_static():
    """Static URLs without collectstatic's manifest (the benchmark serves no files)."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return override_settings(STORAGES=storages)


def _page_run(page: str, count: int, requests: int) -> Result:
    with _plain_static(), transaction.atomic():
        user = national(count)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        url = reverse(PAGES[page])
        _get(client, url)  # warms imports, templates and the connection
        cold, warm = request_times(client, url, requests)
        transaction.set_rollback(True)
    cache.clear()
    cold_median, cold_p95 = _median_p95(cold)
    warm_median, warm_p95 = _median_p95(warm)
    note = (
        f"{count} regions x {len(YEARS)} cycles, {requests} requests each: cold median "
        f"{cold_median * 1000:.1f} ms, p95 {cold_p95 * 1000:.1f} ms; warm median "
        f"{warm_median * 1000:.1f} ms, p95 {warm_p95 * 1000:.1f} ms"
    )
    return Result(f"dashboard_{page}_{count}", count, requests, cold_median, None, note)


def _time_query(sql: str, params, repeats: int = 5) -> float:
    times = []
    with connection.cursor() as cursor:
        for _ in range(repeats):
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def heaviest_query(client: Client, urls: list[str]) -> tuple[float, str]:
    """The slowest single query of cold requests to `urls`, re-run alone: (seconds, SQL head)."""
    captured = []
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            _get(client, url)
        captured += [query["sql"] for query in queries.captured_queries]
    timed = [(_time_query(sql, None), sql) for sql in captured if sql.lstrip().startswith("SELECT")]
    seconds, sql = max(timed)
    return seconds, " ".join(sql.split())[:90]


def _floor_run(count: int) -> Result:
    with _plain_static(), transaction.atomic():
        user = national(count)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        seconds, sql = heaviest_query(client, [reverse(name) for name in PAGES.values()])
        transaction.set_rollback(True)
    cache.clear()
    note = f"median of 5 runs of the heaviest query alone: {sql}…"
    return Result(f"dashboard_sql_floor_{count}", count, 5, seconds, None, note)


def benchmarks(counts: tuple[int, ...] = (514, 50), requests: int = REQUESTS) -> list[Benchmark]:
    found = []
    for page in PAGES:
        for count in counts:
            found.append(
                Benchmark(
                    name=f"dashboard_{page}_{count}",
                    n=count,
                    run=lambda _context: None,
                    measure_itself=lambda page=page, count=count: _page_run(page, count, requests),
                )
            )
    found.append(
        Benchmark(
            name=f"dashboard_sql_floor_{counts[0]}",
            n=counts[0],
            run=lambda _context: None,
            measure_itself=lambda: _floor_run(counts[0]),
        )
    )
    return found
