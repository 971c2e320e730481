"""What both directions agree on: the columns, the sheet names and the texts of the choices."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.utils import get_column_letter

from smartcity.models import ScaleLevel

FORMAT = "smartcity-assessment-xlsx/1"
META_SHEET = "meta"  # hidden and machine-read: never translated
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NA_TOKEN = "N/A"
DASH = "\u2013"


@dataclass(frozen=True)
class Column:
    key: str
    title: Callable[[], str]
    width: float
    editable: bool = False
    hidden: bool = False
    wrap: bool = False

    @property
    def index(self) -> int:
        return COLUMN_INDEX[self.key]

    @property
    def letter(self) -> str:
        return get_column_letter(self.index)


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


def answers_sheet_title() -> str:
    """The name of the sheet with the answers, in the active language."""
    return pgettext("excel sheet", "Assessment")


def instructions_sheet_title() -> str:
    """The name of the sheet with the instructions, in the active language."""
    return pgettext("excel sheet", "Instructions")


def labelled(value: object, label: str) -> str:
    """A value with its label, as the workbook shows levels and choices: "2 – Managed"."""
    return f"{value} {DASH} {label}"


def na_label() -> str:
    return _("Not applicable")


def na_choice() -> str:
    """The drop-down choice for "not applicable"."""
    return labelled(NA_TOKEN, na_label())


def level_choice(level: ScaleLevel) -> str:
    """The drop-down choice for a level of the scale."""
    return labelled(level.value, level.label)


def format_moment(moment: datetime) -> str:
    """A moment in local time, as the workbook and its problems show it."""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
