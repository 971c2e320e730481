"""The history of one answer: every saved change of it and of its evidence, newest first."""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments import selectors
from assessments.models import IndicatorResponse, ReviewState
from assessments.views.display import LEVEL_FIELDS, level_text
from smartcity.models import ScaleLevel


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: object
    title: str
    changes: list[Change] = field(default_factory=list)


TRACKED = (
    "self_level",
    "not_applicable",
    "na_reason",
    "narrative",
    "target_level",
    "verified_level",
    "verification_reason",
    "review_state",
    "flagged",
    "flag_note",
    "carried_over",
)


def _shown(name: str, value, levels: dict[int, ScaleLevel]) -> str:
    if name in LEVEL_FIELDS:
        return level_text(value, levels)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "review_state":
        return str(ReviewState(value).label) if value else "—"
    return value if value not in (None, "") else "—"


def _response_entries(records: list, levels: dict[int, ScaleLevel]) -> list[HistoryEntry]:
    """One entry per saved change, newest first.

    Responses are bulk-created when a cycle opens, without a history record: the oldest record is
    then the first save, shown with its values only (what it replaced is not known).
    """
    labels = {name: str(IndicatorResponse._meta.get_field(name).verbose_name) for name in TRACKED}
    entries = []
    for position, record in enumerate(records):
        older = records[position + 1] if position + 1 < len(records) else None
        if older is None:
            title = _("First saved answer") if record.history_type == "~" else _("Created")
            changes = [
                Change(labels[name], "", _shown(name, value, levels))
                for name in TRACKED
                if (value := getattr(record, name)) not in (None, "", False)
                and name not in ("carried_over", "review_state")
            ]
        else:
            title = _("Answer changed")
            changes = [
                Change(
                    labels[name],
                    _shown(name, getattr(older, name), levels),
                    _shown(name, getattr(record, name), levels),
                )
                for name in TRACKED
                if getattr(older, name) != getattr(record, name)
            ]
            if not changes:
                continue  # only the version moved
        who = record.history_user or record.updated_by
        entries.append(HistoryEntry(record.history_date, who, title, changes))
    return entries


def _evidence_entries(records: list) -> list[HistoryEntry]:
    titles = {
        "+": _("Evidence added"),
        "-": _("Evidence removed"),
        "~": _("Evidence changed"),
    }
    entries = []
    for record in records:
        name = record.original_name or record.url
        detail = record.description
        removed = record.history_type == "-"
        changes = [Change(_("Evidence"), name if removed else "", "" if removed else name)]
        if detail:
            changes.append(
                Change(_("Description"), detail if removed else "", "" if removed else detail)
            )
        who = record.history_user or record.uploaded_by
        entries.append(HistoryEntry(record.history_date, who, titles[record.history_type], changes))
    return entries


@require_GET
def response_history(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    """Every change of one answer and of its evidence, newest first, and where it came from."""
    assessment = selectors.assessment_for(request.user, pk)
    response = selectors.response_for(assessment, response_pk)
    records, evidence_records, origin = selectors.response_history(response)
    sheet = selectors.assessment_sheet(
        assessment, element_code=response.indicator.element.code, details=False
    )
    levels = {level.value: level for level in sheet.levels}
    entries = _response_entries(records, levels) + _evidence_entries(evidence_records)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return render(
        request,
        "assessments/history.html",
        {
            "assessment": assessment,
            "response": response,
            "indicator": response.indicator,
            "element": response.indicator.element,
            "entries": entries,
            "origin": origin,
            "origin_level": level_text(origin.analysis_level, levels) if origin else "",
        },
    )


urlpatterns = [
    path(
        "<int:pk>/responses/<int:response_pk>/history/",
        response_history,
        name="response_history",
    ),
]
