"""The facilitator's review: queue, review page, verify one indicator, return, approve.

Every assessment is looked up through `selectors.assessment_for` and then refused with a 404 unless
the user reviews its region (`access.can_review_region`): the region's own officials, facilitators
of other regions and outsiders never learn that the review pages exist. The workflow rules are the
services'; their refusals come back as messages in the user's language (422 for an answer to fix,
409 for a state that does not allow the action), never as a server error.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from assessments import pages, selectors, services
from assessments.forms import ApproveForm, ReturnForm, VerifyForm
from assessments.models import Assessment
from assessments.selectors import Sheet
from assessments.views.display import Deadline, deadline_of, level_text
from smartcity import access
from smartcity.middleware import post_only


# --- Queue ----------------------------------------------------------------------------------------
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """Submitted assessments in the facilitator's scope, the longest waiting first."""
    if not access.reviews_any_region(request.user):
        raise Http404
    assessments = selectors.review_queue(request.user)
    today = timezone.localdate()
    rows = [
        pages.QueueRow(a, pages.days_waiting(a.submitted_at, today), deadline_of(a.due_on, today))
        for a in assessments
    ]
    return render(
        request,
        "assessments/review_queue.html",
        {"rows": rows, "overdue": sum(1 for r in rows if r.deadline.state == "passed")},
    )


# --- Review page ----------------------------------------------------------------------------------
def _show(request: HttpRequest) -> str:
    show = request.GET.get("show") or request.POST.get("show") or ""
    return show if show in pages.REVIEW_FILTERS else ""


def _review_url(assessment: Assessment, show: str = "", anchor: str = "") -> str:
    url = reverse("assessments:review", args=[assessment.pk])
    if show:
        url += f"?show={show}"
    return url + (f"#{anchor}" if anchor else "")


def _render_review(
    request: HttpRequest,
    assessment: Assessment,
    *,
    status: int = 200,
    posted: dict[int, pages.Posted] | None = None,
) -> HttpResponse:
    sheet = selectors.assessment_sheet(assessment, details=True)
    show = _show(request)
    pillars = pages.review_pillars(sheet, show, posted)
    progress = pages.progress_of(sheet)
    today = timezone.localdate()
    context = {
        "assessment": assessment,
        "pillars": pillars,
        "progress": progress,
        "show": show,
        "filters": pages.filters_of(progress),
        "can_act": assessment.is_reviewable,
        "events": selectors.timeline_of(assessment),
        # The countdown matters while the review is open; afterwards only the date is shown.
        "deadline": (
            deadline_of(assessment.due_on, today)
            if assessment.is_reviewable
            else Deadline(assessment.due_on, None)
        ),
        "waiting": pages.waiting_text(pages.days_waiting(assessment.submitted_at, today))
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


@post_only
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
        except services.InvalidInput as refused:
            status, error = 422, str(refused)
        except services.AssessmentError as refused:
            status, error, keep_level = 409, str(refused), False
    code = response.indicator.code
    posted = None
    if error:
        posted = pages.Posted(
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
    posted: pages.Posted | None,
    status: int,
) -> HttpResponse:
    """The indicator's block, plus the progress and the approval note swapped out of band."""
    sheet = selectors.assessment_sheet(assessment, details=True)
    row = next(r for r in sheet.rows() if r.response.pk == response_pk)
    progress = pages.progress_of(sheet)
    context = {
        "assessment": assessment,
        "item": pages.review_item(row, pages.levels_of(sheet), posted),
        "progress": progress,
        "filters": pages.filters_of(progress),
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
        refusal = selectors.review_refusal(assessment, request.user)
        if refusal:
            messages.error(request, refusal)
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
    except services.InvalidInput as refused:
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


def _render_return(
    request: HttpRequest,
    assessment: Assessment,
    sheet: Sheet,
    form: ReturnForm,
    *,
    status: int = 200,
) -> HttpResponse:
    levels = pages.levels_of(sheet)
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
@post_only
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
