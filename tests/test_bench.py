"""The benchmark runner works: measuring, tables, the JSON file, and the real benchmark modules on
tiny inputs. No timing thresholds here: speed is judged from `make bench`, not from tests."""

import json
import re
from dataclasses import replace

import pytest

from bench import (
    bench_analysis,
    bench_cycles,
    bench_dashboards,
    bench_evaluations,
    bench_masterplan,
    bench_masterplan_exports,
    bench_regions,
    bench_reports,
    bench_sheet,
    runner,
)
from bench.runner import Benchmark, Result, Skip
from smartcity.models import Province


def test_measure_runs_setup_once_and_the_operation_once_per_round_plus_the_memory_round():
    calls = {"setup": 0, "run": 0}

    def setup():
        calls["setup"] += 1
        return 1000

    def run(size):
        calls["run"] += 1
        return list(range(size))

    result = runner.measure(
        Benchmark(name="a list", n=1000, setup=setup, run=run, rounds=3, uses_database=False)
    )
    assert calls == {"setup": 1, "run": 4}
    assert (result.name, result.n, result.rounds, result.note) == ("a list", 1000, 3, "")
    assert result.median_seconds >= 0
    assert result.peak_mib > 0  # a list of 1000 ints was allocated under tracemalloc


@pytest.mark.django_db
def test_everything_a_benchmark_writes_is_rolled_back():
    seen = []

    def setup():
        return Province.objects.create(code="97", name="Provinsi Persiapan").pk

    def run(prepared_pk):
        seen.append(Province.objects.filter(pk=prepared_pk).exists())
        Province.objects.create(code="98", name="Provinsi Uji")
        seen.append(Province.objects.filter(code="98").count())

    runner.measure(Benchmark(name="writes", n=1, setup=setup, run=run, rounds=2))
    # Every round sees the set-up data and starts without the previous round's row.
    assert seen == [True, 1, True, 1, True, 1]
    assert not Province.objects.filter(code__in=["97", "98"]).exists()


def test_a_skipped_benchmark_has_a_note_and_no_figures():
    def setup():
        raise Skip("data/regions not found")

    result = runner.measure(
        Benchmark(name="absent", n=0, setup=setup, run=lambda _: None, uses_database=False)
    )
    assert result == Result("absent", 0, 0, None, None, "skipped: data/regions not found")


def test_table_and_json_shape(tmp_path):
    results = [
        Result("open a cycle", 514, 2, 1.23456, 21.44),
        Result("import regions", 0, 0, None, None, "skipped: no files"),
    ]
    table = runner.format_table(results).splitlines()
    assert table[0].split() == ["benchmark", "n", "median", "s", "peak", "MiB", "bytes", "note"]
    assert set(table[1].replace(" ", "")) == {"-"}
    assert table[2].split() == ["open", "a", "cycle", "514", "1.235", "21.4", "-"]
    assert table[3].split() == ["import", "regions", "0", "-", "-", "-", "skipped:", "no", "files"]

    path = runner.write_results(results, tmp_path / "results" / "latest.json", database="sqlite")
    document = json.loads(path.read_text())
    assert set(document) == {"generated_at", "python", "database", "results"}
    assert document["database"] == "sqlite"
    assert document["results"][0] == {
        "name": "open a cycle",
        "n": 514,
        "rounds": 2,
        "median_seconds": 1.23456,
        "peak_mib": 21.44,
        "note": "",
        "size_bytes": None,
    }
    assert document["results"][1]["median_seconds"] is None


def test_run_all_prints_the_table_and_writes_the_file(tmp_path):
    lines = []
    benchmarks = [
        Benchmark(name="sum", n=100, run=lambda _: sum(range(100)), rounds=1, uses_database=False)
    ]
    results = runner.run_all(benchmarks, output=tmp_path / "out.json", echo=lines.append)
    assert [r.name for r in results] == ["sum"]
    assert any(line.startswith("benchmark") for line in "\n".join(lines).splitlines())
    assert json.loads((tmp_path / "out.json").read_text())["results"][0]["n"] == 100


def test_every_benchmark_module_is_discovered():
    names = [b.name for b in runner.discover()]
    assert names == [
        "analysis_cycle_pass_514",
        "analysis_cycle_pass_50",
        "analysis_cycle_pass_1",
        "cycle_open_514",
        "cycle_open_514_sql_floor",
        "cycle_open_prefilled_100",
        "dashboard_progress_514",
        "dashboard_progress_50",
        "dashboard_maturity_514",
        "dashboard_maturity_50",
        "dashboard_sql_floor_514",
        "evaluation_round_514",
        "load_autosave_50",
        "masterplan_draft_full",
        "masterplan_page_150",
        "masterplan_plan_pure_full",
        "masterplan_pdf_150",
        "masterplan_docx_150",
        "masterplan_xlsx_150",
        "page_weight_element_first",
        "page_weight_element_repeat",
        "import the national region list",
        "gap_report_one_region",
        "recompute_cycle_514",
        "recompute_cycle_50",
        "assessment_sheet + submission_gaps, one full assessment",
    ]
    assert [b.n for b in runner.discover()][:6] == [514, 50, 1, 514, 514, 100]


@pytest.mark.django_db
def test_the_real_benchmarks_run_on_tiny_inputs():
    tiny = [*bench_cycles.benchmarks(national=3, prefilled=2), *bench_sheet.benchmarks()]
    results = [runner.measure(replace(b, rounds=1)) for b in tiny]
    assert [(r.n, r.rounds, r.note) for r in results] == [
        (3, 1, ""),
        (3, 1, ""),
        (2, 1, ""),
        (55, 1, ""),
    ]
    assert all(r.median_seconds is not None and r.peak_mib > 0 for r in results)
    assert not Province.objects.exists()  # nothing the benchmarks wrote is left behind


