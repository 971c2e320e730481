"""Reads of the exports, scoped through `smartcity.access` (404 outside)."""

from django.http import Http404

from masterplan.exports.models import ExportJob
from smartcity import access
from smartcity.models import User


def export_for(user: User, pk: int) -> ExportJob:
    job = (
        access.jobs_visible_to(user, ExportJob.objects.select_related("plan__region"))
        .filter(pk=pk)
        .first()
    )
    if job is None:
        raise Http404
    return job
