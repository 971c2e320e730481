"""The benchmark runner's core: measure, tabulate, save. No Django set-up here (see __main__).

Each benchmark runs inside a transaction that is rolled back afterwards, and each measured round
inside a savepoint that is rolled back too: every round starts from the same data, and nothing a
benchmark writes outlives it. The first round runs under tracemalloc (peak memory; it also warms
caches) and is not timed; the following rounds are timed without tracemalloc.
"""

import gc
import importlib
import json
import pkgutil
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MIB = 1024 * 1024
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


class Skip(Exception):
    """Raised by a benchmark's setup when it cannot run here; the message says why."""


@dataclass(frozen=True)
class Benchmark:
    """One measured operation.

    `setup()` prepares data (not measured) and returns what `run` needs; `run(context)` is the
    measured operation; `n` is the size of its input (regions, indicators, rows). A benchmark
    that cannot be repeated in rolled-back rounds (a load run against a server) gives
    `measure_itself`, which returns its whole Result (or raises Skip).
    """

    name: str
    n: int
    run: Callable[[Any], object]
    setup: Callable[[], Any] = field(default=lambda: None)
    rounds: int = 3
    uses_database: bool = True
    measure_itself: Callable[[], "Result"] | None = None


@dataclass(frozen=True)
class Result:
    name: str
    n: int
    rounds: int
    median_seconds: float | None
    peak_mib: float | None
    note: str = ""
    size_bytes: int | None = None  # for what is measured in bytes (a page's weight)


@contextmanager
def _rolled_back(uses_database: bool) -> Iterator[None]:
    """A transaction (or a savepoint inside one) that is always rolled back."""
    if not uses_database:
        yield
        return
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _peak_mib(run: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        run()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / MIB


def _seconds(run: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure(benchmark: Benchmark) -> Result:
    """Run one benchmark: setup, one memory round, then `rounds` timed rounds; all rolled back."""
    if benchmark.measure_itself is not None:
        try:
            return benchmark.measure_itself()
        except Skip as skip:
            return Result(benchmark.name, benchmark.n, 0, None, None, f"skipped: {skip}")
    with _rolled_back(benchmark.uses_database):
        try:
            context = benchmark.setup()
        except Skip as skip:
            return Result(benchmark.name, benchmark.n, 0, None, None, f"skipped: {skip}")

        def once() -> object:
            with _rolled_back(benchmark.uses_database):
                return benchmark.run(context)

        peak = _peak_mib(once)
        times = [_seconds(once) for _ in range(benchmark.rounds)]
    return Result(benchmark.name, benchmark.n, len(times), statistics.median(times), peak)


def discover(package: str = "bench") -> list[Benchmark]:
    """The benchmarks of every `bench_*` module of the package, in module-name order."""
    module = importlib.import_module(package)
    found: list[Benchmark] = []
    for info in sorted(pkgutil.iter_modules(module.__path__), key=lambda i: i.name):
        if info.name.startswith("bench_"):
            found.extend(importlib.import_module(f"{package}.{info.name}").benchmarks())
    return found


HEADERS = ("benchmark", "n", "median s", "peak MiB", "bytes", "note")


def format_table(results: list[Result]) -> str:
    """A plain-text table, one line per result."""
    rows = [
        (
            r.name,
            str(r.n),
            "-" if r.median_seconds is None else f"{r.median_seconds:.3f}",
            "-" if r.peak_mib is None else f"{r.peak_mib:.1f}",
            "-" if r.size_bytes is None else str(r.size_bytes),
            r.note,
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [HEADERS, *rows]) for i in range(len(HEADERS))]
    right = (False, True, True, True, True, False)

    def line(cells: tuple[str, ...]) -> str:
        parts = [
            cell.rjust(width) if align else cell.ljust(width)
            for cell, width, align in zip(cells, widths, right, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(HEADERS), rule, *(line(row) for row in rows)])


def write_results(results: list[Result], path: Path = RESULTS, **meta: object) -> Path:
    """Save the results (and `meta`, e.g. the database vendor) as JSON; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        **meta,
        "results": [asdict(result) for result in results],
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def run_all(
    benchmarks: list[Benchmark],
    *,
    output: Path = RESULTS,
    echo: Callable[[str], object] = print,
    **meta: object,
) -> list[Result]:
    """Measure every benchmark, echo progress and the table, write the JSON file."""
    results = []
    for benchmark in benchmarks:
        echo(f"… {benchmark.name} (n={benchmark.n})")
        results.append(measure(benchmark))
    echo("")
    echo(format_table(results))
    written = write_results(results, output, **meta)
    echo(f"\nWritten to {written}")
    return results
