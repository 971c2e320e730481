"""Drafting a plan as a tracked job: started from the plan list, followed on the job's page."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from masterplan import selectors, services
from masterplan.forms import DraftForm
from masterplan.models import MasterPlanDraftJob
from smartcity.job_views import job_urlpatterns


@require_POST
def draft_start(request: HttpRequest) -> HttpResponse:
    """Queue the drafting of a plan from an approved assessment of the official's region.

    Only assessments the person may draft from are choices; anything else is a form error."""
    form = DraftForm(request.POST, assessments=selectors.draftable_assessments(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("masterplan:plan_list")
    assessment = selectors.draftable_assessments(request.user).get(
        pk=form.cleaned_data["assessment"]
    )
    try:
        job = services.masterplan_draft_job_start(
            assessment=assessment,
            user=request.user,
            start_year=form.cleaned_data["start_year"],
            ceiling=form.cleaned_data["ceiling"],
        )
    except services.WrongState as wrong:
        messages.error(request, str(wrong))
        return redirect("masterplan:plan_list")
    return redirect("masterplan:draft_job", pk=job.pk)


@require_GET
def draft_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The drafting's status (polled while it runs), with the link to the drafted plan."""
    job = selectors.draft_jobs_visible_to(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return render(request, "masterplan/draft_job.html", {"job": job})


urlpatterns = [
    path("draft/", draft_start, name="draft_start"),
    path("drafts/<int:pk>/", draft_job, name="draft_job"),
    *job_urlpatterns(MasterPlanDraftJob, route="drafts/", name="draft_job"),
]
