"""Serving a stored file (evidence, an export, a letter) after the caller's scope check: one way
to open it, name it and set the headers that keep it from being sniffed or run as our site."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

# An uploaded file must never run as part of our site, whatever it contains.
SANDBOX = "sandbox; default-src 'none'"


def stored_file_response(
    stored: FieldFile,
    *,
    filename: str,
    content_type: str,
    as_attachment: bool = True,
    csp: str | None = None,
    cache_control: str = "private, no-store",
) -> FileResponse:
    """The file as a response named `filename`; 404 when there is none or it is gone from the
    storage (a restored database without its media, say), never a 500."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        as_attachment=as_attachment,
        filename=filename,
    )
    if csp:
        response["Content-Security-Policy"] = csp
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response