def test_the_analysis_benchmark_runs_on_a_tiny_cycle_without_a_database():
    [benchmark] = bench_analysis.benchmarks(counts=(3,))
    assert not benchmark.uses_database
    result = runner.measure(replace(benchmark, rounds=1))
    assert (result.name, result.n, result.rounds, result.note) == (
        "analysis_cycle_pass_3",
        3,
        1,
        "",
    )
    frame, regions = bench_analysis.synthetic_cycle(3)
    assert len(frame) == 3 * 55 and list(regions["province"]) == ["11", "11", "11"]


@pytest.mark.django_db
def test_the_stored_plan_benchmark_drafts_a_full_approved_assessment():
    stored, _page, _pure = bench_masterplan.benchmarks()
    result = runner.measure(replace(stored, rounds=1))
    assert (result.name, result.n, result.rounds, result.note) == (
        "masterplan_draft_full",
        55,
        1,
        "",
    )
    assert result.median_seconds is not None and result.peak_mib > 0
    assert not Province.objects.exists()  # nothing the benchmark wrote is left behind


@pytest.mark.django_db
def test_the_plan_page_benchmark_fetches_a_plan_of_150_items():
    _stored, page, _pure = bench_masterplan.benchmarks()
    result = runner.measure(replace(page, rounds=1))
    assert (result.name, result.n, result.rounds, result.note) == (
        "masterplan_page_150",
        150,
        1,
        "",
    )
    assert result.median_seconds is not None
    assert not Province.objects.exists()


@pytest.mark.django_db
def test_the_evaluation_benchmark_pre_computes_a_tiny_round():
    [benchmark] = bench_evaluations.benchmarks(national=3)
    result = runner.measure(replace(benchmark, rounds=1))
    assert (result.name, result.n, result.rounds, result.note) == ("evaluation_round_3", 3, 1, "")
    assert result.median_seconds is not None and result.peak_mib > 0
    assert not Province.objects.exists()  # nothing the benchmark wrote is left behind


def test_the_pure_plan_benchmark_drafts_the_full_default_framework_without_a_database():
    _stored, _page, benchmark = bench_masterplan.benchmarks()
    result = runner.measure(replace(benchmark, rounds=1))
    assert (result.name, result.n, result.rounds, result.note) == (
        "masterplan_plan_pure_full",
        55,
        1,
        "",
    )
    assert result.median_seconds is not None and result.peak_mib > 0


@pytest.mark.django_db
def test_the_region_import_benchmark_runs_on_a_tiny_list_and_skips_without_one(tmp_path):
    (tmp_path / "provinces.csv").write_text("code,name\n19,Kepulauan Bangka Belitung\n")
    (tmp_path / "regencies.csv").write_text(
        "code,province_code,name\n19.03,19,Kabupaten Bangka Selatan\n19.71,19,Kota Pangkal Pinang\n"
    )
    [benchmark] = bench_regions.benchmarks(tmp_path)
    result = runner.measure(replace(benchmark, rounds=1))
    assert (result.n, result.rounds, result.note) == (2, 1, "")
    assert not Province.objects.exists()

    [absent] = bench_regions.benchmarks(tmp_path / "missing")
    result = runner.measure(absent)
    assert (result.n, result.median_seconds) == (0, None)
    assert result.note.startswith("skipped: ") and "missing" in result.note


@pytest.mark.django_db
def test_the_dashboard_benchmarks_run_on_three_regions():
    result = bench_dashboards._page_run("maturity", 3, requests=2)
    assert (result.name, result.n, result.rounds) == ("dashboard_maturity_3", 3, 2)
    assert re.fullmatch(
        r"3 regions x 3 cycles, 2 requests each: cold median [\d.]+ ms, p95 [\d.]+ ms; "
        r"warm median [\d.]+ ms, p95 [\d.]+ ms",
        result.note,
    ), result.note
    floor = bench_dashboards._floor_run(3)
    assert floor.name == "dashboard_sql_floor_3" and floor.median_seconds > 0
    assert "SELECT" in floor.note
    assert not Province.objects.exists()  # rolled back


@pytest.mark.django_db
def test_the_export_benchmarks_export_a_plan_of_the_asked_size():
    results = [runner.measure(replace(b, rounds=1)) for b in bench_masterplan_exports.benchmarks()]
    assert [(r.name, r.n, r.note) for r in results] == [
        ("masterplan_pdf_150", 150, ""),
        ("masterplan_docx_150", 150, ""),
        ("masterplan_xlsx_150", 150, ""),
    ]
    assert all(r.peak_mib > 0 for r in results)


@pytest.mark.django_db
def test_the_report_benchmarks_run_on_tiny_cycles():
    tiny = bench_reports.benchmarks(national=3, small=2, rounds=1)
    results = [runner.measure(benchmark) for benchmark in tiny]
    assert [(r.name, r.n, r.note) for r in results] == [
        ("gap_report_one_region", 3, ""),
        ("recompute_cycle_3", 3, ""),
        ("recompute_cycle_2", 2, ""),
    ]
    assert all(r.median_seconds is not None and r.peak_mib > 0 for r in results)
    assert not Province.objects.exists()  # nothing the benchmarks wrote is left behind
