"""The facilitator's review: queue, review page, verify one indicator, return, approve.

Every assessment is looked up through `selectors.assessment_for` and then refused with a 404 unless
the user reviews its region (`access.can_review_region`): the region's own officials, facilitators
of other regions and outsiders never learn that the review pages exist. The workflow rules are the
services'; their refusals come back as messages in the user's language (422 for an answer to fix,
409 for a state that does not allow the action), never as a server error.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import selectors, services
from assessments.models import Assessment, IndicatorResponse, ReviewState
from assessments.review_forms import ApproveForm, ReturnForm, VerifyForm
from assessments.selectors import Sheet, SheetRow
from assessments.views.display import Deadline, deadline_of, level_text
from smartcity import access
from smartcity.models import Element, Pillar, ScaleLevel

# Server-side filters of the review page: query value -> which rows it keeps.
FILTERS = ("pending", "adjusted", "evidence")


# --- Helpers --------------------------------------------------------------------------------------
def days_waiting(submitted_at, today: date) -> int:
    if submitted_at is None:
        return 0
    return max(0, (today - timezone.localtime(submitted_at).date()).days)


def _waiting_text(days: int) -> str:
    if days == 0:
        return _("submitted today")
    return ngettext("waiting %(days)d day", "waiting %(days)d days", days) % {"days": days}


# --- Queue ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueueRow:
    assessment: Assessment
    waiting_days: int
    deadline: Deadline

    @property
    def waiting(self) -> str:
        return _waiting_text(self.waiting_days)


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """Submitted assessments in the facilitator's scope, the longest waiting first."""
    if not access.reviews_any_region(request.user):
        raise Http404
    assessments = selectors.review_queue(request.user)
    today = timezone.localdate()
    rows = [
        QueueRow(a, days_waiting(a.submitted_at, today), deadline_of(a.cycle.closes_on, today))
        for a in assessments
    ]
    return render(
        request,
        "assessments/review_queue.html",
        {"rows": rows, "overdue": sum(1 for r in rows if r.deadline.state == "passed")},
    )


# --- Review page ----------------------------------------------------------------------------------
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


def _review_item(row: SheetRow, levels: dict[int, ScaleLevel], posted: Posted | None) -> ReviewItem:
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
    )


def _keeps(row: SheetRow, show: str) -> bool:
    if show == "pending":
        return row.response.review_state == ReviewState.PENDING
    if show == "adjusted":
        return row.response.review_state == ReviewState.ADJUSTED
    if show == "evidence":
        return bool(row.evidence)
    return True


def _progress(sheet: Sheet) -> Progress:
    rows = sheet.rows()
    return Progress(
        total=len(rows),
        pending=sum(1 for r in rows if r.response.review_state == ReviewState.PENDING),
        adjusted=sum(1 for r in rows if r.response.review_state == ReviewState.ADJUSTED),
        with_evidence=sum(1 for r in rows if r.evidence),
    )


def _filters(progress: Progress) -> list[tuple[str, str, int]]:
    """(query value, label, count) of each filter of the review page."""
    return [
        ("", _("All"), progress.total),
        ("pending", _("Not yet reviewed"), progress.pending),
        ("adjusted", _("Adjusted"), progress.adjusted),
        ("evidence", _("With evidence"), progress.with_evidence),
    ]


def _show(request: HttpRequest) -> str:
    show = request.GET.get("show") or request.POST.get("show") or ""
    return show if show in FILTERS else ""


def _review_url(assessment: Assessment, show: str = "", anchor: str = "") -> str:
    url = reverse("assessments:review", args=[assessment.pk])
    if show:
        url += f"?show={show}"
    return url + (f"#{anchor}" if anchor else "")


def _levels(sheet: Sheet) -> dict[int, ScaleLevel]:
    return {level.value: level for level in sheet.levels}


