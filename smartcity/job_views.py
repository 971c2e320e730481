"""The two views every tracked job has: its status (polled by htmx) and retry after a failure.

An app mounts them for its job model with `job_urlpatterns`; who may see a job is decided by
`access.jobs_visible_to` (404 outside it). The job's own page includes
`includes/job_status.html`, which polls the status view while the job is queued or running.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from smartcity import access, jobs
from smartcity.jobs import TrackedJob
from smartcity.middleware import post_only

STATUS_TEMPLATE = "includes/job_status.html"


def _job_or_404(model: type[TrackedJob], request: HttpRequest, pk: int) -> TrackedJob:
    return get_object_or_404(access.jobs_visible_to(request.user, model.objects.all()), pk=pk)


def job_urlpatterns(model: type[TrackedJob], *, route: str, name: str) -> list[URLPattern]:
    """`<route><pk>/status/` (GET) and `<route><pk>/retry/` (POST), named `<name>_status` and
    `<name>_retry`; `name` without the app namespace (the model's `url_name` has it)."""

    @require_GET
    def status(request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, STATUS_TEMPLATE, {"job": _job_or_404(model, request, pk)})

    @post_only
    def retry(request: HttpRequest, pk: int) -> HttpResponse:
        job = _job_or_404(model, request, pk)
        jobs.job_retry(job=job)
        job.refresh_from_db()  # without a broker the retry already ran, at the commit
        if request.htmx:
            return render(request, STATUS_TEMPLATE, {"job": job})
        return redirect(job.get_absolute_url())

    return [
        path(f"{route}<int:pk>/status/", status, name=f"{name}_status"),
        path(f"{route}<int:pk>/retry/", retry, name=f"{name}_retry"),
    ]
