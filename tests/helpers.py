"""Helpers shared by the test modules: signed-in clients, htmx headers, messages as users read
them, real small files, and the paths of the test fixtures."""

import struct
import zlib
from pathlib import Path

from django.test import Client
from django.utils import translation

from assessments.models import Assessment, IndicatorResponse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEST_FRAMEWORKS = PROJECT_ROOT / "tests" / "fixtures" / "frameworks"

# What htmx sends with every request it makes (django-htmx sets request.htmx from it).
HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(user) -> Client:
    """A client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def response_of(assessment: Assessment, code: str) -> IndicatorResponse:
    """The assessment's response to the indicator with this code, with its indicator."""
    return assessment.responses.select_related("indicator").get(indicator__code=code)


def in_indonesian(message: str, **params) -> str:
    """A message as Indonesian users read it; a callable parameter is called inside Indonesian
    (for values that are themselves translated)."""
    with translation.override("id"):
        text = translation.gettext(message)
        values = {name: value() if callable(value) else value for name, value in params.items()}
    return text % values if values else text


# --- Real files, built in memory ------------------------------------------------------------------
def pdf_bytes() -> bytes:
    """A one-page PDF that PDF readers (and the evidence checks) accept."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    """A valid 1x1 RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\x0b\x53\x94")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
