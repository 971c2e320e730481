"""Serving evidence files: only to people who may see the assessment, never from static/."""

from django.http import FileResponse, Http404, HttpRequest
from django.urls import path
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from assessments import selectors
from assessments.models import EvidenceKind


@require_GET
@xframe_options_sameorigin  # PDFs and images are shown inline in a frame of our own pages
def evidence_file(request: HttpRequest, evidence_pk: int) -> FileResponse:
    """The stored file of one evidence item; PDFs and images inline, Office files as downloads."""
    evidence = selectors.evidence_for(request.user, evidence_pk)
    if evidence.kind != EvidenceKind.FILE or not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        content_type=evidence.content_type or "application/octet-stream",
        as_attachment=not evidence.is_inline_viewable,
        filename=evidence.original_name,
    )
    # An uploaded file must never run as part of our site, whatever it contains.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


urlpatterns = [
    path("evidence/<int:evidence_pk>/", evidence_file, name="evidence_file"),
]
