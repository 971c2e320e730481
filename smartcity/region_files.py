"""Reading and validating region CSV files in the public Kemendagri format.

Provinces: `code,name`. Kabupaten/kota: `code,province_code,name`, optionally with `kind`,
`cohort_year`, `latitude`, `longitude`. Centroids: `code,latitude,longitude` (the map data in
fixtures/geo/). Reading never writes; every problem is collected with its file and line so that one
run shows everything that needs fixing.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from smartcity.models import RegionKind

# [0-9], not \d: \d also matches other scripts' digits such as full-width "１９".
PROVINCE_CODE = re.compile(r"^[0-9]{2}$")
REGION_CODE = re.compile(r"^([0-9]{2})\.([0-9]{2})$")
COHORT_YEAR = re.compile(r"^[0-9]{4}$")
NAME_MAX_LENGTH = 100
OPTIONAL_REGION_COLUMNS = ("kind", "cohort_year", "latitude", "longitude")
# A generous box around the Indonesian archipelago: a seat outside it is a typo.
LATITUDE_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LONGITUDE_RANGE = (Decimal("94.5"), Decimal("141.5"))
COORDINATE_RANGES = {"latitude": LATITUDE_RANGE, "longitude": LONGITUDE_RANGE}
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return _("%(file)s, line %(line)s: %(message)s") % {
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }


class RegionFileError(Exception):
    """The files cannot be imported; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class ProvinceRow:
    line: int
    code: str
    name: str


@dataclass(frozen=True)
class CentroidRow:
    line: int
    code: str
    latitude: Decimal
    longitude: Decimal


@dataclass(frozen=True)
class RegionRow:
    line: int
    code: str
    province_code: str
    name: str
    kind: str
    # Only the optional columns present in the file are set; absent ones leave stored values alone.
    extra: dict[str, object]


class _Collector:
    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.problems: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.file_name, line, message))
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append(
                Problem(
                    self.file_name,
                    line,
                    _("more problems follow; fix those above and run again."),
                )
            )


