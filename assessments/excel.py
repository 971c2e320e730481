"""Offline Excel: build an assessment's workbook, and read a filled-in one back.

Pure: no database access and no writes. The view hands in the loaded `selectors.Sheet`; reading
returns the answers to save and every problem found (sheet, row, column and message, in the active
language). The caller saves nothing while any problem exists.

The workbook has three sheets: the answers (one row per indicator, in framework order), the
instructions, and a hidden sheet with the identity of the assessment and the drop-down choices.
Each answer row carries hidden columns: the response id, its version at download, and a checksum
of the answer as downloaded, so that a row the official did not touch is never taken for a change
(nor for a conflict with someone who saved the indicator online in the meantime).
"""

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NoReturn

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from assessments.rules import NARRATIVE_MAX_LENGTH, Answer, Scale, answer_problems, default_target
from assessments.selectors import Sheet, SheetRow
from smartcity.models import Indicator, ScaleLevel

FORMAT = "smartcity-assessment-xlsx/1"
META_SHEET = "meta"  # hidden and machine-read: never translated
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NA_TOKEN = "N/A"
MAX_ROWS_READ = 5000  # a sheet is ~100 rows; more means it is not our workbook
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # refuse zip bombs before openpyxl unpacks them
MAX_PROBLEMS = 300
DASH = "\u2013"

EDITABLE_FILL = PatternFill("solid", fgColor="FFF2CC")
EDITABLE_HEADER_FILL = PatternFill("solid", fgColor="FFD966")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP_WRAP = Alignment(vertical="top", wrap_text=True)
TOP = Alignment(vertical="top")
UNLOCKED = Protection(locked=False)
SMALL_FONT = Font(size=9, color="404040")
SMALL_PRINT = ("descriptors", "guidance")  # reference texts: smaller, so more of them shows


@dataclass(frozen=True)
class Column:
    key: str
    title: Callable[[], str]
    width: float
    editable: bool = False
    hidden: bool = False
    wrap: bool = False

    @property
    def letter(self) -> str:
        return get_column_letter(COLUMN_INDEX[self.key])


COLUMNS = (
    Column("pillar", lambda: _("Pillar"), 16, wrap=True),
    Column("element", lambda: _("Element"), 20, wrap=True),
    Column("code", lambda: _("Indicator code"), 12),
    Column("indicator", lambda: _("Indicator"), 36, wrap=True),
    Column("level", lambda: _("Level (choose)"), 24, editable=True),
    Column(
        "na_reason", lambda: _("Reason it does not apply (N/A only)"), 28, editable=True, wrap=True
    ),
    Column("narrative", lambda: _("Narrative"), 50, editable=True, wrap=True),
    Column("target", lambda: _("Target level (choose)"), 24, editable=True),
    Column("evidence_from", lambda: _("Evidence required from level"), 16, wrap=True),
    Column("evidence_count", lambda: _("Evidence attached online"), 13, wrap=True),
    Column("descriptors", lambda: _("Level descriptors"), 70, wrap=True),
    Column("guidance", lambda: _("Guidance"), 70, wrap=True),
    Column("response_id", lambda: _("Row id (do not change)"), 10, hidden=True),
    Column("version", lambda: _("Version (do not change)"), 10, hidden=True),
    Column("checksum", lambda: _("Checksum (do not change)"), 12, hidden=True),
)
COLUMN_INDEX = {column.key: index for index, column in enumerate(COLUMNS, start=1)}
BY_KEY = {column.key: column for column in COLUMNS}
# Which column a rule's field name (from rules.answer_problems) points at.
FIELD_COLUMN = {
    "self_level": "level",
    "not_applicable": "level",
    "na_reason": "na_reason",
    "narrative": "narrative",
    "target_level": "target",
}


def answers_sheet_title() -> str:
    return pgettext("excel sheet", "Assessment")


def instructions_sheet_title() -> str:
    return pgettext("excel sheet", "Instructions")