def _render_review(
    request: HttpRequest,
    assessment: Assessment,
    *,
    status: int = 200,
    posted: dict[int, Posted] | None = None,
) -> HttpResponse:
    sheet = selectors.assessment_sheet(assessment, details=True)
    levels = _levels(sheet)
    show = _show(request)
    posted = posted or {}
    pillars = []
    for sheet_pillar in sheet.pillars:
        part = ReviewPillar(sheet_pillar.pillar)
        for sheet_element in sheet_pillar.elements:
            items = [
                _review_item(row, levels, posted.get(row.response.pk))
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
    progress = _progress(sheet)
    today = timezone.localdate()
    context = {
        "assessment": assessment,
        "pillars": pillars,
        "progress": progress,
        "show": show,
        "filters": _filters(progress),
        "can_act": assessment.is_reviewable,
        "events": selectors.timeline_of(assessment),
        # The countdown matters while the review is open; afterwards only the date is shown.
        "deadline": (
            deadline_of(assessment.cycle.closes_on, today)
            if assessment.is_reviewable
            else Deadline(assessment.cycle.closes_on, None)
        ),
        "waiting": _waiting_text(days_waiting(assessment.submitted_at, today))
        if assessment.is_reviewable
        else "",
    }
    return render(request, "assessments/review.html", context, status=status)


# The page is long (55 indicators with their evidence and discussion); compress it for
# facilitators on slow connections. Django's gzip adds BREACH padding.
@require_GET
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole assessment to verify, indicator by indicator, with its timeline."""
    assessment = selectors.assessment_for_review(request.user, pk)
    return _render_review(request, assessment)


def _stale_message(stale: services.StaleResponse) -> str:
    current = stale.current
    when = timezone.localtime(current.updated_at).strftime("%H:%M")
    return _(
        "This indicator changed at %(when)s, after you opened the page. Your verification was "
        "not saved; its current state is shown. Check it and verify again."
    ) % {"when": when}


@require_POST
def verify(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    """Verify one indicator. HTMX gets the indicator's block again (200, or 422/409 with the
    reason); a plain form post is redirected back to the indicator on the review page."""
    assessment = selectors.assessment_for_review(request.user, pk)
    response = selectors.response_for(assessment, response_pk)
    form = VerifyForm(request.POST, response=response)
    status, error, keep_level = 200, "", True
    if not form.is_valid():
        status, error = 422, form.first_error()
    else:
        try:
            services.response_verify(
                response=response,
                user=request.user,
                verified_level=form.verified_level,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleResponse as stale:
            status, error, keep_level = 409, _stale_message(stale), False
        except services.InvalidAnswer as refused:
            status, error = 422, str(refused)
        except services.AssessmentError as refused:
            status, error, keep_level = 409, str(refused), False
    code = response.indicator.code
    posted = None
    if error:
        posted = Posted(
            error=error,
            level=_posted_level(request),
            reason=request.POST.get("reason", ""),
            keep_level=keep_level,
        )
    if request.htmx:
        assessment.refresh_from_db(fields=["status"])
        return _render_verified(request, assessment, response.pk, posted, status)
    if error:
        messages.error(request, f"{code}: {error}")
        assessment.refresh_from_db(fields=["status"])
        return _render_review(request, assessment, status=status, posted={response.pk: posted})
    messages.success(request, _("%(code)s verified.") % {"code": code})
    return redirect(_review_url(assessment, _show(request), f"indicator-{code}"))


def _posted_level(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("level", ""))
    except ValueError:
        return None


def _render_verified(
    request: HttpRequest,
    assessment: Assessment,
    response_pk: int,
    posted: Posted | None,
    status: int,
) -> HttpResponse:
    """The indicator's block, plus the progress and the approval note swapped out of band."""
    sheet = selectors.assessment_sheet(assessment, details=True)
    row = next(r for r in sheet.rows() if r.response.pk == response_pk)
    progress = _progress(sheet)
    context = {
        "assessment": assessment,
        "item": _review_item(row, _levels(sheet), posted),
        "progress": progress,
        "filters": _filters(progress),
        "can_act": assessment.is_reviewable,
        "show": _show(request),
        "oob": True,
    }
    return render(request, "assessments/review/verify_response.html", context, status=status)