def _records(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...], problems: _Collector
):
    """Yield (line number, {column: stripped value}) for each data row; report structural faults."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # utf-8-sig counts positions after a byte-order mark; `raw` still has it.
        position = error.start + (len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0)
        problems.add(
            raw[:position].count(b"\n") + 1,
            _("the file is not UTF-8 text (byte 0x%(byte)02x); save it as CSV UTF-8.")
            % {"byte": raw[position]},
        )
        return
    if "\x00" in text:
        problems.add(1, _("the file contains NUL bytes; it is not a CSV text file."))
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        problems.add(1, _("the file is empty."))
        return
    missing = [column for column in required if column not in header]
    unknown = [column for column in header if column not in required + optional]
    if missing or unknown or len(set(header)) != len(header):
        problems.add(
            1,
            _("the header must be %(expected)s (found: %(found)s).")
            % {
                "expected": ",".join(required + tuple(f"[{c}]" for c in optional)),
                "found": ",".join(header),
            },
        )
        return
    try:
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                problems.add(
                    line,
                    _("expected %(expected)d columns, found %(found)d.")
                    % {"expected": len(header), "found": len(values)},
                )
                continue
            yield (
                line,
                {column: value.strip() for column, value in zip(header, values, strict=True)},
            )
    except csv.Error as error:
        problems.add(reader.line_num, _("the CSV cannot be read: %(error)s") % {"error": error})


def _first_time(
    code: str, line: int, first_line_of: dict[str, int], problems: _Collector, *, province: bool
) -> bool:
    """Record where a code first appears; a second appearance is a problem naming the first."""
    if code not in first_line_of:
        first_line_of[code] = line
        return True
    message = (
        _("province code %(code)s appears twice (first on line %(first)d).")
        if province
        else _("code %(code)s appears twice (first on line %(first)d).")
    )
    problems.add(line, message % {"code": code, "first": first_line_of[code]})
    return False


def _new_region_code(
    code: str, line: int, first_line_of: dict[str, int], problems: _Collector
) -> re.Match[str] | None:
    """The match of a well-formed kabupaten/kota code seen for the first time; else None, with
    the problem recorded."""
    match = REGION_CODE.match(code)
    if not match:
        problems.add(
            line, _("'%(code)s' is not a kabupaten/kota code (digits as 19.71).") % {"code": code}
        )
        return None
    if not _first_time(code, line, first_line_of, problems, province=False):
        return None
    return match


def _check_name(name: str, line: int, problems: _Collector) -> bool:
    if not name:
        problems.add(line, _("the name is empty."))
        return False
    if len(name) > NAME_MAX_LENGTH:
        problems.add(
            line, _("the name is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH}
        )
        return False
    return True


def _read_provinces(path: Path) -> tuple[list[ProvinceRow], list[Problem]]:
    problems = _Collector(path.name)
    rows: list[ProvinceRow] = []
    first_line_of: dict[str, int] = {}
    for line, record in _records(path, ("code", "name"), (), problems):
        code, name = record["code"], record["name"]
        if not PROVINCE_CODE.match(code):
            problems.add(
                line, _("'%(code)s' is not a province code (two digits, e.g. 19).") % {"code": code}
            )
            continue
        if not _first_time(code, line, first_line_of, problems, province=True):
            continue
        if _check_name(name, line, problems):
            rows.append(ProvinceRow(line=line, code=code, name=name))
    if not rows and not problems.problems:
        problems.add(1, _("the file has no data rows."))
    return rows, problems.problems


def read_province_file(path: Path) -> list[ProvinceRow]:
    """Provinces from a `code,name` file; raises RegionFileError listing every problem."""
    rows, problems = _read_provinces(path)
    if problems:
        raise RegionFileError(problems)
    return rows


def _kind_from_name(name: str) -> str | None:
    lowered = name.lower()
    if lowered.startswith("kota "):
        return RegionKind.KOTA
    if lowered.startswith(("kabupaten ", "kab. ")):
        return RegionKind.KABUPATEN
    return None


def _decimal_in(value: str, bounds: tuple[Decimal, Decimal]) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or not bounds[0] <= number <= bounds[1]:
        return None
    return number.quantize(Decimal("0.00001"))


def _optional_values(record: dict[str, str], line: int, problems: _Collector) -> dict[str, object]:
    extra: dict[str, object] = {}
    if "cohort_year" in record:
        year = record["cohort_year"]
        valid = bool(COHORT_YEAR.match(year)) and 2000 <= int(year) <= 2100
        if year and not valid:
            problems.add(line, _("'%(value)s' is not a cohort year.") % {"value": year})
        extra["cohort_year"] = int(year) if valid else None
    for column in COORDINATE_RANGES:
        if column in record:
            value = record[column]
            extra[column] = _coordinate(column, value, line, problems) if value else None
    return extra


def _coordinate(column: str, value: str, line: int, problems: _Collector) -> Decimal | None:
    bounds = COORDINATE_RANGES[column]
    number = _decimal_in(value, bounds)
    if number is None:
        problems.add(
            line,
            _("%(column)s '%(value)s' is not a number between %(low)s and %(high)s.")
            % {"column": column, "value": value, "low": bounds[0], "high": bounds[1]},
        )
    return number


def _read_regions(
    path: Path, known_province_codes: set[str]
) -> tuple[list[RegionRow], list[Problem]]:
    problems = _Collector(path.name)
    rows: list[RegionRow] = []
    first_line_of: dict[str, int] = {}
    for line, record in _records(
        path, ("code", "province_code", "name"), OPTIONAL_REGION_COLUMNS, problems
    ):
        code, province_code, name = record["code"], record["province_code"], record["name"]
        match = _new_region_code(code, line, first_line_of, problems)
        if match is None:
            continue
        if province_code not in known_province_codes:
            problems.add(line, _("unknown province code '%(code)s'.") % {"code": province_code})
            continue
        if match.group(1) != province_code:
            problems.add(
                line,
                _("code %(code)s does not belong to province %(province)s.")
                % {"code": code, "province": province_code},
            )
            continue
        if not _check_name(name, line, problems):
            continue
        kind = record.get("kind", "").lower() or _kind_from_name(name)
        if kind not in RegionKind.values:
            problems.add(
                line,
                _("cannot tell whether '%(name)s' is a kota or a kabupaten: start the name with "
                  "'Kota ' or 'Kabupaten ', or fill the kind column.") % {"name": name},
            )  # fmt: skip
            continue
        extra = _optional_values(record, line, problems)
        rows.append(RegionRow(line, code, province_code, name, kind, extra))
    if not rows and not problems.problems:
        problems.add(1, _("the file has no data rows."))
    return rows, problems.problems


def read_region_file(path: Path, known_province_codes: set[str]) -> list[RegionRow]:
    """Kabupaten/kota from a `code,province_code,name[,...]` file; raises RegionFileError."""
    rows, problems = _read_regions(path, known_province_codes)
    if problems:
        raise RegionFileError(problems)
    return rows


def _read_centroids(path: Path) -> tuple[list[CentroidRow], list[Problem]]:
    problems = _Collector(path.name)
    rows: list[CentroidRow] = []
    first_line_of: dict[str, int] = {}
    for line, record in _records(path, ("code", "latitude", "longitude"), (), problems):
        code = record["code"]
        if _new_region_code(code, line, first_line_of, problems) is None:
            continue
        latitude, longitude = (
            _coordinate(column, record[column], line, problems) for column in COORDINATE_RANGES
        )
        if latitude is not None and longitude is not None:
            rows.append(CentroidRow(line, code, latitude, longitude))
    if not rows and not problems.problems:
        problems.add(1, _("the file has no data rows."))
    return rows, problems.problems


@dataclass(frozen=True)
class RegionFiles:
    provinces: list[ProvinceRow]
    regions: list[RegionRow]
    centroids: list[CentroidRow]


def read_region_files(
    *,
    provinces: Path | None,
    regencies: Path | None,
    stored_province_codes: set[str],
    centroids: Path | None = None,
) -> RegionFiles:
    """The files of one import, checked together so that one run reports every problem.

    Kabupaten/kota may refer to stored provinces and to the provinces of the provinces file.
    A centroid may name any kabupaten/kota: the national file serves any subset of regions, and the
    import reports the codes it did not find.
    """
    province_rows, problems = _read_provinces(provinces) if provinces else ([], [])
    region_rows: list[RegionRow] = []
    centroid_rows: list[CentroidRow] = []
    if regencies:
        known = stored_province_codes | {row.code for row in province_rows}
        region_rows, region_problems = _read_regions(regencies, known)
        problems = problems + region_problems
    if centroids:
        centroid_rows, centroid_problems = _read_centroids(centroids)
        problems = problems + centroid_problems
    if problems:
        raise RegionFileError(problems)
    return RegionFiles(province_rows, region_rows, centroid_rows)


def read_centroid_file(path: Path) -> list[CentroidRow]:
    """Kabupaten/kota centroids from a `code,latitude,longitude` file; raises RegionFileError."""
    rows, problems = _read_centroids(path)
    if problems:
        raise RegionFileError(problems)
    return rows