def na_choice() -> str:
    label = _("Not applicable")
    return f"{NA_TOKEN} {DASH} {label}"


def level_choice(level: ScaleLevel) -> str:
    return f"{level.value} {DASH} {level.label}"


def file_name(sheet: Sheet) -> str:
    """penilaian-<region code>-<cycle year>.xlsx, ASCII only."""
    assessment = sheet.assessment
    code = re.sub(r"[^A-Za-z0-9.]+", "-", assessment.region.code).strip("-") or "daerah"
    return f"penilaian-{code}-{assessment.cycle.year}.xlsx"


# --- Answers as the workbook shows them --------------------------------------------------------
def _normalised(answer: Answer) -> Answer:
    """An answer as it would be stored: trimmed texts; N/A has no level, target or stray reason."""
    na = answer.not_applicable
    return Answer(
        self_level=None if na else answer.self_level,
        not_applicable=na,
        na_reason=_clean(answer.na_reason) if na else "",
        narrative=_clean(answer.narrative),
        target_level=None if na else answer.target_level,
    )


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _checksum(answer: Answer) -> str:
    a = _normalised(answer)
    payload = [a.self_level, a.not_applicable, a.na_reason, a.narrative, a.target_level]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:16]


def stored_answer(row: SheetRow) -> Answer:
    response = row.response
    return Answer(
        self_level=response.self_level,
        not_applicable=response.not_applicable,
        na_reason=response.na_reason,
        narrative=response.narrative,
        target_level=response.target_level,
    )


# --- Building ----------------------------------------------------------------------------------
def build_workbook(sheet: Sheet, *, downloaded_at: datetime) -> bytes:
    """The assessment as an .xlsx workbook in the active language (see the module docstring)."""
    workbook = Workbook()
    answers = workbook.active
    answers.title = answers_sheet_title()
    instructions = workbook.create_sheet(instructions_sheet_title())
    meta = workbook.create_sheet(META_SHEET)
    level_range, na_range = _write_meta(meta, sheet, downloaded_at)
    _write_answers(answers, sheet, level_range, na_range)
    _write_instructions(instructions, sheet, downloaded_at)
    meta.sheet_state = "hidden"
    workbook.security = WorkbookProtection(lockStructure=True)  # no password: against accidents
    workbook.properties.title = f"{sheet.assessment.region.name} · {sheet.assessment.cycle.title}"
    workbook.properties.creator = _("Smart City Maturity")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_meta(meta: Worksheet, sheet: Sheet, downloaded_at: datetime) -> tuple[str, str]:
    assessment = sheet.assessment
    framework = assessment.cycle.framework
    rows = [
        ("format", FORMAT),
        ("assessment_id", assessment.pk),
        ("region_code", assessment.region.code),
        ("region_name", assessment.region.name),
        ("cycle_id", assessment.cycle_id),
        ("cycle_title", assessment.cycle.title),
        ("cycle_year", assessment.cycle.year),
        ("framework_slug", framework.slug),
        ("framework_version", framework.version),
        ("language", translation.get_language()),
        ("downloaded_at", downloaded_at.isoformat()),
    ]
    for index, (key, value) in enumerate(rows, start=1):
        meta.cell(index, 1, key)
        meta.cell(index, 2, value)
    choices = [level_choice(level) for level in sheet.levels]
    meta.cell(1, 4, "levels")
    meta.cell(1, 5, "levels_or_na")
    for index, choice in enumerate([*choices, na_choice()], start=2):
        if index - 2 < len(choices):
            meta.cell(index, 4, choice)
        meta.cell(index, 5, choice)
    last = len(choices) + 1
    reference = quote_sheetname(META_SHEET)
    meta.protection = SheetProtection(sheet=True)
    return f"{reference}!$D$2:$D${last}", f"{reference}!$E$2:$E${last + 1}"


