"""The instructions sheet: what the workbook is, how to fill it in, and the maturity scale."""

from datetime import datetime

from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from assessments.excel.layout import (
    BY_KEY,
    answers_sheet_title,
    format_moment,
    level_choice,
    na_choice,
)
from assessments.excel.styles import BOLD, TOP_WRAP
from assessments.selectors import Sheet
from smartcity.spreadsheets import safe_cell_text

FONTS = {"title": Font(bold=True, size=14), "heading": Font(bold=True, size=12)}
CHARACTERS_PER_LINE = 95  # of the second column, 100 wide


def title_of(sheet: Sheet) -> str:
    """Region and cycle, the workbook's title."""
    assessment = sheet.assessment
    return f"{assessment.region.name} · {assessment.cycle.title}"


def write_instructions(
    ws: Worksheet, sheet: Sheet, downloaded_at: datetime, *, read_only: bool = False
) -> None:
    """Two columns of text (style, first column, second column per line); locked. A read-only
    record says so instead of how to fill it in."""
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 100
    lines = _record_lines(sheet, downloaded_at) if read_only else _lines(sheet, downloaded_at)
    for number, (style, first, second) in enumerate(lines, start=1):
        a, b = ws.cell(number, 1, safe_cell_text(first)), ws.cell(number, 2, safe_cell_text(second))
        a.alignment = TOP_WRAP
        b.alignment = TOP_WRAP
        a.font = FONTS.get(style, BOLD)
        if len(second) > CHARACTERS_PER_LINE:
            ws.row_dimensions[number].height = 15 * -(-len(second) // CHARACTERS_PER_LINE)
    ws.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False)


def _lines(sheet: Sheet, downloaded_at: datetime) -> list[tuple[str, str, str]]:
    framework = sheet.assessment.cycle.framework
    reason = BY_KEY["na_reason"].title()
    evidence = BY_KEY["evidence_count"].title()
    lines: list[tuple[str, str, str]] = [
        ("title", title_of(sheet), ""),
        ("", _("Framework"), f"{framework.title} v{framework.version}"),
        ("", _("Downloaded on"), format_moment(downloaded_at)),
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
    na_note = _("Only for indicators whose list offers it; write the reason it does not apply.")
    lines.append(("", na_choice(), na_note))
    return lines


def _record_lines(sheet: Sheet, downloaded_at: datetime) -> list[tuple[str, str, str]]:
    """The instructions of a read-only record: what it holds, and the scale."""
    assessment = sheet.assessment
    framework = assessment.cycle.framework
    lines: list[tuple[str, str, str]] = [
        ("title", title_of(sheet), ""),
        ("", _("Framework"), f"{framework.title} v{framework.version}"),
        ("", _("Downloaded on"), format_moment(downloaded_at)),
        ("", "", ""),
        ("heading", _("A read-only record"), ""),
        ("", _("Status"), assessment.get_status_display()),
        ("", "", _(
            "The region submitted this assessment: the workbook records its answers and, where "
            "the facilitator verified them, the verified level and the reason, in the last "
            "columns of the sheet “%(sheet)s”. Every cell is locked and the workbook cannot be "
            "uploaded; if the assessment is returned for revision, download the workbook again "
            "to fill it in."
        ) % {"sheet": answers_sheet_title()}),
        ("", "", ""),
        ("heading", _("The maturity scale"), ""),
    ]  # fmt: skip
    lines += [("", level_choice(level), level.description) for level in sheet.levels]
    return lines
