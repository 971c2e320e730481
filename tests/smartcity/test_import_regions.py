"""manage.py import_regions: the national list, upserts, dry runs, and every way a file can be bad.

A failed import must name file, line and reason for each problem and write nothing at all.
"""

import codecs
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from smartcity.models import Province, Region, RegionKind
from smartcity.region_files import RegionFileError, read_province_file, read_region_file
from tests.factories import ProvinceFactory, RegionFactory
from tests.helpers import PROJECT_ROOT
from tests.services import require_service

SHARED_REGIONS = PROJECT_ROOT.parent / "shared" / "data" / "regions"

REGION_HEADER = "code,province_code,name"
FULL_REGION_HEADER = "code,province_code,name,[kind],[cohort_year],[latitude],[longitude]"

# What `seeded` stores; every failed import must leave exactly this behind.
SEEDED_PROVINCES = [("19", "Kepulauan Bangka Belitung")]
SEEDED_REGIONS = [
    ("19.01", "19", "Kabupaten Bangka", "kabupaten", None, None, None),
    ("19.71", "19", "Kota Pangkal Pinang", "kota", 2022, Decimal("-2.12910"), Decimal("106.11340")),
]

# A valid provinces file that would rename 19 and add 33 if it were ever written.
GOOD_PROVINCES = "code,name\n19,Bangka Belitung Baru\n33,Jawa Tengah\n"
# Valid kabupaten/kota rows (lines 2 and 3) that would rename 19.71 and add 33.22.
GOOD_REGION_ROWS = "19.71,19,Kota Pangkalpinang\n33.22,33,Kabupaten Semarang\n"


# The messages asserted here are the English ones.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def seeded(db):
    bangka = ProvinceFactory(code="19", name="Kepulauan Bangka Belitung")
    RegionFactory(
        code="19.01",
        name="Kabupaten Bangka",
        kind=RegionKind.KABUPATEN,
        province=bangka,
        cohort_year=None,
    )
    RegionFactory(
        code="19.71",
        name="Kota Pangkal Pinang",
        kind=RegionKind.KOTA,
        province=bangka,
        cohort_year=2022,
        latitude=Decimal("-2.12910"),
        longitude=Decimal("106.11340"),
    )


@pytest.fixture
def national_files():
    provinces, regencies = SHARED_REGIONS / "provinces.csv", SHARED_REGIONS / "regencies.csv"
    missing = not (provinces.is_file() and regencies.is_file())
    require_service(
        "The national region list",
        f"{SHARED_REGIONS} lacks provinces.csv/regencies.csv" if missing else None,
    )
    return provinces, regencies