def _row_values(row: SheetRow, pillar: str, element: str, labels: dict[int, str]) -> list:
    indicator, response = row.indicator, row.response
    answer = stored_answer(row)
    level = na_choice() if response.not_applicable else _level_text(response.self_level, labels)
    evidence_from = (
        _level_text(indicator.evidence_from_level, labels)
        if indicator.evidence_from_level is not None
        else _("no evidence required")
    )
    guidance = [indicator.description] if indicator.description else []
    guidance += [
        _("How to reach level %(level)s") % {"level": d.level + 1} + f": {d.next}"
        for d in row.descriptors
        if d.next
    ]
    return [
        pillar,
        element,
        indicator.code,
        indicator.name,
        level,
        response.na_reason if response.not_applicable else "",
        response.narrative,
        _level_text(response.target_level, labels),
        evidence_from,
        len(row.evidence),
        "\n".join(f"{d.level} {DASH} {d.text}" for d in row.descriptors),
        "\n\n".join(guidance),
        response.pk,
        response.version,
        _checksum(answer),
    ]


def _level_text(value: int | None, labels: dict[int, str]) -> str:
    if value is None:
        return ""
    return f"{value} {DASH} {labels[value]}" if value in labels else str(value)


def _write_answers(ws: Worksheet, sheet: Sheet, level_range: str, na_range: str) -> None:
    labels = {level.value: level.label for level in sheet.levels}
    for column in COLUMNS:
        cell = ws.cell(1, COLUMN_INDEX[column.key], column.title())
        cell.font = Font(bold=True, color="000000" if column.editable else "FFFFFF")
        cell.fill = EDITABLE_HEADER_FILL if column.editable else HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cell.border = BORDER
        dimension = ws.column_dimensions[column.letter]
        dimension.width = column.width
        dimension.hidden = column.hidden
    ws.row_dimensions[1].height = 45
    validations = _validations(level_range, na_range)
    row_number = 1
    for part in sheet.pillars:
        for item in part.elements:
            for row in item.rows:
                row_number += 1
                values = _row_values(row, part.pillar.name, item.element.name, labels)
                for column, value in zip(COLUMNS, values, strict=True):
                    cell = ws.cell(row_number, COLUMN_INDEX[column.key], value)
                    cell.alignment = TOP_WRAP if column.wrap else TOP
                    if column.key in SMALL_PRINT:
                        cell.font = SMALL_FONT
                    cell.border = BORDER
                    if column.editable:
                        cell.fill = EDITABLE_FILL
                        cell.protection = UNLOCKED
                level_validation = "level_na" if row.indicator.allow_na else "level"
                validations[level_validation].add(f"{BY_KEY['level'].letter}{row_number}")
                validations["target"].add(f"{BY_KEY['target'].letter}{row_number}")
                validations["narrative"].add(f"{BY_KEY['narrative'].letter}{row_number}")
                ws.row_dimensions[row_number].height = _row_height(values)
    for validation in validations.values():
        if validation.sqref.ranges:
            ws.add_data_validation(validation)
    last_visible = get_column_letter(COLUMN_INDEX["guidance"])
    ws.freeze_panes = "E2"
    ws.auto_filter.ref = f"A1:{last_visible}{row_number}"
    ws.protection = SheetProtection(
        sheet=True, formatColumns=False, formatRows=False, autoFilter=False
    )
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _validations(level_range: str, na_range: str) -> dict[str, DataValidation]:
    def choice_list(source: str, prompt: str) -> DataValidation:
        return DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Not one of the choices")[:32],
            error=_("Choose a level from the drop-down list.")[:225],
            showInputMessage=True,
            promptTitle=_("Choose from the list")[:32],
            prompt=prompt[:255],
        )

    narrative = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(NARRATIVE_MAX_LENGTH),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Narrative too long")[:32],
        error=(_("Keep the narrative under %(max)d characters.") % {"max": NARRATIVE_MAX_LENGTH})[
            :225
        ],
    )
    return {
        "level": choice_list(level_range, _("The level your region has reached now.")),
        "level_na": choice_list(
            na_range, _("The level reached now, or N/A with the reason in the next column.")
        ),
        "target": choice_list(level_range, _("Empty: the cycle's default target is used.")),
        "narrative": narrative,
    }


