"""How workflow values are shown on pages: levels, deadlines, links to an indicator."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Assessment
from smartcity.models import ScaleLevel

LEVEL_FIELDS = ("self_level", "target_level", "verified_level")


@dataclass(frozen=True)
class Deadline:
    """A cycle's closing date and the days left (negative: passed); None when not counting."""

    closes_on: date
    days_left: int | None

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def state(self) -> str:
        if self.days_left is None:
            return "closed"
        if self.days_left < 0:
            return "passed"
        return "today" if self.days_left == 0 else "open"

    @property
    def text(self) -> str:
        if self.days_left is None:
            return ""
        if self.days_left < 0:
            return ngettext(
                "deadline passed %(days)d day ago",
                "deadline passed %(days)d days ago",
                -self.days_left,
            ) % {"days": -self.days_left}
        if self.days_left == 0:
            return _("deadline today")
        return ngettext("%(days)d day left", "%(days)d days left", self.days_left) % {
            "days": self.days_left
        }


def deadline_of(closes_on: date, today: date) -> Deadline:
    """The countdown to a closing date."""
    return Deadline(closes_on, (closes_on - today).days)


def deadline(assessment: Assessment, today: date) -> Deadline:
    """The countdown to the region's deadline (its extension, if it has one) while it still has
    work to do; no countdown once it has submitted."""
    if not assessment.is_editable:
        return Deadline(assessment.due_on, None)
    return deadline_of(assessment.due_on, today)


def level_text(value, levels: dict[int, ScaleLevel]) -> str:
    """A level as people read it: '2 – Terkelola'; an em dash when empty."""
    if value in (None, ""):
        return "—"
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    level = levels.get(number)
    return f"{number} – {level.label}" if level else str(number)


def indicator_anchor(assessment: Assessment, element_code: str, indicator_code: str) -> str:
    """The element page scrolled to one indicator's card."""
    url = reverse("assessments:element", args=[assessment.pk, element_code])
    return f"{url}#indicator-{indicator_code}"