def write(directory: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = directory / name
    path.write_bytes(text.encode(encoding))
    return path


def run(*, provinces: Path | None = None, regencies: Path | None = None, dry_run=False) -> str:
    args = []
    if provinces:
        args += ["--provinces", str(provinces)]
    if regencies:
        args += ["--regencies", str(regencies)]
    if dry_run:
        args.append("--dry-run")
    out = StringIO()
    call_command("import_regions", *args, stdout=out)
    return out.getvalue()


def run_fails(*, provinces: Path | None = None, regencies: Path | None = None) -> str:
    with pytest.raises(CommandError) as error:
        run(provinces=provinces, regencies=regencies)
    return str(error.value)


def summary(provinces: tuple[int, int, int], regions: tuple[int, int, int]) -> str:
    return (
        "Provinces: {} created, {} updated, {} unchanged\n"
        "Kabupaten/kota: {} created, {} updated, {} unchanged\n"
    ).format(*provinces, *regions)


def stored_provinces() -> list[tuple]:
    return list(Province.objects.order_by("code").values_list("code", "name"))


def stored_regions() -> list[tuple]:
    return list(
        Region.objects.order_by("code").values_list(
            "code", "province__code", "name", "kind", "cohort_year", "latitude", "longitude"
        )
    )


def assert_seed_untouched() -> None:
    assert stored_provinces() == SEEDED_PROVINCES
    assert stored_regions() == SEEDED_REGIONS


def nothing_imported(*problems: str) -> str:
    return "Nothing was imported:\n" + "\n".join(f"  {problem}" for problem in problems)


# --- The national list ---
def test_national_list_imports_and_reimports_unchanged(db, national_files):
    provinces, regencies = national_files

    assert run(provinces=provinces, regencies=regencies) == summary((38, 0, 0), (514, 0, 0))

    assert Province.objects.count() == 38
    assert Region.objects.count() == 514
    assert Region.objects.filter(kind=RegionKind.KOTA).count() == 98
    assert Region.objects.filter(kind=RegionKind.KABUPATEN).count() == 416
    assert Region.objects.filter(cohort_year__isnull=False).count() == 0
    assert Province.objects.get(code="19").name == "Kepulauan Bangka Belitung"
    assert Province.objects.get(code="94").name == "Papua Tengah"
    wanted = ["11.01", "19.71", "94.04"]
    assert list(
        Region.objects.filter(code__in=wanted)
        .order_by("code")
        .values_list("code", "name", "kind", "province__code", "province__name")
    ) == [
        ("11.01", "Kabupaten Aceh Selatan", "kabupaten", "11", "Aceh"),
        ("19.71", "Kota Pangkal Pinang", "kota", "19", "Kepulauan Bangka Belitung"),
        ("94.04", "Kabupaten Mimika", "kabupaten", "94", "Papua Tengah"),
    ]
    # Every region sits in the province its code starts with.
    assert all(
        code.split(".")[0] == province
        for code, province in Region.objects.values_list("code", "province__code")
    )

    assert run(provinces=provinces, regencies=regencies) == summary((0, 0, 38), (0, 0, 514))
    assert Province.objects.count() == 38
    assert Region.objects.count() == 514


def test_national_list_dry_run_writes_nothing(db, national_files):
    provinces, regencies = national_files

    output = run(provinces=provinces, regencies=regencies, dry_run=True)

    assert output == summary((38, 0, 0), (514, 0, 0)) + "Dry run: nothing was written.\n"
    assert Province.objects.count() == 0
    assert Region.objects.count() == 0


# --- Upserts ---
def test_name_change_is_one_update_and_keeps_optional_values(seeded, tmp_path):
    regencies = write(
        tmp_path,
        "regencies.csv",
        f"{REGION_HEADER}\n19.71,19,Kota Pangkalpinang\n19.01,19,Kabupaten Bangka\n",
    )

    assert run(regencies=regencies) == summary((0, 0, 0), (0, 1, 1))

    assert stored_regions() == [
        SEEDED_REGIONS[0],
        (
            "19.71",
            "19",
            "Kota Pangkalpinang",
            "kota",
            2022,
            Decimal("-2.12910"),
            Decimal("106.11340"),
        ),
    ]
    assert stored_provinces() == SEEDED_PROVINCES


def test_province_rename_and_new_region_in_a_new_province(seeded, tmp_path):
    provinces = write(tmp_path, "provinces.csv", GOOD_PROVINCES)
    regencies = write(tmp_path, "regencies.csv", f"{REGION_HEADER}\n33.74,33,Kota Semarang\n")

    assert run(provinces=provinces, regencies=regencies) == summary((1, 1, 0), (1, 0, 0))

    assert stored_provinces() == [("19", "Bangka Belitung Baru"), ("33", "Jawa Tengah")]
    assert stored_regions() == [
        *SEEDED_REGIONS,
        ("33.74", "33", "Kota Semarang", "kota", None, None, None),
    ]


def test_file_without_optional_columns_leaves_them_alone(seeded, tmp_path):
    regencies = write(tmp_path, "regencies.csv", f"{REGION_HEADER}\n19.71,19,Kota Pangkal Pinang\n")

    assert run(regencies=regencies) == summary((0, 0, 0), (0, 0, 1))

    assert_seed_untouched()


def test_optional_column_present_but_empty_clears_it(seeded, tmp_path):
    regencies = write(
        tmp_path,
        "regencies.csv",
        "code,province_code,name,cohort_year,latitude,longitude\n19.71,19,Kota Pangkal Pinang,,,\n",
    )

    assert run(regencies=regencies) == summary((0, 0, 0), (0, 1, 0))

    assert stored_regions() == [
        SEEDED_REGIONS[0],
        ("19.71", "19", "Kota Pangkal Pinang", "kota", None, None, None),
    ]


def test_only_the_given_optional_column_is_cleared(seeded, tmp_path):
    regencies = write(
        tmp_path,
        "regencies.csv",
        "code,province_code,name,latitude\n19.71,19,Kota Pangkal Pinang,\n",
    )

    assert run(regencies=regencies) == summary((0, 0, 0), (0, 1, 0))

    assert stored_regions()[1] == (
        "19.71", "19", "Kota Pangkal Pinang", "kota", 2022, None, Decimal("106.11340")
    )  # fmt: skip


def test_optional_values_are_stored_and_a_rerun_is_unchanged(seeded, tmp_path):
    regencies = write(
        tmp_path,
        "regencies.csv",
        "code,province_code,name,kind,cohort_year,latitude,longitude\n"
        "19.01,19,Kabupaten Bangka,,2024,-1.8667,106.1\n"
        "19.72,19,Bangka Tengah,kabupaten,,,\n",
    )

    assert run(regencies=regencies) == summary((0, 0, 0), (1, 1, 0))
    assert run(regencies=regencies) == summary((0, 0, 0), (0, 0, 2))

    assert stored_regions() == [
        (
            "19.01",
            "19",
            "Kabupaten Bangka",
            "kabupaten",
            2024,
            Decimal("-1.8667"),
            Decimal("106.1"),
        ),
        SEEDED_REGIONS[1],
        ("19.72", "19", "Bangka Tengah", "kabupaten", None, None, None),
    ]


def test_utf8_with_bom_is_accepted(seeded, tmp_path):
    path = tmp_path / "regencies.csv"
    path.write_bytes(codecs.BOM_UTF8 + f"{REGION_HEADER}\r\n19.72,19,Kota Bañjar\r\n".encode())

    assert run(regencies=path) == summary((0, 0, 0), (1, 0, 0))

    assert Region.objects.get(code="19.72").name == "Kota Bañjar"


# --- Dry run ---
def test_dry_run_reports_the_real_counts_and_writes_nothing(seeded, tmp_path):
    provinces = write(tmp_path, "provinces.csv", GOOD_PROVINCES)
    regencies = write(
        tmp_path,
        "regencies.csv",
        f"{REGION_HEADER}\n{GOOD_REGION_ROWS}33.74,33,Kota Semarang\n19.01,19,Kabupaten Bangka\n",
    )
    expected = summary((1, 1, 0), (2, 1, 1))

    assert run(provinces=provinces, regencies=regencies, dry_run=True) == (
        expected + "Dry run: nothing was written.\n"
    )
    assert_seed_untouched()

    assert run(provinces=provinces, regencies=regencies) == expected
    assert Province.objects.count() == 2
    assert Region.objects.count() == 4


# --- Bad input: file, line, reason; nothing written ---
@pytest.mark.parametrize(
    "body, problems",
    [
        pytest.param(
            f"{REGION_HEADER}\n{GOOD_REGION_ROWS}52.01,52,Kabupaten Lombok Barat\n",
            ["line 4: unknown province code '52'."],
            id="unknown-province",
        ),
        *(
            pytest.param(
                f"{REGION_HEADER}\n{GOOD_REGION_ROWS}{code},19,Kota Pangkal Pinang\n",
                [f"line 4: '{code}' is not a kabupaten/kota code (digits as 19.71)."],
                id=f"malformed-code-{code}",
            )
            for code in ("1971", "19.7", "19-71", "ab.cd", "19.711", "")
        ),
        pytest.param(
            f"{REGION_HEADER}\n{GOOD_REGION_ROWS}19.71,19,Kota Pangkal Pinang Lagi\n",
            ["line 4: code 19.71 appears twice (first on line 2)."],
            id="duplicate-code",
        ),
        pytest.param(
            f"{REGION_HEADER}\n{GOOD_REGION_ROWS}19.72,19,\n",
            ["line 4: the name is empty."],
            id="empty-name",
        ),
        pytest.param(
            f"{REGION_HEADER}\n{GOOD_REGION_ROWS}19.72,19,Kota {'X' * 96}\n",
            ["line 4: the name is longer than 100 characters."],
            id="name-too-long",
        ),
        pytest.param(
            f"{REGION_HEADER}\n{GOOD_REGION_ROWS}33.74,19,Kota Semarang\n",
            ["line 4: code 33.74 does not belong to province 19."],
            id="code-outside-its-province",
        ),
        pytest.param(
            f"{REGION_HEADER}\n{GOOD_REGION_ROWS}19.72,19,Bangka Tengah\n",
            [
                "line 4: cannot tell whether 'Bangka Tengah' is a kota or a kabupaten: start the "
                "name with 'Kota ' or 'Kabupaten ', or fill the kind column."
            ],
            id="kind-unknown",
        ),
        pytest.param(
            f"{REGION_HEADER},kind\n19.71,19,Kota Pangkalpinang,\n19.72,19,Bangka Tengah,desa\n",
            [
                "line 3: cannot tell whether 'Bangka Tengah' is a kota or a kabupaten: start the "
                "name with 'Kota ' or 'Kabupaten ', or fill the kind column."
            ],
            id="kind-column-invalid",
        ),
        pytest.param(
            f"{REGION_HEADER}\n{GOOD_REGION_ROWS}19.72,19,Kota X,2022\n",
            ["line 4: expected 3 columns, found 4."],
            id="too-many-columns",
        ),
        pytest.param(
            f"{REGION_HEADER}\n{GOOD_REGION_ROWS}19.72,Kota X\n",
            ["line 4: expected 3 columns, found 2."],
            id="too-few-columns",
        ),
        pytest.param(
            f"kode,provinsi,nama\n{GOOD_REGION_ROWS}",
            [f"line 1: the header must be {FULL_REGION_HEADER} (found: kode,provinsi,nama)."],
            id="wrong-header",
        ),
        pytest.param(
            f"code,name\n{GOOD_REGION_ROWS}",
            [f"line 1: the header must be {FULL_REGION_HEADER} (found: code,name)."],
            id="provinces-header-in-regencies-file",
        ),
        pytest.param(
            f"{REGION_HEADER},name\n19.71,19,Kota A,Kota B\n",
            [
                f"line 1: the header must be {FULL_REGION_HEADER} "
                "(found: code,province_code,name,name)."
            ],
            id="duplicate-column",
        ),
        pytest.param("", ["line 1: the file is empty."], id="empty-file"),
        pytest.param(
            f"{REGION_HEADER}\n", ["line 1: the file has no data rows."], id="header-only"
        ),
        pytest.param(
            f"{REGION_HEADER}\n\n,,\n", ["line 1: the file has no data rows."], id="blank-rows-only"
        ),
        pytest.param(
            f"{REGION_HEADER}\n19.71,19,Kota\x00\n",
            ["line 1: the file contains NUL bytes; it is not a CSV text file."],
            id="nul-byte",
        ),
        *(
            pytest.param(
                f"{REGION_HEADER},cohort_year\n"
                f"19.71,19,Kota Pangkalpinang,2022\n19.72,19,Kota X,{year}\n",
                [f"line 3: '{year}' is not a cohort year."],
                id=f"bad-cohort-year-{year}",
            )
            for year in ("1999", "2101", "20x2", "2022.0", "-2022")
        ),
        *(
            pytest.param(
                f"{REGION_HEADER},latitude,longitude\n19.72,19,Kota X,{latitude},{longitude}\n",
                [f"line 2: {message}"],
                id=f"bad-coordinate-{latitude}-{longitude}",
            )
            for latitude, longitude, message in (
                ("-12", "106", "latitude '-12' is not a number between -11.5 and 6.5."),
                ("6.50001", "106", "latitude '6.50001' is not a number between -11.5 and 6.5."),
                ("utara", "106", "latitude 'utara' is not a number between -11.5 and 6.5."),
                ("NaN", "106", "latitude 'NaN' is not a number between -11.5 and 6.5."),
                ("-2", "200", "longitude '200' is not a number between 94.5 and 141.5."),
                ("-2", "106,5", "expected 5 columns, found 6."),
            )
        ),
    ],
)
def test_bad_regencies_file_is_reported_and_nothing_is_written(seeded, tmp_path, body, problems):
    provinces = write(tmp_path, "provinces.csv", GOOD_PROVINCES)
    regencies = write(tmp_path, "regencies.csv", body)

    message = run_fails(provinces=provinces, regencies=regencies)

    assert message == nothing_imported(*(f"regencies.csv, {problem}" for problem in problems))
    assert_seed_untouched()


@pytest.mark.parametrize(
    "body, problems",
    [
        *(
            pytest.param(
                f"code,name\n19,Bangka Belitung Baru\n{code},Jawa Tengah\n",
                [f"line 3: '{code}' is not a province code (two digits, e.g. 19)."],
                id=f"malformed-code-{code}",
            )
            for code in ("3", "330", "3a", "33.", "")
        ),
        pytest.param(
            "code,name\n19,Bangka Belitung Baru\n33,Jawa Tengah\n19,Babel\n",
            ["line 4: province code 19 appears twice (first on line 2)."],
            id="duplicate-code",
        ),
        pytest.param(
            "code,name\n19,Bangka Belitung Baru\n33,\n",
            ["line 3: the name is empty."],
            id="empty-name",
        ),
        pytest.param(
            "code,name\n19,Bangka Belitung Baru\n33,Jawa,Tengah\n",
            ["line 3: expected 2 columns, found 3."],
            id="wrong-column-count",
        ),
        pytest.param(
            "kode,nama\n19,Bangka Belitung Baru\n",
            ["line 1: the header must be code,name (found: kode,nama)."],
            id="wrong-header",
        ),
        pytest.param("", ["line 1: the file is empty."], id="empty-file"),
        pytest.param("code,name\n", ["line 1: the file has no data rows."], id="header-only"),
    ],
)
def test_bad_provinces_file_is_reported_and_nothing_is_written(seeded, tmp_path, body, problems):
    provinces = write(tmp_path, "provinces.csv", body)
    regencies = write(tmp_path, "regencies.csv", f"{REGION_HEADER}\n19.71,19,Kota Pangkalpinang\n")

    message = run_fails(provinces=provinces, regencies=regencies)

    assert message == nothing_imported(*(f"provinces.csv, {problem}" for problem in problems))
    assert_seed_untouched()


@pytest.mark.parametrize(
    "name, encoding, byte",
    [
        ("Kota Bañjar", "latin-1", 0xF1),
        ("Kota Bañjar", "cp1252", 0xF1),
        ("Kota Ma’rang", "cp1252", 0x92),
    ],
)
def test_file_not_in_utf8_is_reported_with_its_line(seeded, tmp_path, name, encoding, byte):
    provinces = write(tmp_path, "provinces.csv", GOOD_PROVINCES)
    regencies = write(
        tmp_path,
        "regencies.csv",
        f"{REGION_HEADER}\r\n{GOOD_REGION_ROWS}19.72,19,{name}\r\n19.73,19,Kota Bañjar Lagi\r\n",
        encoding=encoding,
    )

    message = run_fails(provinces=provinces, regencies=regencies)

    assert message == nothing_imported(
        f"regencies.csv, line 4: the file is not UTF-8 text (byte 0x{byte:02x}); "
        "save it as CSV UTF-8."
    )
    assert_seed_untouched()


def test_provinces_file_not_in_utf8(seeded, tmp_path):
    provinces = write(
        tmp_path,
        "provinces.csv",
        "code,name\n19,Bangka Belitung Baru\n33,Jawa Ténggah\n",
        "latin-1",
    )

    message = run_fails(provinces=provinces)

    assert message == nothing_imported(
        "provinces.csv, line 3: the file is not UTF-8 text (byte 0xe9); save it as CSV UTF-8."
    )
    assert_seed_untouched()


@pytest.mark.parametrize("which", ["provinces", "regencies"])
def test_missing_file(seeded, tmp_path, which):
    files = {
        "provinces": write(tmp_path, "provinces.csv", GOOD_PROVINCES),
        "regencies": write(tmp_path, "regencies.csv", f"{REGION_HEADER}\n{GOOD_REGION_ROWS}"),
    }
    files[which] = tmp_path / "tidak-ada.csv"

    message = run_fails(**files)

    assert message == f"{tmp_path / 'tidak-ada.csv'}: no such file."
    assert_seed_untouched()


def test_no_file_given(db):
    assert run_fails() == "Give --provinces FILE, --regencies FILE, --centroids FILE, or several."


def test_without_provinces_file_only_stored_provinces_are_known(db, tmp_path):
    """Without a provinces file, only provinces already stored are known."""
    regencies = write(tmp_path, "regencies.csv", f"{REGION_HEADER}\n19.71,19,Kota Pangkal Pinang\n")

    message = run_fails(regencies=regencies)

    assert message == nothing_imported("regencies.csv, line 2: unknown province code '19'.")
    assert Region.objects.count() == 0


# --- Several problems, one run ---
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_every_problem_of_a_file_is_reported_at_once(seeded, tmp_path, newline):
    rows = [
        REGION_HEADER,
        "19.71,19,Kota Pangkalpinang",  # 2: fine
        "19.7,19,Kota Salah",  # 3: malformed code
        "",  # 4: blank, skipped but counted
        "19.72,19,",  # 5: empty name
        "52.01,52,Kabupaten Lombok Barat",  # 6: unknown province
        "33.22,33,Kabupaten Semarang",  # 7: fine (33 comes from the provinces file)
        "19.71,19,Kota Pangkal Pinang",  # 8: duplicate of line 2
    ]
    provinces = write(tmp_path, "provinces.csv", GOOD_PROVINCES)
    regencies = write(tmp_path, "regencies.csv", newline.join(rows) + newline)

    message = run_fails(provinces=provinces, regencies=regencies)

    assert message == nothing_imported(
        "regencies.csv, line 3: '19.7' is not a kabupaten/kota code (digits as 19.71).",
        "regencies.csv, line 5: the name is empty.",
        "regencies.csv, line 6: unknown province code '52'.",
        "regencies.csv, line 8: code 19.71 appears twice (first on line 2).",
    )
    assert_seed_untouched()


def test_reader_lists_problems_with_file_and_line(tmp_path):
    path = write(
        tmp_path,
        "kabkota.csv",
        f"{REGION_HEADER}\n1971,19,Kota A\n19.72,19,\n33.74,19,Kota Semarang\n",
    )

    with pytest.raises(RegionFileError) as error:
        read_region_file(path, {"19", "33"})

    assert [(p.file, p.line, p.message) for p in error.value.problems] == [
        ("kabkota.csv", 2, "'1971' is not a kabupaten/kota code (digits as 19.71)."),
        ("kabkota.csv", 3, "the name is empty."),
        ("kabkota.csv", 4, "code 33.74 does not belong to province 19."),
    ]


def test_at_most_fifty_problems_are_listed_and_the_cut_is_said(tmp_path):
    path = write(tmp_path, "provinces.csv", "code,name\n" + "x,Nama\n" * 60)

    with pytest.raises(RegionFileError) as error:
        read_province_file(path)

    problems = error.value.problems
    assert [p.line for p in problems[:50]] == list(range(2, 52))
    assert [(p.line, p.message) for p in problems[50:]] == [
        (52, "more problems follow; fix those above and run again.")
    ]


def test_problems_of_both_files_are_reported_in_one_run(seeded, tmp_path):
    provinces = write(tmp_path, "provinsi.csv", "code,name\n19,Bangka Belitung Baru\n3x,Salah\n")
    regencies = write(tmp_path, "kabkota.csv", f"{REGION_HEADER}\n19.71,19,\n")

    message = run_fails(provinces=provinces, regencies=regencies)

    assert message == (
        "Nothing was imported:\n"
        "  provinsi.csv, line 3: '3x' is not a province code (two digits, e.g. 19).\n"
        "  kabkota.csv, line 2: the name is empty."
    )
    assert Province.objects.get(code="19").name == "Kepulauan Bangka Belitung"


def test_kind_column_is_not_case_sensitive(seeded, tmp_path):
    path = write(
        tmp_path, "kabkota.csv", f"{REGION_HEADER},kind\n19.72,19,Bangka Tengah,Kabupaten\n"
    )

    call_command("import_regions", regencies=path, stdout=StringIO())

    assert Region.objects.get(code="19.72").kind == RegionKind.KABUPATEN


# --- Indonesian ---
def test_problems_are_reported_in_indonesian(tmp_path):
    path = write(
        tmp_path,
        "regencies.csv",
        f"{REGION_HEADER}\n19.71,19,Kota Pangkal Pinang\n19.7,19,Kota Salah\n52.01,52,Kabupaten X\n"
        "19.71,19,Kota Lagi\n19.72,19,Bangka Tengah\n",
    )

    with translation.override("id"), pytest.raises(RegionFileError) as error:
        read_region_file(path, {"19"})
    with translation.override("id"):
        lines = [str(problem) for problem in error.value.problems]

    assert lines == [
        "regencies.csv, baris 3: '19.7' bukan kode kabupaten/kota (angka seperti 19.71).",
        "regencies.csv, baris 4: kode provinsi '52' tidak dikenal.",
        "regencies.csv, baris 5: kode 19.71 muncul dua kali (pertama pada baris 2).",
        "regencies.csv, baris 6: tidak dapat ditentukan apakah 'Bangka Tengah' kota atau "
        "kabupaten: awali nama dengan 'Kota ' atau 'Kabupaten ', atau isi kolom kind.",
    ]


def test_encoding_problem_in_indonesian(tmp_path):
    path = write(tmp_path, "regencies.csv", f"{REGION_HEADER}\n19.72,19,Kota Bañjar\n", "latin-1")

    with translation.override("id"), pytest.raises(RegionFileError) as error:
        read_region_file(path, {"19"})

    assert [(p.line, p.message) for p in error.value.problems] == [
        (2, "berkas bukan teks UTF-8 (bita 0xf1); simpan ulang sebagai CSV UTF-8.")
    ]


# --- Former defects: BOM offset, non-ASCII digits ---
def test_bom_file_with_a_latin1_byte_names_the_right_byte_and_line(tmp_path):
    path = tmp_path / "regencies.csv"
    path.write_bytes(
        codecs.BOM_UTF8 + f"{REGION_HEADER}\n19.71,19,Kota X\n\xf1\n".encode("latin-1")
    )

    with pytest.raises(RegionFileError) as error:
        read_region_file(path, {"19"})

    assert [(p.line, p.message) for p in error.value.problems] == [
        (3, "the file is not UTF-8 text (byte 0xf1); save it as CSV UTF-8.")
    ]


def test_superscript_digit_cohort_year_is_a_problem_not_a_crash(tmp_path):
    path = write(tmp_path, "regencies.csv", f"{REGION_HEADER},cohort_year\n19.71,19,Kota X,²\n")

    with pytest.raises(RegionFileError) as error:
        read_region_file(path, {"19"})

    assert [(p.line, p.message) for p in error.value.problems] == [(2, "'²' is not a cohort year.")]


def test_full_width_province_code_is_rejected(tmp_path):
    path = write(tmp_path, "provinces.csv", "code,name\n１９,Kepulauan Bangka Belitung\n")

    with pytest.raises(RegionFileError) as error:
        read_province_file(path)

    assert [(p.line, p.message) for p in error.value.problems] == [
        (2, "'１９' is not a province code (two digits, e.g. 19).")
    ]
