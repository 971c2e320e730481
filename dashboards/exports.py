"""The progress table as CSV or XLSX: exactly the rows the filters keep, in the page's order."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from smartcity.spreadsheets import safe_cell_value


def _columns() -> list[tuple[str, str]]:
    return [
        ("region_code", _("Code")),
        ("region_name", _("Region")),
        ("province_name", _("Province")),
        ("cohort_year", _("Cohort year")),
        ("status_label", _("Status")),
        ("overdue", _("Overdue")),
        ("last_activity", _("Last activity")),
        ("index", _("Smart-city index")),
        ("predikat", _("Predikat")),
        ("preliminary", _("Preliminary")),
    ]


def _value(row: dict, key: str) -> object:
    value = row.get(key)
    if key == "last_activity" and value is not None:
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if key in ("overdue", "preliminary"):
        return _("yes") if value else ""
    if key == "index" and value is not None:
        return round(float(value), 2)
    return safe_cell_value("" if value is None else value)


def progress_rows(rows: list[dict]) -> list[list[object]]:
    """The header and one line per region."""
    columns = _columns()
    return [[title for _key, title in columns]] + [
        [_value(row, key) for key, _title in columns] for row in rows
    ]


def progress_csv(rows: list[dict]) -> bytes:
    """The rows as UTF-8 CSV with a byte-order mark (so spreadsheet programs read it as UTF-8)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(progress_rows(rows))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def progress_xlsx(rows: list[dict]) -> bytes:
    """The rows as one worksheet, the header row frozen."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Progress")[:31]
    for line in progress_rows(rows):
        sheet.append(line)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
