"""The official's pages: assessment list, overview, element page with autosave, and submit.

Every page looks the assessment up through `selectors.assessment_for` (404 outside the user's
scope). Facilitators and administrators in scope see the same pages read-only; the services refuse
any write they attempt. Forms post normally (PRG) and, with htmx, swap only the part that changed:
the autosave answer never replaces the inputs a person is typing in.
"""

from dataclasses import dataclass, field
from itertools import groupby

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import evidence_types, selectors, services
from assessments.forms import ANSWER_FIELDS, AnswerForm
from assessments.models import Assessment, IndicatorResponse
from assessments.rules import NARRATIVE_MAX_LENGTH, Scale
from assessments.selectors import SheetRow
from assessments.views.display import LEVEL_FIELDS, deadline, indicator_anchor, level_text
from smartcity import access
from smartcity.models import PillarKind, ScaleLevel

ACCEPTED_FILES = ",".join(
    sorted({f".{ext}" for ext in evidence_types.CONTENT_TYPES} | {".jpeg"})
    + sorted(set(evidence_types.CONTENT_TYPES.values()))
)


# --- List and overview --------------------------------------------------------------------------
def assessment_list(request: HttpRequest) -> HttpResponse:
    """The assessments of the regions the user may see, newest cycle first, with progress.

    Progress comes from the same single query as the list (an aggregate over the responses).
    """
    assessments = list(selectors.assessments_with_progress(request.user))
    today = timezone.localdate()
    for assessment in assessments:
        assessment.deadline = deadline(assessment, today)
    return render(request, "assessments/list.html", {"assessments": assessments})


def _pillar_groups(sheet: selectors.Sheet) -> list[tuple[str, list]]:
    """Dimensions first (they make up the index), then the readiness pillars beside it."""
    groups = []
    for kind, label in (
        (PillarKind.DIMENSION, _("Dimensions")),
        (PillarKind.READINESS, _("Readiness")),
    ):
        pillars = [part for part in sheet.pillars if part.pillar.kind == kind]
        if pillars:
            groups.append((label, pillars))
    return groups


def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """One assessment: status and deadline, what was flagged, progress per element, what is
    missing, the submit button while the official may still change it, the timeline."""
    assessment = selectors.assessment_for(request.user, pk)
    sheet = selectors.assessment_sheet(assessment, details=False)
    rows = sheet.rows()
    can_edit = services.edit_refusal(assessment, request.user) is None
    return render(
        request,
        "assessments/overview.html",
        {
            "assessment": assessment,
            "groups": _pillar_groups(sheet),
            "flagged": [
                (item.element, row)
                for part in sheet.pillars
                for item in part.elements
                for row in item.rows
                if row.response.flagged
            ],
            "answered": sum(1 for row in rows if row.response.is_answered),
            "total": len(rows),
            "gaps": selectors.submission_gaps(assessment),
            "events": selectors.timeline_of(assessment),
            "can_edit": can_edit,
            "can_review": access.can_review_region(request.user, assessment.region),
            "deadline": deadline(assessment, timezone.localdate()),
        },
    )


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
    def target_options(self) -> list[tuple[int, str]]:
        return [(value, level_text(value, self.levels)) for value in self.levels]


def _choices(row: SheetRow, levels: list[ScaleLevel]) -> list[LevelChoice]:
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


def _response_values(response: IndicatorResponse) -> dict:
    return {
        "self_level": response.self_level,
        "not_applicable": response.not_applicable,
        "na_reason": response.na_reason,
        "narrative": response.narrative,
        "target_level": response.target_level,
    }


def _posted_values(data) -> dict:
    return {
        "self_level": data.get("self_level", ""),
        "not_applicable": data.get("not_applicable") in ("on", "true", "1", "True"),
        "na_reason": data.get("na_reason", ""),
        "narrative": data.get("narrative", ""),
        "target_level": data.get("target_level", ""),
    }


def _card(row: SheetRow, element_code: str, levels: list[ScaleLevel], editable: bool) -> Card:
    return Card(
        row=row,
        element_code=element_code,
        choices=_choices(row, levels),
        levels={level.value: level for level in levels},
        editable=editable,
        values=_response_values(row.response),
        version=row.response.version,
    )


def _comparison(
    current: IndicatorResponse, mine: dict, levels: dict, *, allow_na: bool
) -> list[tuple[str, ...]]:
    """Rows of (field, what the other person saved, what this person tried to save)."""
    theirs = _response_values(current)
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


def element_context(request: HttpRequest, assessment: Assessment, code: str) -> dict:
    sheet = selectors.assessment_sheet(assessment, element_code=code)
    outline = [
        item
        for part in selectors.assessment_sheet(assessment, details=False).pillars
        for item in part.elements
    ]
    position = next(i for i, item in enumerate(outline) if item.element.code == code)
    editable = services.edit_refusal(assessment, request.user) is None
    part = sheet.pillars[0]
    cards = [_card(row, code, sheet.levels, editable) for row in part.elements[0].rows]
    return {
        "assessment": assessment,
        "pillar": part.pillar,
        "element": part.elements[0].element,
        "cards": cards,
        "editable": editable,
        "position": position + 1,
        "count": len(outline),
        "previous": outline[position - 1] if position > 0 else None,
        "next": outline[position + 1] if position + 1 < len(outline) else None,
        "accept": ACCEPTED_FILES,
        "max_upload": filesizeformat(evidence_types.max_upload_bytes()),
        "narrative_max": NARRATIVE_MAX_LENGTH,
    }


