"""What docs/operations.md promises operators: a backup restores with every row, and the secret
key can be rotated without signing everyone out."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import signing
from django.db import connection

from assessments.models import IndicatorResponse
from bench import data
from tests.conftest import _database_url_for_worker
from tests.services import postgresql_problem, require_service

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "backup_restore_check.sh"
PASSED = re.compile(r"restore check passed: (\d+) tables, (\d+) rows, identical counts\n")


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_scratch_database_with_every_row(tmp_path):
    require_service("PostgreSQL", postgresql_problem())
    admin = data.administrator()
    cycle = data.open_cycle(admin, data.default_framework(), data.make_regions(3), 2026)
    data.answer_all(cycle, admin)
    responses = IndicatorResponse.objects.count()
    history = IndicatorResponse.history.count()
    backup = tmp_path / "smartcity.dump"

    done = subprocess.run(
        [str(SCRIPT), _database_url_for_worker(tmp_path), str(backup)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = PASSED.fullmatch(done.stdout)
    assert found, done.stdout
    tables, rows = int(found.group(1)), int(found.group(2))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        assert tables == cursor.fetchone()[0]
    assert rows >= responses + history > 100
    assert backup.stat().st_size > 0
    with connection.cursor() as cursor:  # the scratch database is gone
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'restore_check_%'")
        assert cursor.fetchone()[0] == 0


def test_the_restore_check_refuses_what_is_not_postgresql():
    done = subprocess.run(
        [str(SCRIPT), "sqlite:///db.sqlite3"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr.strip()) == (2, "not a PostgreSQL URL")


def _settings_value(name: str, **env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", f"from smartcity import settings; print(settings.{name})"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "0", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_secret_key_fallbacks_come_from_the_environment():
    assert _settings_value("SECRET_KEY_FALLBACKS", SECRET_KEY="new") == "[]"
    assert _settings_value(
        "SECRET_KEY_FALLBACKS", SECRET_KEY="new", SECRET_KEY_FALLBACKS="old-1,old-2"
    ) == str(["old-1", "old-2"])


def test_a_signature_made_with_the_old_key_still_holds_after_rotation(settings):
    settings.SECRET_KEY = "the-old-key"
    signed = signing.dumps({"session": 1})
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "the-new-key", ["the-old-key"]
    assert signing.loads(signed) == {"session": 1}
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(signing.BadSignature):
        signing.loads(signed)
