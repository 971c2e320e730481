"""Reading an uploaded workbook: is it ours, for this assessment, with its sheet and columns intact?

Pure: no database access and no writes. Returns the answers to save and every problem found, in
the active language; the caller saves nothing while any problem exists.
"""

import io

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from assessments.excel.cells import cell_text, comparable, in_each_language
from assessments.excel.context import UploadContext, UploadResult
from assessments.excel.layout import COLUMNS, FORMAT, META_SHEET, answers_sheet_title
from assessments.excel.problems import Problem, cell_problem, file_problem
from assessments.excel.rows import RowReader
from smartcity import containers

MAX_ROWS_READ = 5000  # a sheet is ~100 rows; more means it is not our workbook
# openpyxl unpacks every part it reads; a workbook of ours unpacks to well under 10 MiB.
WORKBOOK_LIMITS = containers.Limits(unpacked=100 * 1024 * 1024)
MAX_PROBLEMS = 300
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class _Refused(Exception):
    """The file cannot be read any further; `problem` says why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.message)


def _refusal(message: str, *, sheet: str = "") -> _Refused:
    return _Refused(file_problem(message, sheet=sheet))


def read_upload(data: bytes, context: UploadContext) -> UploadResult:
    """Check an uploaded workbook against the assessment; the changes are valid only when no
    problem was found (the caller then saves them all, or nothing)."""
    try:
        return _read(data, context)
    except _Refused as refused:
        return UploadResult(problems=[refused.problem])


def _read(data: bytes, context: UploadContext) -> UploadResult:
    _check_container(data)
    workbook = _open(data)
    try:
        _check_meta(workbook, context)
        return _read_rows(_answers_sheet(workbook), context)
    finally:
        workbook.close()


# --- The file ----------------------------------------------------------------------------------
def _damaged() -> str:
    return _(
        "The file is damaged or incomplete and cannot be opened as an Excel workbook. Save it "
        "again in Excel as .xlsx (or download a fresh copy) and upload it again."
    )


def _check_container(data: bytes) -> None:
    """Name the file's real kind when it is not an .xlsx workbook (by content, not by name)."""
    if data.startswith(OLE2_SIGNATURE):
        raise _refusal(_(
            "This file is in the old Excel 97-2003 format (.xls). Open it in Excel, choose "
            "File › Save As › Excel Workbook (.xlsx), and upload the .xlsx file."
        ))  # fmt: skip
    if data.startswith(b"%PDF-"):
        raise _refusal(_(
            "This file is a PDF document, not an Excel workbook (.xlsx). Upload the workbook "
            "downloaded from this page, filled in and saved as .xlsx."
        ))  # fmt: skip
    if not data.startswith(b"PK\x03\x04"):
        raise _refusal(_(
            "This file is not an Excel workbook (.xlsx); it may be a CSV or another kind of "
            "file renamed. Upload the workbook downloaded from this page, saved as .xlsx."
        ))  # fmt: skip
    try:
        with containers.open_zip(data, WORKBOOK_LIMITS) as archive:
            names = set(archive.names)
            mimetype = archive.read("mimetype", limit=100) if "mimetype" in names else b""
    except containers.ContainerDamaged as damaged:
        raise _refusal(_damaged()) from damaged
    except containers.ContainerRefused as refused:
        raise _refusal(str(refused)) from refused
    if b"opendocument" in mimetype:
        raise _refusal(_(
            "This file is an OpenDocument spreadsheet (.ods). Save it as an Excel workbook "
            "(.xlsx) and upload that file."
        ))  # fmt: skip
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _refusal(_(
            "This file is not an Excel workbook (.xlsx). Upload the workbook downloaded from "
            "this page, saved as .xlsx."
        ))  # fmt: skip


def _open(data: bytes) -> Workbook:
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    # A damaged workbook can fail anywhere in openpyxl's XML and zip handling.
    except Exception as error:
        raise _refusal(_damaged()) from error


