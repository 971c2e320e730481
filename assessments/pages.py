"""What the filling and review pages show, built from the sheet: pure presentation, no queries.

The views look things up (selectors), act (services) and render; the dataclasses here are the
page models their templates read: an indicator card of the element page with the outcome of its
last save, the review page's items, progress and filters, the review queue's rows.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.forms import ANSWER_FIELDS, AnswerForm
from assessments.models import Assessment, IndicatorResponse, ReviewState
from assessments.selectors import Sheet, SheetRow
from assessments.services import SaveOutcome, SaveState
from assessments.views.display import LEVEL_FIELDS, Deadline, level_text
from smartcity.models import Element, Pillar, ScaleLevel

# Server-side filters of the review page: query value -> which rows it keeps.
REVIEW_FILTERS = ("pending", "adjusted", "evidence", "changed")


# --- Element page -------------------------------------------------------------------------------
@dataclass(frozen=True)
class LevelChoice:
    value: int
    label: str
    text: str
    next: str
    next_level: int | None


@dataclass
class Card:
    """Everything one indicator card shows: its row, the answer as shown, and the last outcome."""

    row: SheetRow
    element_code: str
    choices: list[LevelChoice]
    levels: dict[int, ScaleLevel]
    editable: bool
    values: dict
    version: int
    errors: dict = field(default_factory=dict)
    # "" (as loaded), "saved", "invalid", "stale" or "refused"
    state: str = ""
    message: str = ""
    current: IndicatorResponse | None = None
    comparison: list[tuple[str, str, str]] = field(default_factory=list)
    target_followed: bool = False
    evidence_error: str = ""
    evidence_message: str = ""
    link_values: dict = field(default_factory=dict)

    @property
    def response(self) -> IndicatorResponse:
        return self.row.response

    @property
    def selected_level(self) -> int | None:
        try:
            return int(self.values.get("self_level"))
        except (TypeError, ValueError):
            return None

    @property
    def other_errors(self) -> list[str]:
        """Errors of no field shown on the card (the version, N/A where it is not offered)."""
        shown = set(ANSWER_FIELDS)
        if not self.row.indicator.allow_na:
            shown -= {"not_applicable", "na_reason"}
        return [m for name, errors in self.errors.items() if name not in shown for m in errors]

    @property
    def verified_label(self) -> str:
        return verified_label(self.response, self.levels)

    @property
    def previous_verified_label(self) -> str:
        return previous_verified_label(self.response, self.levels)

    @property
    def default_target_chosen(self) -> bool:
        """Whether the select shows "the cycle's default" (no target of the official's own)."""
        return self.values.get("target_level") in (None, "")

    @property
    def default_target_text(self) -> str:
        """The level the cycle's default stands for now ("" when it is not the target)."""
        response = self.response
        if not response.target_is_default or response.target_level is None:
            return ""
        return level_text(response.target_level, self.levels)

    @property
    def target_options(self) -> list[tuple[int, str]]:
        return [(value, level_text(value, self.levels)) for value in self.levels]


def verified_label(response: IndicatorResponse, levels: dict[int, ScaleLevel]) -> str:
    """The facilitator's level as people read it ("" until verified; "N/A" accepted)."""
    if response.review_state == ReviewState.PENDING:
        return ""
    if response.verified_level is None:
        return _("N/A")
    return level_text(response.verified_level, levels)


def previous_verified_label(response: IndicatorResponse, levels: dict[int, ScaleLevel]) -> str:
    """A verification that a change after it set aside ("" when there is none)."""
    level = response.previous_verified_level
    return level_text(level, levels) if level is not None else ""


@dataclass(frozen=True)
class FlaggedItem:
    """A flagged indicator in the overview's list (and the resubmit confirmation)."""

    element: Element
    row: SheetRow
    verified_label: str
    previous_verified_label: str


def flagged_items(sheet: Sheet, codes: list[str] | None = None) -> list[FlaggedItem]:
    """The sheet's flagged indicators in framework order (only `codes`, when given)."""
    levels = levels_of(sheet)
    return [
        FlaggedItem(
            item.element,
            row,
            verified_label(row.response, levels),
            previous_verified_label(row.response, levels),
        )
        for part in sheet.pillars
        for item in part.elements
        for row in item.rows
        if row.response.flagged and (codes is None or row.indicator.code in codes)
    ]


def level_choices(row: SheetRow, levels: list[ScaleLevel]) -> list[LevelChoice]:
    """Every level of the scale with this indicator's descriptor (a generic level's own text)."""
    descriptors = {d.level: d for d in row.descriptors}
    values = [level.value for level in levels]
    choices = []
    for position, level in enumerate(levels):
        descriptor = None if level.generic else descriptors.get(level.value)
        above = values[position + 1] if position + 1 < len(values) else None
        if descriptor is not None:
            guidance = descriptor.next
        else:
            # A generic level has no guidance of its own: the next level's descriptor is the goal.
            following = descriptors.get(above)
            guidance = following.text if following is not None else ""
        choices.append(
            LevelChoice(
                value=level.value,
                label=level.label,
                text=descriptor.text if descriptor is not None else level.description,
                next=guidance if above is not None else "",
                next_level=above,
            )
        )
    return choices


def response_values(response: IndicatorResponse) -> dict:
    return {
        "self_level": response.self_level,
        "not_applicable": response.not_applicable,
        "na_reason": response.na_reason,
        "narrative": response.narrative,
        "target_level": response.stated_target,
    }


def card_for(row: SheetRow, element_code: str, levels: list[ScaleLevel], editable: bool) -> Card:
    return Card(
        row=row,
        element_code=element_code,
        choices=level_choices(row, levels),
        levels={level.value: level for level in levels},
        editable=editable,
        values=response_values(row.response),
        version=row.response.version,
    )


def comparison(
    current: IndicatorResponse, mine: dict, levels: dict, *, allow_na: bool
) -> list[tuple[str, ...]]:
    """Rows of (field, what the other person saved, what this person tried to save)."""
    theirs = response_values(current)
    names = [
        name for name in ANSWER_FIELDS if allow_na or name not in ("not_applicable", "na_reason")
    ]

    def shown(name: str, value) -> str:
        if name in LEVEL_FIELDS:
            return level_text(value, levels)
        if name == "not_applicable":
            return _("Yes") if value else _("No")
        return value or "—"

    return [
        (
            str(AnswerForm.base_fields[name].label),
            shown(name, theirs[name]),
            shown(name, mine[name]),
        )
        for name in names
    ]


def card_outcome(outcome: SaveOutcome, form: AnswerForm, levels: dict[int, ScaleLevel]) -> dict:
    """The attributes of a `Card` that show how a save ended: what is shown in the inputs (the
    saved answer, or what the person entered), the version, and the state with its details."""
    entered = form.entered()
    shown: dict = {"state": outcome.state.value, "values": entered, "version": form.started_from()}
    if outcome.state == SaveState.SAVED:
        shown.update(
            values=response_values(outcome.response),
            version=outcome.response.version,
            target_followed=form.target_followed_level,
        )
    elif outcome.state == SaveState.INVALID:
        shown["errors"] = form.errors
    elif outcome.state == SaveState.STALE:
        allow_na = outcome.response.indicator.allow_na
        shown.update(
            message=outcome.message,
            current=outcome.current,
            comparison=comparison(outcome.current, entered, levels, allow_na=allow_na),
        )
    else:
        shown["message"] = outcome.message
    return shown


# --- Review queue ---------------------------------------------------------------------------------
def days_waiting(submitted_at, today: date) -> int:
    if submitted_at is None:
        return 0
    return max(0, (today - timezone.localtime(submitted_at).date()).days)


def waiting_text(days: int) -> str:
    if days == 0:
        return _("submitted today")
    return ngettext("waiting %(days)d day", "waiting %(days)d days", days) % {"days": days}


@dataclass(frozen=True)
class QueueRow:
    assessment: Assessment
    waiting_days: int
    deadline: Deadline

    @property
    def waiting(self) -> str:
        return waiting_text(self.waiting_days)


# --- Review page ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RoundChange:
    """How one answer changed since the assessment was last returned (empty: unchanged)."""

    level_before: str = ""
    level_now: str = ""
    narrative_before: str | None = None
    narrative_now: str = ""
    evidence_added: list[str] = field(default_factory=list)
    evidence_removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.level_before
            or self.narrative_before is not None
            or self.evidence_added
            or self.evidence_removed
        )


