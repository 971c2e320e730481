"""Why an upload is refused: each problem located by sheet, row and column where the file allows."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from assessments.excel.layout import BY_KEY, format_moment
from assessments.models import IndicatorResponse


@dataclass(frozen=True)
class Problem:
    """One reason an upload is refused, located as precisely as the file allows."""

    sheet: str
    row: int | None
    column: str
    column_title: str
    message: str


def file_problem(message: str, *, sheet: str = "") -> Problem:
    """A problem of the whole file, or of a whole sheet."""
    return Problem(sheet, None, "", "", message)


def cell_problem(sheet: str, row: int | None, key: str, message: str) -> Problem:
    """A problem in the column `key` (see `layout.COLUMNS`) of a row of the answers sheet."""
    column = BY_KEY[key]
    return Problem(sheet, row, column.letter, column.title(), message)


def saved_by(response: IndicatorResponse) -> str:
    """Who saved the answer last, as a conflict names them."""
    return str(response.updated_by or _("someone else"))


def conflict_problem(
    sheet_title: str, row: int, key: str, who: str, when: datetime | None
) -> Problem:
    """The row changes an indicator that someone else saved online after the download."""
    message = _(
        "%(who)s saved this indicator online on %(when)s, after this workbook was downloaded. "
        "Your change to it was not imported: download the workbook again, make your change "
        "there and upload it."
    ) % {"who": who, "when": format_moment(when) if when else "?"}
    return cell_problem(sheet_title, row, key, message)
