"""import_regions --centroids: the map's points for kabupaten/kota, validated like the other files.

The shipped file (fixtures/geo/centroids.csv) covers all 514 kabupaten/kota and must import onto the
national list; on a smaller set of regions the codes it does not find are named, not refused.
"""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from smartcity.models import Region
from smartcity.region_files import RegionFileError, read_centroid_file
from tests.conftest import PROJECT_ROOT
from tests.smartcity.test_import_regions import (
    assert_seed_untouched,
    national_files,  # noqa: F401 (fixture)
    nothing_imported,
    seeded,  # noqa: F401 (fixture)
    write,
)

SHIPPED_CENTROIDS = PROJECT_ROOT / "fixtures" / "geo" / "centroids.csv"
HEADER = "code,latitude,longitude\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def import_centroids(path, *extra: str) -> str:
    out = StringIO()
    call_command("import_regions", "--centroids", str(path), *extra, stdout=out)
    return out.getvalue()


def coordinates(code: str) -> tuple[Decimal | None, Decimal | None]:
    region = Region.objects.get(code=code)
    return region.latitude, region.longitude


def test_shipped_file_places_every_region_of_the_national_list(db, national_files):  # noqa: F811
    provinces, regencies = national_files
    call_command(
        "import_regions",
        provinces=provinces,
        regencies=regencies,
        centroids=SHIPPED_CENTROIDS,
        stdout=StringIO(),
    )

    assert Region.objects.count() == 514
    assert not Region.objects.filter(latitude__isnull=True).exists()
    assert coordinates("19.71") == (Decimal("-2.11051"), Decimal("106.11321"))

    assert import_centroids(SHIPPED_CENTROIDS) == "Centroids: 0 created, 0 updated, 514 unchanged\n"


def test_centroids_update_stored_regions_and_name_the_codes_not_found(seeded, tmp_path):  # noqa: F811
    rows = "19.71,-2.1,106.1\n19.01,-1.9,105.9\n33.74,-7.0,110.4\n"
    path = write(tmp_path, "c.csv", HEADER + rows)

    output = import_centroids(path)

    assert output == (
        "Centroids: 0 created, 2 updated, 0 unchanged\n"
        "1 centroid codes are not stored kabupaten/kota and were skipped: 33.74\n"
    )
    assert coordinates("19.71") == (Decimal("-2.10000"), Decimal("106.10000"))
    assert coordinates("19.01") == (Decimal("-1.90000"), Decimal("105.90000"))
    assert not Region.objects.filter(code="33.74").exists()


def test_dry_run_writes_no_centroid(seeded, tmp_path):  # noqa: F811
    path = write(tmp_path, "c.csv", HEADER + "19.71,-2.1,106.1\n")

    output = import_centroids(path, "--dry-run")

    assert output.endswith("Dry run: nothing was written.\n")
    assert_seed_untouched()


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("code,lat,lon\n19.71,-2,106\n", "line 1: the header must be code,latitude,longitude"),
        (HEADER + "1971,-2,106\n", "c.csv, line 2: '1971' is not a kabupaten/kota code"),
        (HEADER + "19.71,-12,106\n", "c.csv, line 2: latitude '-12' is not a number between"),
        (HEADER + "19.71,-2,200\n", "c.csv, line 2: longitude '200' is not a number between"),
        (HEADER + "19.71,,106\n", "c.csv, line 2: latitude '' is not a number between"),
        (HEADER + "19.71,-2,106\n19.71,-2,106\n", "code 19.71 appears twice (first on line 2)"),
        (HEADER, "c.csv, line 1: the file has no data rows."),
        (HEADER + "19.71,-2,106,9\n", "c.csv, line 2: expected 3 columns, found 4."),
    ],
)
def test_bad_centroid_file_is_reported_and_nothing_is_written(seeded, tmp_path, body, problem):  # noqa: F811
    path = write(tmp_path, "c.csv", body + "19.01,-1.9,105.9\n" if body != HEADER else body)

    with pytest.raises(CommandError) as error:
        import_centroids(path)

    assert str(error.value).startswith(nothing_imported(problem).split(problem)[0])
    assert problem in str(error.value)
    assert_seed_untouched()


def test_bad_centroids_and_bad_regencies_are_reported_in_one_run(seeded, tmp_path):  # noqa: F811
    centroids = write(tmp_path, "c.csv", HEADER + "19.71,utara,106\n")
    regencies = write(tmp_path, "r.csv", "code,province_code,name\n19.7x,19,Kota X\n")

    with pytest.raises(CommandError) as error:
        call_command("import_regions", regencies=regencies, centroids=centroids, stdout=StringIO())

    assert "r.csv, line 2: '19.7x' is not a kabupaten/kota code" in str(error.value)
    assert "c.csv, line 2: latitude 'utara' is not a number between" in str(error.value)
    assert_seed_untouched()


def test_reader_returns_rows_with_their_lines(tmp_path):
    path = write(tmp_path, "c.csv", HEADER + "19.71,-2.11590,106.11425\n")

    (row,) = read_centroid_file(path)

    assert (row.line, row.code, row.latitude, row.longitude) == (
        2,
        "19.71",
        Decimal("-2.11590"),
        Decimal("106.11425"),
    )
    with pytest.raises(RegionFileError):
        read_centroid_file(write(tmp_path, "bad.csv", HEADER + "x,1,2\n"))