def _answer_level_text(level: int | None, not_applicable: bool, levels: dict) -> str:
    return _("N/A") if not_applicable else level_text(level, levels)


def round_change(row: SheetRow, levels: dict[int, ScaleLevel]) -> RoundChange:
    """The answer now against the answer as returned (`returned_answer`), from a detailed sheet
    row; nothing before the first return."""
    before = row.response.returned_answer
    if not before:
        return RoundChange()
    response = row.response
    was = _answer_level_text(before.get("self_level"), before.get("not_applicable", False), levels)
    now = _answer_level_text(response.self_level, response.not_applicable, levels)
    evidence_then = before.get("evidence", {})
    evidence_now = {str(e.pk): e.original_name or e.url for e in row.evidence}
    narrative_changed = before.get("narrative", "") != response.narrative
    return RoundChange(
        level_before=was if was != now else "",
        level_now=now if was != now else "",
        narrative_before=before.get("narrative", "") if narrative_changed else None,
        narrative_now=response.narrative if narrative_changed else "",
        evidence_added=[label for pk, label in evidence_now.items() if pk not in evidence_then],
        evidence_removed=[label for pk, label in evidence_then.items() if pk not in evidence_now],
    )


@dataclass(frozen=True)
class LevelOption:
    value: int
    label: str
    descriptor: str
    checked: bool
    is_self: bool


