"""The XLSX workbook for the budget team: action plan, roadmap by year, budget by funding
source and year, indicator scores. Rupiah cells are numbers with a number format; every sheet
has a frozen header row and a filter. User texts go through `safe_cell_text`."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from masterplan.exports.content import Book
from smartcity.spreadsheets import safe_cell_value

RUPIAH = '"Rp"#,##0'
HEADER_FILL = PatternFill("solid", fgColor="E6EFF3")


def _sheet(workbook: Workbook, title: str, header: list[str], widths: list[int]) -> Worksheet:
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _finish(sheet: Worksheet, money_columns: range) -> None:
    sheet.auto_filter.ref = sheet.dimensions
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column in money_columns:
                cell.number_format = RUPIAH


def book_xlsx(book: Book) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    years = book.funding_years

    plan = _sheet(
        workbook,
        _("Action plan"),
        [
            "#",
            _("Action"),
            _("Dimension"),
            _("Horizon"),
            _("Lead OPD"),
            _("Start year"),
            _("End year"),
            _("Budget (IDR)"),
            _("Funding source"),
            _("KPI"),
        ],
        [5, 60, 30, 14, 30, 10, 10, 18, 18, 40],
    )
    for item in book.items:
        plan.append(
            [
                item.number,
                safe_cell_value(item.title),
                safe_cell_value(item.dimension),
                item.horizon,
                safe_cell_value(item.lead_opd),
                item.start_year,
                item.end_year,
                item.budget,
                item.funding,
                safe_cell_value(item.kpi),
            ]
        )
    _finish(plan, range(8, 9))

    roadmap = _sheet(
        workbook,
        _("Road map"),
        ["#", _("Action"), *[str(year) for year in years]],
        [5, 60, *[16 for _year in years]],
    )
    for item in book.items:
        span = item.end_year - item.start_year + 1
        share, remainder = divmod(item.budget, span)
        roadmap.append(
            [
                item.number,
                safe_cell_value(item.title),
                *[
                    share + (remainder if year == item.start_year else 0)
                    if item.start_year <= year <= item.end_year
                    else None
                    for year in years
                ],
            ]
        )
    _finish(roadmap, range(3, 3 + len(years)))

    budget = _sheet(
        workbook,
        _("Budget"),
        [_("Funding source"), *[str(year) for year in years], _("Total")],
        [28, *[16 for _year in years], 18],
    )
    for label, amounts, total in book.funding_rows:
        budget.append([label, *amounts, total])
    last = len(book.funding_rows) + 1
    budget.auto_filter.ref = f"A1:{get_column_letter(len(years) + 2)}{last}"
    budget.append([_("Total"), *book.funding_totals, book.total])
    for cell in budget[last + 1]:
        cell.font = Font(bold=True)
    for row in budget.iter_rows(min_row=2):
        for cell in row[1:]:
            cell.number_format = RUPIAH

    scores = _sheet(
        workbook,
        _("Indicator scores"),
        [_("Code"), _("Indicator"), _("Level"), _("Target"), _("Level descriptor")],
        [12, 50, 20, 20, 70],
    )
    for row in book.annex:
        scores.append([row.code, row.name, row.level, row.target, safe_cell_value(row.descriptor)])
    _finish(scores, range(0))

    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
