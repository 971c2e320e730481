"""Writing an assessment's workbook: the answers, the instructions and the hidden meta sheet.

Each answer row carries hidden columns: the response id, its version at download, and the checksum
of the answer as downloaded (see `answers.checksum`). Once the region has submitted (submitted, in
review, approved) the workbook is a read-only record instead: every cell locked, no drop-downs,
and three more columns with the facilitator's review, verified level and reason (`REVIEW_COLUMNS`).
"""

import io
import re
from collections.abc import Iterator
from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from assessments.excel.answers import checksum, stored_answer
from assessments.excel.instructions import title_of, write_instructions
from assessments.excel.layout import (
    BY_KEY,
    COLUMNS,
    FORMAT,
    META_SHEET,
    answers_sheet_title,
    instructions_sheet_title,
    labelled,
    level_choice,
    na_choice,
)
from assessments.excel.styles import (
    BORDER,
    EDITABLE_FILL,
    EDITABLE_HEADER_FILL,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    SMALL_FONT,
    SMALL_PRINT,
    TOP,
    TOP_WRAP,
    UNLOCKED,
)
from assessments.models import ReviewState
from assessments.rules import NARRATIVE_MAX_LENGTH, narrative_too_long
from assessments.selectors import Sheet, SheetRow
from smartcity.spreadsheets import safe_cell_value


def build_workbook(sheet: Sheet, *, downloaded_at: datetime) -> bytes:
    """The assessment as an .xlsx workbook in the active language (see the module docstring)."""
    workbook = Workbook()
    answers = workbook.active
    answers.title = answers_sheet_title()
    instructions = workbook.create_sheet(instructions_sheet_title())
    meta = workbook.create_sheet(META_SHEET)
    level_range, na_range = _write_meta(meta, sheet, downloaded_at)
    read_only = not sheet.assessment.is_editable
    _write_answers(answers, sheet, level_range, na_range, read_only=read_only)
    write_instructions(instructions, sheet, downloaded_at, read_only=read_only)
    meta.sheet_state = "hidden"
    workbook.security = WorkbookProtection(lockStructure=True)  # no password: against accidents
    workbook.properties.title = title_of(sheet)
    workbook.properties.creator = _("Smart City Maturity")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(sheet: Sheet) -> str:
    """penilaian-<region code>-<cycle year>.xlsx, ASCII only."""
    assessment = sheet.assessment
    code = re.sub(r"[^A-Za-z0-9.]+", "-", assessment.region.code).strip("-") or "daerah"
    return f"penilaian-{code}-{assessment.cycle.year}.xlsx"


# --- The hidden meta sheet ---------------------------------------------------------------------
def _write_meta(meta: Worksheet, sheet: Sheet, downloaded_at: datetime) -> tuple[str, str]:
    """The identity of the assessment, and the drop-down choices; their two ranges."""
    for index, (key, value) in enumerate(_identity(sheet, downloaded_at), start=1):
        meta.cell(index, 1, key)
        meta.cell(index, 2, safe_cell_value(value))
    choices = [level_choice(level) for level in sheet.levels]
    level_range = _write_choices(meta, 4, "levels", choices)
    na_range = _write_choices(meta, 5, "levels_or_na", [*choices, na_choice()])
    meta.protection = SheetProtection(sheet=True)
    return level_range, na_range


