"""Pages of the exports: request one from the plan page, follow it, download its file."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from masterplan import selectors as plan_selectors
from masterplan.exports import selectors, services
from masterplan.exports.forms import ExportForm
from masterplan.exports.models import ExportJob
from masterplan.services.errors import PlanError
from smartcity.downloads import stored_file_response
from smartcity.job_views import job_urlpatterns


@require_POST
def export_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the export asked for on the plan page (or reuse an unchanged one); 404 outside
    scope. Queueing never fails the request: without a broker the outbox sends it later."""
    plan = plan_selectors.plan_for(request.user, pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a format, a book and a language for the export."))
        return redirect("masterplan:plan_detail", pk=plan.pk)
    try:
        job = services.export_request(plan=plan, user=request.user, **form.cleaned_data)
    except PlanError as refused:
        messages.error(request, str(refused))
        return redirect("masterplan:plan_detail", pk=plan.pk)
    return redirect(job.get_absolute_url())


@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.export_for(request.user, pk)
    return render(request, "masterplan/export_detail.html", {"job": job})


@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    """The stored file, as an attachment with its name; 404 outside scope or without a file."""
    job = selectors.export_for(request.user, pk)
    return stored_file_response(job.file, filename=job.file_name, content_type=job.content_type)


urlpatterns = [
    path("<int:pk>/exports/", export_start, name="export_start"),
    path("exports/<int:pk>/", export_detail, name="export_detail"),
    path("exports/<int:pk>/file/", export_download, name="export_download"),
    *job_urlpatterns(ExportJob, route="exports/", name="export"),
]
