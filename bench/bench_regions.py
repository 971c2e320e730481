"""Importing the national region list (38 provinces, 514 kabupaten/kota) from CSV files."""

from pathlib import Path

from django.conf import settings

from bench.runner import Benchmark, Skip
from smartcity.region_files import read_region_files
from smartcity.services import regions_import

# Shared reference data beside the repository, never copied into it.
NATIONAL = Path(settings.BASE_DIR).parent / "shared" / "data" / "regions"


def _files(directory: Path):
    def setup() -> tuple[Path, Path]:
        provinces, regencies = directory / "provinces.csv", directory / "regencies.csv"
        if not (provinces.is_file() and regencies.is_file()):
            raise Skip(f"{directory} not found")
        return provinces, regencies

    return setup


def _import(files: tuple[Path, Path]) -> None:
    provinces, regencies = files
    files = read_region_files(provinces=provinces, regencies=regencies, stored_province_codes=set())
    summary = regions_import(provinces=files.provinces, regions=files.regions)
    assert summary.regions.created == len(files.regions)


def _count(directory: Path) -> int:
    regencies = directory / "regencies.csv"
    if not regencies.is_file():
        return 0
    with regencies.open(encoding="utf-8") as lines:
        return sum(1 for _line in lines) - 1


def benchmarks(directory: Path = NATIONAL) -> list[Benchmark]:
    return [
        Benchmark(
            name="import the national region list",
            n=_count(directory),
            setup=_files(directory),
            run=_import,
            rounds=5,
        )
    ]
