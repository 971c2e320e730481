"""Cycles: the list with status counts, opening a cycle (administrators), and one cycle's
assessments with their progress.

Administrators see every cycle; facilitators see the cycles that include regions of their scope,
counted within that scope; anyone else gets 404.
"""

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from assessments import selectors, services
from assessments.forms import CycleOpenForm
from assessments.models import AssessmentStatus, CycleOpeningJob
from smartcity import access
from smartcity.job_views import job_urlpatterns


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
        },
    )


urlpatterns = [
    path("cycles/", cycle_list, name="cycle_list"),
    path("cycles/new/", cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/", cycle_detail, name="cycle_detail"),
    *job_urlpatterns(CycleOpeningJob, route="cycles/openings/", name="cycle_opening"),
]
