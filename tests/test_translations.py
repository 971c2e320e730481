"""Both message catalogues load, and the Indonesian one is complete and in step with the code."""

import shutil
import subprocess
import sys

import polib
from django.utils import translation
from django.utils.translation import gettext

from tests.helpers import PROJECT_ROOT
from tests.services import program_problem, require_service

CATALOGUE = PROJECT_ROOT / "locale" / "{language}" / "LC_MESSAGES" / "django.po"
COPIED = (
    "manage.py",
    "smartcity",
    "assessments",
    "masterplan",
    "evaluations",
    "dashboards",
    "templates",
    "locale",
)


def test_indonesian_catalogue_is_loaded():
    with translation.override("id"):
        assert gettext("Sign in") == "Masuk"
        assert gettext("Regional official") == "Pejabat daerah"


def test_english_catalogue_is_loaded():
    with translation.override("en"):
        catalogue = translation.trans_real.translation("en")._catalog
        # Our own English catalogue is compiled and loaded (not just the msgid fallback).
        assert catalogue.get("Sign in") == "Sign in"
        assert gettext("Regional official") == "Regional official"


def test_indonesian_catalogue_has_no_untranslated_or_fuzzy_entries():
    catalogue = polib.pofile(str(CATALOGUE).format(language="id"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_catalogues_hold_every_string_marked_in_the_code(tmp_path):
    """makemessages over a copy of the code must not find a string the catalogues lack."""
    require_service("gettext", program_problem("xgettext", "gettext"))
    for name in COPIED:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "-l", "en", "--no-location"],
        cwd=tmp_path,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for language in ("id", "en"):
        committed = polib.pofile(str(CATALOGUE).format(language=language))
        extracted = polib.pofile(str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
        known = {(e.msgctxt, e.msgid) for e in committed if not e.obsolete}
        missing = sorted(
            e.msgid for e in extracted if not e.obsolete and (e.msgctxt, e.msgid) not in known
        )
        assert missing == [], f"run makemessages and translate ({language}): {missing}"
