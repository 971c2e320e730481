"""The first visit's weight: the icon font cut down to the icons used, production's static
storage, and how the page-weight benchmark counts a first and a repeat visit."""

import importlib.util
import os
import subprocess
import sys

from fontTools.ttLib import TTFont

from bench import bench_page_weight
from tests.helpers import PROJECT_ROOT

ICONS = PROJECT_ROOT / "static" / "vendor" / "bootstrap-icons"


def subset_icons():
    spec = importlib.util.spec_from_file_location(
        "subset_icons", PROJECT_ROOT / "scripts" / "subset_icons.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_vendored_icon_font_holds_every_icon_the_app_uses_and_little_else():
    script = subset_icons()
    used = script.icons_used()
    assert {"check2", "upload", "box-arrow-right", "flag-fill"} <= used
    points = script.code_points((ICONS / "bootstrap-icons.min.css").read_text())
    font = TTFont(ICONS / "fonts" / "bootstrap-icons.woff2")
    mapped = set(font.getBestCmap())
    assert {points[name] for name in used if name in points} <= mapped
    assert len(mapped) < 100  # of some 2,000 in the package
    assert (ICONS / "fonts" / "bootstrap-icons.woff2").stat().st_size < 20_000


def test_production_serves_static_files_compressed_under_hashed_names():
    code = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "smartcity.settings", "DEBUG": "0",
           "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert out.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    import brotli  # noqa: F401 - whitenoise writes .br files only when it can import brotli


class Reply:
    def __init__(self, body: bytes, cache: str = "") -> None:
        self.status_code, self.content, self.streaming = 200, body, False
        self.headers = {"Cache-Control": cache}

    def get(self, name, default=""):
        return self.headers.get(name, default)


class FakeClient:
    """A page naming a stylesheet (with a font) and a script; only hashed files cache for a year."""

    FOREVER = "max-age=315360000, public, immutable"
    FILES = {
        "/page/": Reply(
            b'<link rel="stylesheet" href="/static/a.1.css"><script src="/static/b.js"></script>'
        ),
        "/static/a.1.css": Reply(
            b'@font-face{src:url("f/i.2.woff2?x") format("woff2"),url("f/i.woff")}', FOREVER
        ),
        "/static/f/i.2.woff2": Reply(b"w" * 100, FOREVER),
        "/static/b.js": Reply(b"j" * 40, "max-age=60"),
    }

    def get(self, url, **headers):
        return self.FILES[url]


def test_a_repeat_visit_fetches_the_page_and_what_could_not_be_cached():
    client = FakeClient()
    first = bench_page_weight.visit(client, "/page/")
    assert [f.url for f in first] == [
        "/page/",
        "/static/a.1.css",
        "/static/f/i.2.woff2",
        "/static/b.js",
    ]
    repeat = bench_page_weight.visit(client, "/page/", cached={f.url for f in first if f.cached})
    assert [f.url for f in repeat] == ["/page/", "/static/b.js"]
