"""The official's pages: assessment list, overview, element page with autosave, and submit.

Every page looks the assessment up through `selectors.assessment_for` (404 outside the user's
scope). Facilitators and administrators in scope see the same pages read-only; the services refuse
any write they attempt. Forms post normally (PRG) and, with htmx, swap only the part that changed:
the autosave answer never replaces the inputs a person is typing in.
"""

from itertools import groupby

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments import evidence_types, pages, selectors, services
from assessments.forms import ANSWER_FIELDS, AnswerForm, ExtensionForm
from assessments.models import Assessment, AssessmentStatus
from assessments.rules import NARRATIVE_MAX_LENGTH, Scale
from assessments.selectors import SheetRow
from assessments.views.display import deadline, indicator_anchor
from smartcity import access
from smartcity.middleware import post_only
from smartcity.models import PillarKind

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
    """The sheet's pillars grouped by kind, in the sheet's order (readiness first)."""
    labels = {PillarKind.READINESS: _("Readiness"), PillarKind.DIMENSION: _("Dimensions")}
    groups: dict[str, list] = {}
    for part in sheet.pillars:
        groups.setdefault(part.pillar.kind, []).append(part)
    return [(labels[kind], pillars) for kind, pillars in groups.items()]


def _closed_refusal(assessment: Assessment, refusal: str | None) -> str:
    """The refusal to show when a closed cycle is what stops the region ("" otherwise)."""
    closed = assessment.is_editable and assessment.is_closed_on(timezone.localdate())
    return (refusal or "") if closed else ""


def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """One assessment: status and deadline, what was flagged, progress per element, what is
    missing, the submit button while the official may still change it, the timeline."""
    assessment = selectors.assessment_for(request.user, pk)
    sheet = selectors.assessment_sheet(assessment, details=False)
    rows = sheet.rows()
    refusal = selectors.edit_refusal(assessment, request.user)
    can_review = access.can_review_region(request.user, assessment.region)
    return render(
        request,
        "assessments/overview.html",
        {
            "assessment": assessment,
            "groups": _pillar_groups(sheet),
            # Flags stay on the answers through the resubmission; the list is for the region.
            "flagged": pages.flagged_items(sheet)
            if assessment.status == AssessmentStatus.RETURNED
            else [],
            "answered": sum(1 for row in rows if row.response.is_answered),
            "total": len(rows),
            "gaps": selectors.submission_gaps(assessment),
            "events": selectors.timeline_of(assessment),
            "can_edit": refusal is None,
            "can_review": can_review,
            "closed_refusal": _closed_refusal(assessment, refusal),
            "extension_form": ExtensionForm() if can_review and assessment.is_editable else None,
            "deadline": deadline(assessment, timezone.localdate()),
        },
    )


