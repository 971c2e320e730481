"""Helpers shared by the test modules: signed-in clients, htmx headers, messages as users read
them, real small files, and the paths of the test fixtures."""

from pathlib import Path

from django.test import Client
from django.utils import translation

from assessments.models import Assessment, IndicatorResponse
from tests.fixtures.hostile import make_corpus

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
    """A one-page PDF, written by pypdf, that the evidence checks accept."""
    return make_corpus.pdf()


def png_bytes() -> bytes:
    """A small RGB PNG, written by Pillow, that the evidence checks accept."""
    return make_corpus.image()