# --- The hidden meta sheet ---------------------------------------------------------------------
def _check_meta(workbook: Workbook, context: UploadContext) -> None:
    """Refuse a workbook not made by this application, or made for another assessment."""
    meta = _meta(workbook)
    if meta.get("format") != FORMAT:
        raise _not_ours()
    same = (
        str(meta.get("assessment_id")) == str(context.assessment_id)
        and meta.get("framework_slug") == context.framework_slug
        and str(meta.get("framework_version")) == str(context.framework_version)
    )
    if not same:
        raise _refusal(
            _(
                "This file belongs to %(region)s, %(cycle)s, not to this assessment. "
                "Download the workbook of %(this_region)s, %(this_cycle)s and fill that one in."
            )
            % {
                "region": meta.get("region_name") or "?",
                "cycle": meta.get("cycle_title") or "?",
                "this_region": context.region_name,
                "this_cycle": context.cycle_title,
            }
        )


def _meta(workbook: Workbook) -> dict[str, object]:
    if META_SHEET not in workbook.sheetnames:
        raise _not_ours()
    rows = workbook[META_SHEET].iter_rows(min_row=1, max_row=40, max_col=2, values_only=True)
    return {key: value for key, value, *_rest in rows if isinstance(key, str)}


def _not_ours() -> _Refused:
    return _refusal(
        _(
            "This workbook was not downloaded from this application (its hidden sheet “%(meta)s” "
            "is missing or changed). Download the workbook of this assessment and fill that one in."
        )
        % {"meta": META_SHEET}
    )


# --- The answers sheet -------------------------------------------------------------------------
def _answers_sheet(workbook: Workbook) -> Worksheet:
    for title in in_each_language(answers_sheet_title):
        if title in workbook.sheetnames:
            return workbook[title]
    raise _refusal(
        _(
            "The sheet “%(sheet)s” is missing. Do not rename or delete sheets; download the "
            "workbook again if needed."
        )
        % {"sheet": answers_sheet_title()},
        sheet=answers_sheet_title(),
    )


def _read_rows(ws: Worksheet, context: UploadContext) -> UploadResult:
    rows = ws.iter_rows(min_row=1, max_col=len(COLUMNS))
    header_problems = _header_problems(ws.title, _padded(_values(next(rows, ()))))
    if header_problems:
        return UploadResult(problems=header_problems)
    reader = RowReader(ws.title, context)
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS_READ:
            reader.refuse(number, "code", _("The sheet has far more rows than indicators."))
            break
        formulas = [cell for cell in row if cell.data_type == "f"]
        for cell in formulas:
            reader.refuse(number, COLUMNS[cell.column - 1].key, _formula_refusal(cell))
        if formulas:
            continue
        cells = _padded(_values(row))
        if any(cell_text(value) for value in cells):
            reader.read(
                number, {column.key: value for column, value in zip(COLUMNS, cells, strict=True)}
            )
    result = reader.result
    _cap(result.problems)
    if not result.problems and not reader.seen_codes:
        result.problems.append(file_problem(_("The sheet has no indicator rows."), sheet=ws.title))
    return result


def _values(row: tuple) -> tuple:
    return tuple(cell.value for cell in row)


def _formula_refusal(cell) -> str:
    """A formula is never read: its value would be whatever Excel last computed, or nothing."""
    return _(
        "Cell %(cell)s holds a formula (%(formula)s). Type the text or the choice itself "
        "instead; formulas are not imported."
    ) % {"cell": cell.coordinate, "formula": str(cell.value)[:60]}


def _padded(values: tuple) -> tuple:
    """A row's values, one for each column (a read-only sheet leaves out empty trailing cells)."""
    values = tuple(values)
    return values + (None,) * (len(COLUMNS) - len(values))


def _header_problems(sheet_title: str, header: tuple) -> list[Problem]:
    problems = []
    for column, value in zip(COLUMNS, header, strict=True):
        found = cell_text(value)
        if comparable(found) not in {comparable(t) for t in in_each_language(column.title)}:
            message = _(
                "The heading of this column should be “%(expected)s” but is “%(found)s”. "
                "Do not add, move, rename or delete columns; download the workbook again "
                "if needed."
            ) % {"expected": column.title(), "found": found}
            problems.append(cell_problem(sheet_title, 1, column.key, message))
    return problems


def _cap(problems: list[Problem]) -> None:
    """Keep the first MAX_PROBLEMS problems, and say how many more there were."""
    if len(problems) > MAX_PROBLEMS:
        hidden = len(problems) - MAX_PROBLEMS
        problems[MAX_PROBLEMS:] = [
            file_problem(
                ngettext("…and %(count)d more problem.", "…and %(count)d more problems.", hidden)
                % {"count": hidden}
            )
        ]