# --- Element page -------------------------------------------------------------------------------
def element_context(request: HttpRequest, assessment: Assessment, code: str) -> dict:
    sheet = selectors.assessment_sheet(assessment, element_code=code)
    outline = [
        item
        for part in selectors.assessment_sheet(assessment, details=False).pillars
        for item in part.elements
    ]
    position = next(i for i, item in enumerate(outline) if item.element.code == code)
    refusal = selectors.edit_refusal(assessment, request.user)
    editable = refusal is None
    part = sheet.pillars[0]
    cards = [pages.card_for(row, code, sheet.levels, editable) for row in part.elements[0].rows]
    return {
        "assessment": assessment,
        "pillar": part.pillar,
        "element": part.elements[0].element,
        "cards": cards,
        "editable": editable,
        "closed_refusal": _closed_refusal(assessment, refusal),
        "position": position + 1,
        "count": len(outline),
        "previous": outline[position - 1] if position > 0 else None,
        "next": outline[position + 1] if position + 1 < len(outline) else None,
        "accept": ACCEPTED_FILES,
        "max_upload": filesizeformat(evidence_types.max_upload_bytes()),
        "max_upload_bytes": evidence_types.max_upload_bytes(),
        "upload_too_large": evidence_types.TOO_LARGE,
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
    # An id is a short number; int() of thousands of digits would raise.
    if request.htmx and wanted.isascii() and wanted.isdigit() and len(wanted) <= 18:
        card_pk = int(wanted)
        context = element_context(request, assessment, code)
        for card in context["cards"]:
            if card.response.pk == card_pk:
                return render(
                    request, "assessments/filling/answer_form.html", {**context, "card": card}
                )
    return render_element(request, assessment, code)


# --- Saving an answer -----------------------------------------------------------------------------
SAVE_STATUS = {
    services.SaveState.SAVED: 200,
    services.SaveState.INVALID: 422,
    services.SaveState.STALE: 409,
    services.SaveState.REFUSED: 403,
}


@post_only
def response_save(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    """Save one answer: 200 saved, 422 invalid, 409 someone else saved first, 403 not allowed.

    htmx gets the card's save state (plus the new version, out of band); a plain post is
    redirected to the card on success and gets the element page again otherwise.
    """
    assessment = selectors.assessment_for(request.user, pk)
    response = selectors.response_for(assessment, response_pk)
    element_code = response.indicator.element.code
    sheet = selectors.assessment_sheet(assessment, element_code=element_code, details=False)
    levels = pages.levels_of(sheet)
    form = AnswerForm(
        request.POST, indicator=response.indicator, scale=Scale(tuple(levels)), response=response
    )
    parsed = form.is_valid()
    target_before = response.target_level
    outcome = services.response_autosave(
        response=response,
        user=request.user,
        expected_version=form.expected_version if parsed else None,
        answer=form.answer() if parsed else None,
    )
    form.add_problems(outcome.problems)
    shown = pages.card_outcome(outcome, form, levels)
    status = SAVE_STATUS[outcome.state]
    response = outcome.response
    if request.htmx:
        row = SheetRow(indicator=response.indicator, response=response)
        editable = outcome.state != services.SaveState.REFUSED
        card = pages.card_for(row, element_code, sheet.levels, editable=editable)
        for name, value in shown.items():
            setattr(card, name, value)
        context = {
            "assessment": assessment,
            "card": card,
            "answer_fields": [
                name
                for name in ANSWER_FIELDS
                if response.indicator.allow_na or name not in ("not_applicable", "na_reason")
            ],
            # The select shows another choice than the one sent, or its default now stands for
            # another level: it is drawn again.
            "target_changed": outcome.state == services.SaveState.SAVED
            and (
                str(response.stated_target or "") != str(form.entered()["target_level"] or "")
                or response.target_level != target_before
            ),
        }
        reply = render(request, "assessments/filling/save_result.html", context, status=status)
        reply["X-Autosave-State"] = card.state  # autosave.js trusts only replies carrying it
        return reply
    if outcome.state == services.SaveState.SAVED:
        messages.success(
            request,
            _("Your answer to %(code)s was saved.") % {"code": response.indicator.code},
        )
        return redirect(indicator_anchor(assessment, element_code, response.indicator.code))
    return render_element(
        request, assessment, element_code, response_pk=response.pk, outcome=shown, status=status
    )


# --- Submission -----------------------------------------------------------------------------------
@post_only
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the assessment to the facilitators; refused with every gap while anything is missing."""
    assessment = selectors.assessment_for(request.user, pk)
    try:
        services.assessment_submit(
            assessment=assessment,
            user=request.user,
            unaddressed_confirmed=request.POST.get("confirm_unaddressed") == "1",
        )
    except services.UnaddressedFlags as unaddressed:
        return _confirm_unaddressed(request, assessment, unaddressed.codes)
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
    except services.WrongState as refused:
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


def _confirm_unaddressed(
    request: HttpRequest, assessment: Assessment, codes: list[str]
) -> HttpResponse:
    """Ask before resubmitting with flags neither changed nor answered, naming each one."""
    sheet = selectors.assessment_sheet(assessment, details=False)
    return render(
        request,
        "assessments/submit_confirm.html",
        {"assessment": assessment, "flagged": pages.flagged_items(sheet, codes)},
        status=409,
    )


urlpatterns = [
    path("", assessment_list, name="list"),
    path("<int:pk>/", overview, name="overview"),
    path("<int:pk>/elements/<str:code>/", element, name="element"),
    path("<int:pk>/responses/<int:response_pk>/", response_save, name="response_save"),
    path("<int:pk>/submit/", submit, name="submit"),
]
