"""The load benchmark works: a 3-second run of a few officials against gunicorn and PostgreSQL.
No thresholds on time here (speed is judged from `make bench`); the counts must add up."""

import re

import pytest
from django.db import connection

from bench import bench_load, runner
from tests.services import postgresql_problem, require_service

NOTE = re.compile(
    r"(\d+) requests in 3 s: (\d+) saved, (\d+) 409 on shared indicators, (\d+) errors; "
    r"server time median [\d.]+ s, p95 [\d.]+ s; response time at the client median [\d.]+ s, "
    r"p95 [\d.]+ s; (\d+) lost updates"
)


def test_load_autosave_is_discovered_with_its_name(monkeypatch):
    monkeypatch.setenv("BENCH_LOAD_SECONDS", "3")
    [benchmark] = [b for b in runner.discover() if b.name == "load_autosave_50"]
    assert benchmark.n == 50 and benchmark.measure_itself is not None


@pytest.mark.django_db
def test_a_three_second_run_saves_without_errors_or_lost_updates():
    require_service("PostgreSQL", postgresql_problem())
    result = bench_load.load_run(officials=6, seconds=3, workers=2, threads=2)
    found = NOTE.fullmatch(result.note)
    assert found, result.note
    requests, saved, conflicts, errors, lost = map(int, found.groups())
    assert requests == saved + conflicts > 0
    assert (errors, lost) == (0, 0)
    assert result.median_seconds > 0
    with connection.cursor() as cursor:  # the scratch database is gone
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'load\\_%'")
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_it_runs_only_on_postgresql():
    if connection.vendor == "postgresql":
        assert bench_load._postgres_server()["host"]
    else:
        with pytest.raises(runner.Skip, match="needs PostgreSQL"):
            bench_load._postgres_server()