def _row_height(values: list) -> float:
    """Points tall enough for the descriptors and the answer, within reason (the guidance, often
    longer, shows in full when its cell is selected)."""
    height = 3 * 15.0
    for column, value in zip(COLUMNS, values, strict=True):
        if column.wrap and column.key != "guidance" and isinstance(value, str) and value:
            small = column.key in SMALL_PRINT
            per_line = max(int(column.width * (1.3 if small else 1.1)), 1)
            lines = sum(max(1, -(-len(part) // per_line)) for part in value.split("\n"))
            height = max(height, lines * (12.0 if small else 15.0))
    return min(height, 150.0)


def _write_instructions(ws: Worksheet, sheet: Sheet, downloaded_at: datetime) -> None:
    assessment = sheet.assessment
    framework = assessment.cycle.framework
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 100
    reason = BY_KEY["na_reason"].title()
    evidence = BY_KEY["evidence_count"].title()
    downloaded = date_format(timezone.localtime(downloaded_at), "j F Y H:i")
    lines: list[tuple[str, str, str]] = [
        ("title", f"{assessment.region.name} · {assessment.cycle.title}", ""),
        ("", _("Framework"), f"{framework.title} v{framework.version}"),
        ("", _("Downloaded on"), downloaded),
        ("", "", ""),
        ("heading", _("How to fill in this workbook"), ""),
        ("", "1", _(
            "Fill in the yellow cells of the sheet “%(sheet)s”: the level, the narrative and the "
            "target level of each indicator. The other cells are locked."
        ) % {"sheet": answers_sheet_title()}),
        ("", "2", _(
            "Choose the level from the drop-down list, or type its number. Choose “%(na)s” only "
            "where the list offers it, and write the reason in the column “%(reason)s”."
        ) % {"na": na_choice(), "reason": reason}),
        ("", "3", _(
            "The target level cannot be below the current level. Leave it empty to use the "
            "cycle's default target."
        )),
        ("", "4", _(
            "Evidence files cannot be put in this workbook: upload them, or add links, on the "
            "assessment's pages in the web application. The column “%(column)s” shows how many "
            "are attached now."
        ) % {"column": evidence}),
        ("", "5", _(
            "Save the workbook as an Excel workbook (.xlsx), not .xls or .csv, and upload it on "
            "the page “Upload Excel” of this assessment."
        )),
        ("", "6", _(
            "The upload is all or nothing: if any row has a problem, nothing is saved and the "
            "page lists every problem by sheet, row and column. Fix them and upload again."
        )),
        ("", "7", _(
            "If someone saves an indicator online after you downloaded this workbook and you "
            "change the same indicator here, your change is refused: download the workbook "
            "again. Rows you did not change are never a conflict."
        )),
        ("", "8", _("Do not add, delete, move or rename sheets, rows or columns.")),
        ("", "", ""),
        ("heading", _("The maturity scale"), ""),
    ]  # fmt: skip
    lines += [("", level_choice(level), level.description) for level in sheet.levels]
    lines.append(
        (
            "",
            na_choice(),
            _("Only for indicators whose list offers it; write the reason it does not apply."),
        )
    )
    for number, (style, first, second) in enumerate(lines, start=1):
        a, b = ws.cell(number, 1, first), ws.cell(number, 2, second)
        a.alignment = TOP_WRAP
        b.alignment = TOP_WRAP
        if style == "title":
            a.font = Font(bold=True, size=14)
        elif style == "heading":
            a.font = Font(bold=True, size=12)
        else:
            a.font = Font(bold=True)
        if len(second) > 95:
            ws.row_dimensions[number].height = 15 * -(-len(second) // 95)
    ws.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False)


# --- Reading -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One reason an upload is refused, located as precisely as the file allows."""

    sheet: str
    row: int | None
    column: str
    column_title: str
    message: str


@dataclass(frozen=True)
class RowChange:
    row: int
    code: str
    response_id: int
    expected_version: int
    answer: Answer


@dataclass
class UploadResult:
    problems: list[Problem] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    unchanged: int = 0


@dataclass(frozen=True)
class CurrentAnswer:
    """What is stored now for one indicator, for comparison with an uploaded row."""

    response_id: int
    indicator: Indicator
    version: int
    answer: Answer
    updated_by: str
    updated_at: datetime | None


@dataclass(frozen=True)
class UploadContext:
    """Everything an upload is checked against, read from the database by the caller."""

    assessment_id: int
    region_name: str
    cycle_title: str
    framework_slug: str
    framework_version: int
    levels: list[ScaleLevel]
    target_step: int
    target_cap: int | None
    current: dict[str, CurrentAnswer]

    @property
    def scale(self) -> Scale:
        return Scale(tuple(level.value for level in self.levels))


def upload_context(sheet: Sheet) -> UploadContext:
    """The context of an upload from a sheet loaded with `assessment_sheet(details=False)`."""
    assessment = sheet.assessment
    current = {
        row.indicator.code: CurrentAnswer(
            response_id=row.response.pk,
            indicator=row.indicator,
            version=row.response.version,
            answer=stored_answer(row),
            updated_by=str(row.response.updated_by or _("someone else")),
            updated_at=row.response.updated_at,
        )
        for row in sheet.rows()
    }
    return UploadContext(
        assessment_id=assessment.pk,
        region_name=assessment.region.name,
        cycle_title=assessment.cycle.title,
        framework_slug=assessment.cycle.framework.slug,
        framework_version=assessment.cycle.framework.version,
        levels=sheet.levels,
        target_step=assessment.cycle.target_step,
        target_cap=assessment.cycle.target_cap,
        current=current,
    )


class _Refused(Exception):
    """The file cannot be read any further; `problem` says why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.message)


def _file_problem(message: str) -> Problem:
    return Problem("", None, "", "", message)


def read_upload(data: bytes, context: UploadContext) -> UploadResult:
    """Check an uploaded workbook against the assessment; the changes are valid only when no
    problem was found (the caller then saves them all, or nothing)."""
    try:
        _check_container(data)
        workbook = _open(data)
    except _Refused as refused:
        return UploadResult(problems=[refused.problem])
    try:
        _check_meta(workbook, context)
        answers = _answers_sheet(workbook)
        return _read_rows(answers, context)
    except _Refused as refused:
        return UploadResult(problems=[refused.problem])
    finally:
        workbook.close()


OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refuse(message: str) -> NoReturn:
    raise _Refused(_file_problem(message))


def _damaged() -> str:
    return _(
        "The file is damaged or incomplete and cannot be opened as an Excel workbook. Save it "
        "again in Excel as .xlsx (or download a fresh copy) and upload it again."
    )


def _check_container(data: bytes) -> None:
    """Name the file's real kind when it is not an .xlsx workbook (by content, not by name)."""
    if data.startswith(OLE2_SIGNATURE):
        _refuse(_(
            "This file is in the old Excel 97-2003 format (.xls). Open it in Excel, choose "
            "File › Save As › Excel Workbook (.xlsx), and upload the .xlsx file."
        ))  # fmt: skip
    if data.startswith(b"%PDF-"):
        _refuse(_(
            "This file is a PDF document, not an Excel workbook (.xlsx). Upload the workbook "
            "downloaded from this page, filled in and saved as .xlsx."
        ))  # fmt: skip
    if not data.startswith(b"PK\x03\x04"):
        _refuse(_(
            "This file is not an Excel workbook (.xlsx); it may be a CSV or another kind of "
            "file renamed. Upload the workbook downloaded from this page, saved as .xlsx."
        ))  # fmt: skip
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError) as error:
        raise _Refused(_file_problem(_damaged())) from error
    if b"opendocument" in mimetype:
        _refuse(_(
            "This file is an OpenDocument spreadsheet (.ods). Save it as an Excel workbook "
            "(.xlsx) and upload that file."
        ))  # fmt: skip
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        _refuse(_(
            "This file is not an Excel workbook (.xlsx). Upload the workbook downloaded from "
            "this page, saved as .xlsx."
        ))  # fmt: skip
    if unpacked > MAX_UNPACKED_BYTES:
        _refuse(_damaged())


def _open(data: bytes) -> Workbook:
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    # A damaged workbook can fail anywhere in openpyxl's XML and zip handling.
    except Exception as error:
        raise _Refused(_file_problem(_damaged())) from error


def _in_each_language(text: Callable[[], str]) -> set[str]:
    texts = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts.add(text())
    return texts


def _check_meta(workbook, context: UploadContext) -> None:
    if META_SHEET not in workbook.sheetnames:
        raise _Refused(_not_ours())
    meta = {}
    for key, value, *_rest in workbook[META_SHEET].iter_rows(
        min_row=1, max_row=40, max_col=2, values_only=True
    ):
        if isinstance(key, str):
            meta[key] = value
    if meta.get("format") != FORMAT:
        raise _Refused(_not_ours())
    same = (
        str(meta.get("assessment_id")) == str(context.assessment_id)
        and meta.get("framework_slug") == context.framework_slug
        and str(meta.get("framework_version")) == str(context.framework_version)
    )
    if not same:
        raise _Refused(
            _file_problem(
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
        )


def _not_ours() -> Problem:
    return _file_problem(
        _(
            "This workbook was not downloaded from this application (its hidden sheet “%(meta)s” "
            "is missing or changed). Download the workbook of this assessment and fill that one in."
        )
        % {"meta": META_SHEET}
    )


def _answers_sheet(workbook) -> Worksheet:
    for title in _in_each_language(answers_sheet_title):
        if title in workbook.sheetnames:
            return workbook[title]
    raise _Refused(
        Problem(
            answers_sheet_title(),
            None,
            "",
            "",
            _(
                "The sheet “%(sheet)s” is missing. Do not rename or delete sheets; download the "
                "workbook again if needed."
            )
            % {"sheet": answers_sheet_title()},
        )
    )


def _problem(ws: Worksheet, row: int | None, key: str, message: str) -> Problem:
    column = BY_KEY[key]
    return Problem(ws.title, row, column.letter, column.title(), message)


def _header_problems(ws: Worksheet, header: tuple) -> list[Problem]:
    problems = []
    for column in COLUMNS:
        found = _text(header[COLUMN_INDEX[column.key] - 1])
        if _key(found) not in {_key(t) for t in _in_each_language(column.title)}:
            problems.append(
                _problem(
                    ws,
                    1,
                    column.key,
                    _(
                        "The heading of this column should be “%(expected)s” but is “%(found)s”. "
                        "Do not add, move, rename or delete columns; download the workbook again "
                        "if needed."
                    )
                    % {"expected": column.title(), "found": found},
                )
            )
    return problems


def _read_rows(ws: Worksheet, context: UploadContext) -> UploadResult:
    rows = ws.iter_rows(min_row=1, max_col=len(COLUMNS), values_only=True)
    header = tuple(next(rows, ()))
    header += (None,) * (len(COLUMNS) - len(header))
    header_problems = _header_problems(ws, header)
    if header_problems:
        return UploadResult(problems=header_problems)
    reader = _RowReader(ws, context)
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS_READ:
            reader.refuse(number, "code", _("The sheet has far more rows than indicators."))
            break
        values = tuple(values) + (None,) * (len(COLUMNS) - len(values))
        if any(_text(value) for value in values):
            reader.read(number, {column.key: values[i] for i, column in enumerate(COLUMNS)})
    result = reader.result
    if len(result.problems) > MAX_PROBLEMS:
        hidden = len(result.problems) - MAX_PROBLEMS
        result.problems[MAX_PROBLEMS:] = [
            _file_problem(
                ngettext("…and %(count)d more problem.", "…and %(count)d more problems.", hidden)
                % {"count": hidden}
            )
        ]
    if not result.problems and not reader.seen_codes:
        result.problems.append(
            Problem(ws.title, None, "", "", _("The sheet has no indicator rows."))
        )
    return result


class _RowReader:
    """Reads the answer rows one by one, collecting changes, unchanged rows and problems."""

    def __init__(self, ws: Worksheet, context: UploadContext) -> None:
        self.ws = ws
        self.context = context
        self.choices = _choices(context.levels)
        self.seen_codes: dict[str, int] = {}
        self.seen_ids: dict[int, int] = {}
        self.result = UploadResult()

    def refuse(self, number: int, key: str, message: str) -> None:
        self.result.problems.append(_problem(self.ws, number, key, message))

    def read(self, number: int, cells: dict) -> None:
        current = self._identify(number, cells)
        if current is None:
            return
        answer = self._answer(number, cells)
        if answer is None:
            return
        if _text(cells["checksum"]) == _checksum(answer):
            self.result.unchanged += 1  # as downloaded: never a change, never a conflict
            return
        rule_problems = answer_problems(answer, current.indicator, self.context.scale)
        for field_name, message in rule_problems.items():
            self.refuse(number, FIELD_COLUMN.get(field_name, "level"), message)
        if not rule_problems:
            self._classify(number, answer, _whole(cells["version"]), current)

    def _identify(self, number: int, cells: dict) -> CurrentAnswer | None:
        """The stored answer this row is about, if its code and hidden id are intact."""
        code = _text(cells["code"])
        current = self.context.current.get(code)
        response_id, version = _whole(cells["response_id"]), _whole(cells["version"])
        code_row = self.seen_codes.setdefault(code, number) if code else number
        id_row = self.seen_ids.setdefault(response_id, number) if response_id else number
        if not code:
            self.refuse(number, "code", _("The indicator code is missing. Do not change it."))
        elif current is None:
            self.refuse(
                number,
                "code",
                _("“%(code)s” is not an indicator of this assessment.") % {"code": code},
            )
        elif code_row != number:
            self.refuse(
                number,
                "code",
                _("Indicator %(code)s appears more than once (also in row %(row)d).")
                % {"code": code, "row": code_row},
            )
        elif id_row != number:
            self.refuse(
                number,
                "response_id",
                _(
                    "The hidden row id appears more than once (also in row %(row)d). Do not "
                    "copy rows; download the workbook again."
                )
                % {"row": id_row},
            )
        elif response_id != current.response_id:
            self.refuse(
                number,
                "response_id",
                _(
                    "The hidden row id does not match indicator %(code)s. Do not copy or move "
                    "rows between files; download the workbook again."
                )
                % {"code": code},
            )
        elif version is None or version < 1:
            self.refuse(
                number,
                "version",
                _("The hidden version number is missing or changed. Download the workbook again."),
            )
        else:
            return current
        return None

    def _answer(self, number: int, cells: dict) -> Answer | None:
        level = _choice(cells["level"], self.choices)
        target = _choice(cells["target"], self.choices)
        if level is _INVALID:
            self.refuse(
                number,
                "level",
                _(
                    "“%(value)s” is not one of the choices. Pick a level from the drop-down list "
                    "(for example “%(example)s”), type its number, or N/A."
                )
                % {"value": _text(cells["level"]), "example": self.choices[EXAMPLE]},
            )
        if target is _INVALID:
            self.refuse(
                number,
                "target",
                _(
                    "“%(value)s” is not one of the choices. Pick a target level from the "
                    "drop-down list, type its number, or leave it empty."
                )
                % {"value": _text(cells["target"])},
            )
        elif target is _NA:
            self.refuse(
                number,
                "target",
                _("The target level cannot be N/A; choose a level or leave it empty."),
            )
        if level is _INVALID or target in (_INVALID, _NA):
            return None
        reason = _text(cells["na_reason"])
        return Answer(
            self_level=None if level is _NA else level,
            # A reason means the row is meant as N/A; the rules then refuse a level beside it.
            not_applicable=level is _NA or bool(reason),
            na_reason=reason,
            narrative=_text(cells["narrative"]),
            target_level=target,
        )

    def _classify(self, number: int, answer: Answer, version: int, current: CurrentAnswer) -> None:
        """Equal to what is stored now, a change, or a conflict with a save made online."""
        wanted = _effective(answer, self.context)
        stored = _normalised(current.answer)
        if wanted == stored:
            self.result.unchanged += 1
        elif version != current.version:
            key = _first_difference(wanted, stored)
            self.result.problems.append(
                conflict_problem(self.ws.title, number, key, current.updated_by, current.updated_at)
            )
        else:
            change = RowChange(number, current.indicator.code, current.response_id, version, answer)
            self.result.changes.append(change)


def conflict_problem(
    sheet_title: str, row: int, key: str, who: str, when: datetime | None
) -> Problem:
    """The row changes an indicator that someone else saved online after the download."""
    column = BY_KEY[key]
    moment = date_format(timezone.localtime(when), "j F Y H:i") if when else "?"
    return Problem(
        sheet_title,
        row,
        column.letter,
        column.title(),
        _(
            "%(who)s saved this indicator online on %(when)s, after this workbook was downloaded. "
            "Your change to it was not imported: download the workbook again, make your change "
            "there and upload it."
        )
        % {"who": who, "when": moment},
    )


def _effective(answer: Answer, context: UploadContext) -> Answer:
    """The answer as saving would store it, with the cycle's default target for an empty one."""
    answer = _normalised(answer)
    if answer.target_level is None and answer.self_level is not None:
        target = default_target(
            answer.self_level, context.scale, step=context.target_step, cap=context.target_cap
        )
        answer = Answer(
            answer.self_level, answer.not_applicable, answer.na_reason, answer.narrative, target
        )
    return answer


def _first_difference(wanted: Answer, stored: Answer) -> str:
    if (wanted.self_level, wanted.not_applicable) != (stored.self_level, stored.not_applicable):
        return "level"
    if wanted.na_reason != stored.na_reason:
        return "na_reason"
    if wanted.narrative != stored.narrative:
        return "narrative"
    return "target"


_NA = object()
_INVALID = object()
EXAMPLE = "\x00example"  # a choice text to quote in messages; never a key of a real choice


def _key(text: str) -> str:
    """Choices compare without case, spaces or the kind of dash."""
    return re.sub(r"\s+", "", text.casefold().replace(DASH, "-").replace("\u2014", "-"))


def _choices(levels: list[ScaleLevel]) -> dict[str, object]:
    choices: dict[str, object] = {}
    for level in levels:
        for label in (level.label_id, level.label_en):
            choices[_key(f"{level.value}-{label}")] = level.value
    for text in _in_each_language(na_choice) | {NA_TOKEN, "NA", "N.A."}:
        choices[_key(text)] = _NA
    for text in _in_each_language(lambda: _("Not applicable")):
        choices[_key(text)] = _NA
    choices[EXAMPLE] = level_choice(levels[min(2, len(levels) - 1)])
    return choices


def _choice(value: object, choices: dict) -> object:
    """None (empty), a level number, _NA, or _INVALID."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return _INVALID
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else _INVALID
    key = _key(_text(value))
    if key in choices:
        return choices[key]
    if re.fullmatch(r"[+-]?\d+", key):
        return int(key)
    return _INVALID


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip() if isinstance(value, str) else str(value)
