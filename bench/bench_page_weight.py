"""page_weight_element_first / page_weight_element_repeat: the bytes of an official's element page.

What production sends, measured through the app's own middleware stack: the static files are
collected with the production storage (whitenoise's compressed manifest) into a scratch folder and
served by whitenoise, the page by Django with gzip. A first visit fetches the page, every
stylesheet and script it names and the first font of each @font-face; a repeat visit fetches the
page again and whatever the first visit's answers did not allow to be cached for a long time
(`Cache-Control` max-age of at least a year). Bytes are the bodies as sent (compressed where the
server compressed them), headers not counted.
"""

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from bench.runner import Benchmark, Result

FIRST, REPEAT = "page_weight_element_first", "page_weight_element_repeat"
ACCEPT = {"HTTP_ACCEPT_ENCODING": "br, gzip"}
YEAR = 365 * 24 * 60 * 60
ASSET = re.compile(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"')
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*?src:\s*url\(([\"']?)([^\"')]+)\1\)", re.S)
MAX_AGE = re.compile(r"max-age=(\d+)")


@dataclass(frozen=True)
class Fetched:
    url: str
    size: int
    cached: bool  # whether a browser may keep it for a year


def benchmarks() -> list[Benchmark]:
    weights: dict[str, int] = {}

    def measured(name: str) -> Result:
        if not weights:
            weights.update(page_weights())
        return Result(name, 1, 1, None, None, size_bytes=weights[name])

    return [
        Benchmark(FIRST, 1, run=lambda _context: None, uses_database=False,
                  measure_itself=lambda: measured(FIRST)),
        Benchmark(REPEAT, 1, run=lambda _context: None, uses_database=False,
                  measure_itself=lambda: measured(REPEAT)),
    ]  # fmt: skip


def page_weights() -> dict[str, int]:
    """Both figures, from one collection of the static files and one scratch assessment."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    static_root = Path(tempfile.mkdtemp(prefix="smartcity-static-"))
    production_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    try:
        with override_settings(
            STATIC_ROOT=static_root,
            STORAGES=production_storage,
            DEBUG=False,
            ALLOWED_HOSTS=["testserver"],
        ):
            call_command("collectstatic", interactive=False, verbosity=0)
            with transaction.atomic():
                client, url = _official_on_an_element_page()
                first = visit(client, url)
                repeat = visit(client, url, cached={f.url for f in first if f.cached})
                transaction.set_rollback(True)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    return {FIRST: sum(f.size for f in first), REPEAT: sum(f.size for f in repeat)}


def _official_on_an_element_page():
    from django.test import Client
    from django.urls import reverse

    from assessments.models import Assessment
    from bench import data
    from smartcity.models import Membership, Role, User

    administrator, framework = data.administrator(), data.default_framework()
    [region] = data.make_regions(1)
    data.open_cycle(administrator, framework, [region], 2026)
    official = User.objects.create_user("bench-official", password="x" * 20)
    Membership.objects.create(user=official, role=Role.OFFICIAL, region=region)
    assessment = Assessment.objects.get(region=region)
    client = Client()
    client.force_login(official)
    return client, reverse("assessments:element", args=[assessment.pk, "GOV.G1"])


def visit(client, url: str, cached: frozenset[str] | set[str] = frozenset()) -> list[Fetched]:
    """The page and what it needs that the browser does not hold yet."""
    page = _get(client, url)
    fetched = [page]
    html = _body(client, url).decode()
    for asset in ASSET.findall(html):
        if asset in cached:
            continue
        fetched.append(_get(client, asset))
        if asset.endswith(".css"):
            css = _body(client, asset).decode()
            for _quote, font in FONT_FACE.findall(css):
                font_url = urljoin(asset, font.split("?")[0].split("#")[0])
                if font_url not in cached:
                    fetched.append(_get(client, font_url))
    return fetched


def _get(client, url: str) -> Fetched:
    reply = client.get(url, **ACCEPT)
    assert reply.status_code == 200, (url, reply.status_code)
    body = b"".join(reply.streaming_content) if reply.streaming else reply.content
    match = MAX_AGE.search(reply.get("Cache-Control", ""))
    return Fetched(url, len(body), bool(match) and int(match.group(1)) >= YEAR)


def _body(client, url: str) -> bytes:
    """The uncompressed body (no Accept-Encoding), to read the links out of it."""
    reply = client.get(url)
    return b"".join(reply.streaming_content) if reply.streaming else reply.content