def _identity(sheet: Sheet, downloaded_at: datetime) -> list[tuple[str, object]]:
    """Key and value pairs; reading checks the format, the assessment and the framework."""
    assessment = sheet.assessment
    framework = assessment.cycle.framework
    return [
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


def _write_choices(meta: Worksheet, column: int, name: str, choices: list[str]) -> str:
    """A named list of choices down one column; the range a drop-down takes them from."""
    meta.cell(1, column, name)
    for index, choice in enumerate(choices, start=2):
        meta.cell(index, column, choice)
    letter = get_column_letter(column)
    return f"{quote_sheetname(META_SHEET)}!${letter}$2:${letter}${len(choices) + 1}"


# --- The answers sheet -------------------------------------------------------------------------
def _write_answers(
    ws: Worksheet, sheet: Sheet, level_range: str, na_range: str, *, read_only: bool
) -> None:
    labels = {level.value: level.label for level in sheet.levels}
    validations = _validations(level_range, na_range)
    _write_header(ws, read_only=read_only)
    last_row = 1  # the header, while there are no indicator rows
    for number, (pillar, element, row) in enumerate(_rows(sheet), start=2):
        _write_row(ws, number, _row_values(row, pillar, element, labels), read_only=read_only)
        if read_only:
            _write_review(ws, number, row, labels)
        else:
            _validate_row(validations, number, allow_na=row.indicator.allow_na)
        last_row = number
    for validation in validations.values():
        if validation.sqref.ranges:
            ws.add_data_validation(validation)
    _set_up_sheet(ws, last_row)


# After the other columns (past the hidden ones, so a read-only record keeps the same layout).
REVIEW_COLUMNS = (
    (lambda: _("Review"), 16),
    (lambda: _("Verified level"), 24),
    (lambda: _("Facilitator's reason"), 50),
)


def _write_review(ws: Worksheet, number: int, row: SheetRow, labels: dict[int, str]) -> None:
    """The facilitator's review of one row: its state, the verified level and the reason."""
    response = row.response
    verified = ""
    if response.review_state != ReviewState.PENDING:
        verified = (
            na_choice()
            if response.verified_level is None
            else _level_text(response.verified_level, labels)
        )
    values = (response.get_review_state_display(), verified, response.verification_reason)
    for offset, value in enumerate(values, start=len(COLUMNS) + 1):
        cell = ws.cell(number, offset, safe_cell_value(value))
        cell.alignment = TOP_WRAP
        cell.border = BORDER


def _rows(sheet: Sheet) -> Iterator[tuple[str, str, SheetRow]]:
    """Every indicator row in framework order, with the names of its pillar and element."""
    for part in sheet.pillars:
        for item in part.elements:
            for row in item.rows:
                yield part.pillar.name, item.element.name, row


def _write_header(ws: Worksheet, *, read_only: bool) -> None:
    headers = [(column.index, column.title(), column.width, column.editable, column.hidden)
               for column in COLUMNS]  # fmt: skip
    if read_only:
        headers += [
            (len(COLUMNS) + offset, title(), width, False, False)
            for offset, (title, width) in enumerate(REVIEW_COLUMNS, start=1)
        ]
    for index, title, width, editable, hidden in headers:
        editable = editable and not read_only
        cell = ws.cell(1, index, title)
        cell.font = Font(bold=True, color="000000" if editable else "FFFFFF")
        cell.fill = EDITABLE_HEADER_FILL if editable else HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        cell.border = BORDER
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = width
        dimension.hidden = hidden
    ws.row_dimensions[1].height = 45


def _validate_row(validations: dict[str, DataValidation], number: int, *, allow_na: bool) -> None:
    validations["level_na" if allow_na else "level"].add(f"{BY_KEY['level'].letter}{number}")
    validations["target"].add(f"{BY_KEY['target'].letter}{number}")
    validations["narrative"].add(f"{BY_KEY['narrative'].letter}{number}")


def _write_row(ws: Worksheet, number: int, values: list, *, read_only: bool) -> None:
    for column, value in zip(COLUMNS, values, strict=True):
        cell = ws.cell(number, column.index, safe_cell_value(value))
        cell.alignment = TOP_WRAP if column.wrap else TOP
        if column.key in SMALL_PRINT:
            cell.font = SMALL_FONT
        cell.border = BORDER
        if column.editable and not read_only:
            cell.fill = EDITABLE_FILL
            cell.protection = UNLOCKED
    ws.row_dimensions[number].height = _row_height(values)


def _set_up_sheet(ws: Worksheet, last_row: int) -> None:
    """Frozen header and indicator columns, a filter, protection, and printing on landscape."""
    ws.freeze_panes = "E2"
    ws.auto_filter.ref = f"A1:{BY_KEY['guidance'].letter}{last_row}"
    ws.protection = SheetProtection(
        sheet=True, formatColumns=False, formatRows=False, autoFilter=False
    )
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _row_values(row: SheetRow, pillar: str, element: str, labels: dict[int, str]) -> list:
    """The cells of one answer row, in the order of `COLUMNS`."""
    indicator, response = row.indicator, row.response
    level = na_choice() if response.not_applicable else _level_text(response.self_level, labels)
    evidence_from = (
        _level_text(indicator.evidence_from_level, labels)
        if indicator.evidence_from_level is not None
        else _("no evidence required")
    )
    return [
        pillar,
        element,
        indicator.code,
        indicator.name,
        level,
        response.na_reason if response.not_applicable else "",
        response.narrative,
        _level_text(response.stated_target, labels),
        evidence_from,
        len(row.evidence),
        "\n".join(labelled(d.level, d.text) for d in row.descriptors),
        _guidance(row),
        response.pk,
        response.version,
        checksum(stored_answer(row)),
    ]


def _level_text(value: int | None, labels: dict[int, str]) -> str:
    if value is None:
        return ""
    return labelled(value, labels[value]) if value in labels else str(value)


def _guidance(row: SheetRow) -> str:
    """The indicator's description, then how to reach each next level."""
    guidance = [row.indicator.description] if row.indicator.description else []
    guidance += [
        _("How to reach level %(level)s") % {"level": d.level + 1} + f": {d.next}"
        for d in row.descriptors
        if d.next
    ]
    return "\n\n".join(guidance)


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


def _validations(level_range: str, na_range: str) -> dict[str, DataValidation]:
    """The drop-down lists and the narrative's length limit, not yet applied to any cell."""
    too_long = narrative_too_long()
    narrative = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(NARRATIVE_MAX_LENGTH),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Narrative too long")[:32],
        error=too_long[:225],
    )
    return {
        "level": _choice_list(level_range, _("The level your region has reached now.")),
        "level_na": _choice_list(
            na_range, _("The level reached now, or N/A with the reason in the next column.")
        ),
        "target": _choice_list(level_range, _("Empty: the cycle's default target is used.")),
        "narrative": narrative,
    }


def _choice_list(source: str, prompt: str) -> DataValidation:
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