@dataclass
class ReviewItem:
    """One indicator on the review page: its sheet row plus what the verify form shows."""

    row: SheetRow
    self_label: str
    target_label: str
    verified_label: str
    options: list[LevelOption]
    reason: str
    error: str = ""
    change: RoundChange = field(default_factory=RoundChange)
    previous_verified_label: str = ""

    @property
    def response(self) -> IndicatorResponse:
        return self.row.response

    @property
    def reason_required(self) -> bool:
        """The chosen level differs from the self level, so setting it needs a reason."""
        return any(option.checked and not option.is_self for option in self.options)


@dataclass
class ReviewElement:
    element: Element
    items: list[ReviewItem]
    reviewed: int
    total: int


@dataclass
class ReviewPillar:
    pillar: Pillar
    elements: list[ReviewElement] = field(default_factory=list)


@dataclass(frozen=True)
class Progress:
    total: int
    pending: int
    adjusted: int
    with_evidence: int
    changed_or_flagged: int = 0

    @property
    def reviewed(self) -> int:
        return self.total - self.pending

    @property
    def percent(self) -> int:
        return round(100 * self.reviewed / self.total) if self.total else 0


@dataclass(frozen=True)
class Posted:
    """What the facilitator sent for one indicator, to show it again beside the error."""

    error: str
    level: int | None = None
    reason: str = ""
    keep_level: bool = True


def review_item(row: SheetRow, levels: dict[int, ScaleLevel], posted: Posted | None) -> ReviewItem:
    response = row.response
    descriptors = {d.level: d.text for d in row.descriptors}
    selected = (
        response.verified_level if response.verified_level is not None else response.self_level
    )
    reason = response.verification_reason
    error = ""
    if posted is not None:
        error = posted.error
        reason = posted.reason
        if posted.keep_level and posted.level is not None:
            selected = posted.level
    options = [
        LevelOption(
            value=value,
            label=level.label,
            descriptor=descriptors.get(value, ""),
            checked=value == selected,
            is_self=value == response.self_level,
        )
        for value, level in levels.items()
    ]
    return ReviewItem(
        row=row,
        self_label=level_text(response.self_level, levels),
        target_label=level_text(response.target_level, levels),
        verified_label=level_text(response.verified_level, levels),
        options=options,
        reason=reason,
        error=error,
        change=round_change(row, levels),
        previous_verified_label=previous_verified_label(response, levels),
    )


def review_pillars(
    sheet: Sheet, show: str, posted: dict[int, Posted] | None = None
) -> list[ReviewPillar]:
    """The review page's pillars -> elements -> items, keeping the rows of the `show` filter
    (elements and pillars left empty are dropped); `posted` shows a refused verification again."""
    levels = levels_of(sheet)
    posted = posted or {}
    pillars = []
    for sheet_pillar in sheet.pillars:
        part = ReviewPillar(sheet_pillar.pillar)
        for sheet_element in sheet_pillar.elements:
            items = [
                review_item(row, levels, posted.get(row.response.pk))
                for row in sheet_element.rows
                if _keeps(row, show)
            ]
            if items:
                reviewed = sum(
                    1 for r in sheet_element.rows if r.response.review_state != ReviewState.PENDING
                )
                part.elements.append(
                    ReviewElement(sheet_element.element, items, reviewed, sheet_element.total)
                )
        if part.elements:
            pillars.append(part)
    return pillars


def levels_of(sheet: Sheet) -> dict[int, ScaleLevel]:
    """The sheet's scale levels by value."""
    return {level.value: level for level in sheet.levels}


def _keeps(row: SheetRow, show: str) -> bool:
    if show == "pending":
        return row.response.review_state == ReviewState.PENDING
    if show == "adjusted":
        return row.response.review_state == ReviewState.ADJUSTED
    if show == "evidence":
        return bool(row.evidence)
    if show == "changed":
        return row.response.flagged or bool(round_change(row, {}))
    return True


def progress_of(sheet: Sheet) -> Progress:
    rows = sheet.rows()
    return Progress(
        total=len(rows),
        pending=sum(1 for r in rows if r.response.review_state == ReviewState.PENDING),
        adjusted=sum(1 for r in rows if r.response.review_state == ReviewState.ADJUSTED),
        with_evidence=sum(1 for r in rows if r.evidence),
        changed_or_flagged=sum(1 for r in rows if _keeps(r, "changed")),
    )


def filters_of(progress: Progress) -> list[tuple[str, str, int]]:
    """(query value, label, count) of each filter of the review page."""
    return [
        ("", _("All"), progress.total),
        ("pending", _("Not yet reviewed"), progress.pending),
        ("adjusted", _("Adjusted"), progress.adjusted),
        ("evidence", _("With evidence"), progress.with_evidence),
        ("changed", _("Changed since return / flagged"), progress.changed_or_flagged),
    ]