# --- Return for revision --------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def return_for_revision(request: HttpRequest, pk: int) -> HttpResponse:
    """A note and the indicators to revise; the official then sees the flagged ones first."""
    assessment = selectors.assessment_for_review(request.user, pk)
    sheet = selectors.assessment_sheet(assessment, details=False)
    responses = [row.response for row in sheet.rows()]
    if request.method == "GET":
        if not assessment.is_reviewable:
            messages.error(request, _not_reviewable_message(assessment))
            return redirect(_review_url(assessment))
        form = ReturnForm(responses=responses)
        return _render_return(request, assessment, sheet, form)
    form = ReturnForm(request.POST, responses=responses)
    if not form.is_valid():
        return _render_return(request, assessment, sheet, form, status=422)
    flags = form.flags()
    try:
        services.assessment_return(
            assessment=assessment,
            user=request.user,
            note=form.cleaned_data["note"],
            flags=flags,
        )
    except services.InvalidAnswer as refused:
        for name, message in refused.problems.items():
            messages.error(request, message)
            form.add_error(name if name in form.fields else None, message)
        return _render_return(request, assessment, sheet, form, status=422)
    except services.AssessmentError as refused:
        messages.error(request, str(refused))
        return _render_return(request, assessment, sheet, form, status=409)
    messages.success(
        request,
        ngettext(
            "%(region)s was returned for revision with %(count)d indicator flagged.",
            "%(region)s was returned for revision with %(count)d indicators flagged.",
            len(flags),
        )
        % {"region": assessment.region.name, "count": len(flags)},
    )
    return redirect("assessments:review_queue")


def _not_reviewable_message(assessment: Assessment) -> str:
    # The services' own wording, so both refusals read (and translate) the same.
    return _("This assessment is %(status)s; only a submitted assessment can be reviewed.") % {
        "status": assessment.get_status_display().lower()
    }


def _render_return(
    request: HttpRequest,
    assessment: Assessment,
    sheet: Sheet,
    form: ReturnForm,
    *,
    status: int = 200,
) -> HttpResponse:
    levels = _levels(sheet)
    ticked = form.submitted_flags()
    notes = {pk: form.data.get(f"flag_note_{pk}", "") for pk in ticked} if form.is_bound else {}
    elements = [
        (
            element.element,
            [
                {
                    "row": row,
                    "self_label": level_text(row.response.self_level, levels),
                    "verified_label": level_text(row.response.verified_level, levels),
                    "ticked": row.response.pk in ticked,
                    "note": notes.get(row.response.pk, ""),
                    "note_errors": form.errors.get(f"flag_note_{row.response.pk}"),
                }
                for row in element.rows
            ],
        )
        for pillar in sheet.pillars
        for element in pillar.elements
        if element.rows
    ]
    context = {
        "assessment": assessment,
        "form": form,
        "elements": elements,
        "can_act": assessment.is_reviewable,
        "note": form.data.get("note", "") if form.is_bound else "",
    }
    return render(request, "assessments/review_return.html", context, status=status)


# --- Approve --------------------------------------------------------------------------------------
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve and lock; indicators not yet reviewed are accepted at their self-assessed level."""
    assessment = selectors.assessment_for_review(request.user, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return _render_review(request, assessment, status=422)
    try:
        services.assessment_approve(
            assessment=assessment, user=request.user, note=form.cleaned_data["note"]
        )
    except services.AssessmentError as refused:
        messages.error(request, str(refused))
        return _render_review(request, assessment, status=409)
    messages.success(
        request,
        _("%(region)s, %(cycle)s is approved; its verified levels are now final.")
        % {"region": assessment.region.name, "cycle": assessment.cycle.title},
    )
    return redirect("assessments:review_queue")


urlpatterns = [
    path("review/", review_queue, name="review_queue"),
    path("<int:pk>/review/", review, name="review"),
    path("<int:pk>/review/responses/<int:response_pk>/", verify, name="verify"),
    path("<int:pk>/review/return/", return_for_revision, name="return"),
    path("<int:pk>/review/approve/", approve, name="approve"),
]
