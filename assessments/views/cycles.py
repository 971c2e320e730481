"""Cycles: the list with status counts, opening a cycle (administrators), one cycle's
assessments with their progress, and recomputing a cycle's scores (administrators).

Administrators see every cycle; facilitators see the cycles that include regions of their scope,
counted within that scope; anyone else gets 404.
"""

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from assessments import selectors, services
from assessments.forms import CycleOpenForm, ExtensionForm
from assessments.models import AssessmentStatus, CycleOpeningJob, CycleScoresJob
from smartcity import access
from smartcity.job_views import job_urlpatterns
from smartcity.middleware import post_only


# --- Pages ----------------------------------------------------------------------------------------
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    """All cycles for administrators; for facilitators the cycles of their regions."""
    cycles = selectors.cycles_for(request.user)
    return render(
        request,
        "assessments/cycle_list.html",
        {"cycles": cycles, "can_open": access.is_administrator(request.user)},
    )


@access.cycle_manager_required
@require_http_methods(["GET", "POST"])
def cycle_open(request: HttpRequest) -> HttpResponse:
    """Open a cycle in two steps: the form, then a confirmation with the counts; then create."""
    form = CycleOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if "confirm" in request.POST:
            response = _open(request, form)
            if response is not None:
                return response
        elif "edit" not in request.POST:
            return render(
                request,
                "assessments/cycle_open.html",
                {
                    "form": form,
                    "preview": selectors.cycle_preview(
                        regions=form.selected_regions(),
                        year=form.cleaned_data["year"],
                        framework=form.cleaned_data["framework"],
                    ),
                },
            )
    return render(request, "assessments/cycle_open.html", {"form": form})


def _open(request: HttpRequest, form: CycleOpenForm) -> HttpResponse | None:
    """Create the cycle; None (with the reason on the form) when it is refused."""
    data = form.cleaned_data
    try:
        opening = services.cycle_open(
            user=request.user,
            year=data["year"],
            title=data["title"],
            framework=data["framework"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            regions=form.selected_regions(),
            target_step=data["target_step"],
            target_cap=data["target_cap"],
        )
    except services.AssessmentError as refused:
        form.add_error(None, str(refused))
        return None
    except IntegrityError:  # someone opened a cycle with this title since the form was checked
        form.add_error("title", _("A cycle with this title already exists in this year."))
        return None
    messages.success(
        request,
        ngettext(
            "Cycle “%(title)s” is being opened for %(count)d region.",
            "Cycle “%(title)s” is being opened for %(count)d regions.",
            len(opening.region_ids),
        )
        % {"title": opening.cycle.title, "count": len(opening.region_ids)},
    )
    return redirect("assessments:cycle_detail", pk=opening.cycle.pk)


@require_GET
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One cycle's assessments in the user's scope: status, progress, submission date, links.

    A facilitator without any region in the cycle gets 404, as for a cycle that does not exist.
    """
    cycle = selectors.cycle_for(request.user, pk)
    assessments = selectors.cycle_assessments(cycle, request.user)
    if not assessments and not access.can_manage_cycles(request.user):
        raise Http404
    counts: dict[str, int] = {}
    for assessment in assessments:
        counts[assessment.status] = counts.get(assessment.status, 0) + 1
    status = request.GET.get("status", "")
    if status not in AssessmentStatus.values:
        status = ""
    shown = [a for a in assessments if a.status == status] if status else assessments
    return render(
        request,
        "assessments/cycle_detail.html",
        {
            "cycle": cycle,
            "assessments": shown,
            "total": len(assessments),
            "status_counts": selectors.status_counts(counts),
            "status": status,
            "opening": selectors.cycle_opening_unfinished(cycle, request.user),
            "can_close": access.can_manage_cycles(request.user),
            "approved": counts.get(AssessmentStatus.APPROVED, 0),
            "recomputation": selectors.cycle_scores_latest(cycle, request.user),
        },
    )


@access.cycle_manager_required
@post_only
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the cycle after the administrator ticked the confirmation."""
    cycle = selectors.cycle_for(request.user, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the confirmation box to close this cycle."))
    else:
        try:
            services.cycle_close(cycle=cycle, user=request.user)
        except services.AssessmentError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("“%(title)s” is closed: regions can no longer change or submit their answers.")
                % {"title": cycle.title},
            )
    return redirect("assessments:cycle_detail", pk=cycle.pk)


@access.cycle_manager_required
@post_only
def cycle_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the recomputation of the cycle's scores and follow it on its page; while one is
    queued or running the refusal says so, back on the cycle."""
    cycle = selectors.cycle_for(request.user, pk)
    try:
        job = services.cycle_scores_request(cycle=cycle, user=request.user)
    except services.AssessmentError as refused:
        messages.error(request, str(refused))
        return redirect("assessments:cycle_detail", pk=cycle.pk)
    return redirect("assessments:cycle_scores", pk=job.pk)


@require_GET
def cycle_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """One recomputation: its status (polled while it runs), then what it wrote."""
    job = selectors.cycle_scores_job_for(request.user, pk)
    return render(request, "assessments/cycle_scores.html", {"job": job, "cycle": job.cycle})


@post_only
def extend_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    """A facilitator gives one region a new deadline (404 for anyone who does not review it)."""
    assessment = selectors.assessment_for_review(request.user, pk)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["until"]))
    else:
        until = form.cleaned_data["until"]
        try:
            services.assessment_extend_deadline(
                assessment=assessment, user=request.user, until=until
            )
        except services.AssessmentError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("%(region)s may change and submit its answers until %(date)s.")
                % {"region": assessment.region.name, "date": date_format(until, "DATE_FORMAT")},
            )
    return redirect("assessments:overview", pk=assessment.pk)


urlpatterns = [
    path("cycles/", cycle_list, name="cycle_list"),
    path("cycles/new/", cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/", cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/close/", cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/recompute/", cycle_recompute, name="cycle_recompute"),
    path("cycles/recomputations/<int:pk>/", cycle_scores, name="cycle_scores"),
    path("<int:pk>/extension/", extend_deadline, name="extend_deadline"),
    *job_urlpatterns(CycleOpeningJob, route="cycles/openings/", name="cycle_opening"),
    *job_urlpatterns(CycleScoresJob, route="cycles/recomputations/", name="cycle_scores"),
]