def render_element(
    request: HttpRequest,
    assessment: Assessment,
    code: str,
    *,
    response_pk: int | None = None,
    outcome: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The element page; `outcome` sets attributes of one card (a refused save, an error)."""
    context = element_context(request, assessment, code)
    if response_pk is not None and outcome:
        for card in context["cards"]:
            if card.response.pk == response_pk:
                for name, value in outcome.items():
                    setattr(card, name, value)
    return render(request, "assessments/element.html", context, status=status)


@require_GET
def element(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """One element: a card per indicator with its answer form, evidence and discussion.

    `?card=<response id>` from htmx returns only that card's answer form, as saved now.
    """
    assessment = selectors.assessment_for(request.user, pk)
    wanted = request.GET.get("card", "")
    if request.htmx and wanted.isascii() and wanted.isdigit():
        card_pk = int(wanted)
        context = element_context(request, assessment, code)
        for card in context["cards"]:
            if card.response.pk == card_pk:
                return render(
                    request, "assessments/filling/answer_form.html", {**context, "card": card}
                )
    return render_element(request, assessment, code)


# --- Saving an answer -----------------------------------------------------------------------------
@require_POST
def response_save(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    """Save one answer: 200 saved, 422 invalid, 409 someone else saved first, 403 not allowed.

    htmx gets the card's save state (plus the new version, out of band); a plain post is
    redirected to the card on success and gets the element page again otherwise.
    """
    assessment = selectors.assessment_for(request.user, pk)
    response = selectors.response_for(assessment, response_pk)
    element_code = response.indicator.element.code
    sheet = selectors.assessment_sheet(assessment, element_code=element_code, details=False)
    levels = {level.value: level for level in sheet.levels}
    form = AnswerForm(
        request.POST,
        indicator=response.indicator,
        scale=Scale(tuple(levels)),
        response=response,
    )
    mine = _posted_values(request.POST)
    # A refused save is shown with the version the person started from, never a newer one, so
    # saving again cannot silently overwrite what someone else saved meanwhile.
    posted_version = request.POST.get("version", "")
    started_from = (
        int(posted_version)
        if posted_version.isascii() and posted_version.isdigit()
        else response.version
    )
    outcome: dict = {"values": mine, "version": started_from}
    refusal = services.edit_refusal(assessment, request.user)
    if refusal:
        outcome.update(state="refused", message=refusal)
        status = 403
    elif not form.is_valid():
        outcome.update(state="invalid", errors=form.errors)
        status = 422
    else:
        try:
            response = services.response_save(
                response=response,
                user=request.user,
                expected_version=form.expected_version,
                answer=form.answer(),
            )
        except services.StaleResponse as stale:
            outcome.update(
                state="stale",
                message=str(stale),
                current=stale.current,
                comparison=_comparison(
                    stale.current, mine, levels, allow_na=response.indicator.allow_na
                ),
            )
            status = 409
        except services.InvalidAnswer as invalid:
            form.add_problems(invalid.problems)
            outcome.update(state="invalid", errors=form.errors)
            status = 422
        except services.NotAllowed as refused:
            outcome.update(state="refused", message=str(refused))
            status = 403
        else:
            outcome.update(
                state="saved",
                values=_response_values(response),
                version=response.version,
                target_followed=form.target_followed_level,
            )
            status = 200
    if request.htmx:
        row = SheetRow(indicator=response.indicator, response=response)
        card = _card(row, element_code, sheet.levels, editable=refusal is None)
        for name, value in outcome.items():
            setattr(card, name, value)
        posted_target = mine["target_level"]
        context = {
            "assessment": assessment,
            "card": card,
            "answer_fields": [
                name
                for name in ANSWER_FIELDS
                if response.indicator.allow_na or name not in ("not_applicable", "na_reason")
            ],
            "target_changed": status == 200
            and str(response.target_level or "") != str(posted_target or ""),
        }
        reply = render(request, "assessments/filling/save_result.html", context, status=status)
        reply["X-Autosave-State"] = card.state  # autosave.js trusts only replies carrying it
        return reply
    if status == 200:
        messages.success(
            request,
            _("Your answer to %(code)s was saved.") % {"code": response.indicator.code},
        )
        return redirect(indicator_anchor(assessment, element_code, response.indicator.code))
    return render_element(
        request,
        assessment,
        element_code,
        response_pk=response.pk,
        outcome=outcome,
        status=status,
    )


# --- Submission -----------------------------------------------------------------------------------
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the assessment to the facilitators; refused with every gap while anything is missing."""
    assessment = selectors.assessment_for(request.user, pk)
    try:
        services.assessment_submit(assessment=assessment, user=request.user)
    except services.SubmissionRefused as refused:
        sheet = selectors.assessment_sheet(assessment, details=False)
        elements = {
            item.element.code: item.element for part in sheet.pillars for item in part.elements
        }
        groups = [
            (elements.get(code), code, list(gaps))
            for code, gaps in groupby(refused.gaps, key=lambda gap: gap.element_code)
        ]
        return render(
            request,
            "assessments/submit_refused.html",
            {"assessment": assessment, "groups": groups, "count": len(refused.gaps)},
            status=422,
        )
    except services.NotAllowed as refused:
        messages.error(request, str(refused))
        return redirect("assessments:overview", assessment.pk)
    messages.success(
        request,
        _(
            "The assessment was submitted to the facilitators. It can no longer be changed "
            "unless it is returned for revision."
        ),
    )
    return redirect("assessments:overview", assessment.pk)


urlpatterns = [
    path("", assessment_list, name="list"),
    path("<int:pk>/", overview, name="overview"),
    path("<int:pk>/elements/<str:code>/", element, name="element"),
    path("<int:pk>/responses/<int:response_pk>/", response_save, name="response_save"),
    path("<int:pk>/submit/", submit, name="submit"),
]
