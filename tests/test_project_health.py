"""The project as a whole: migrations, system checks, deployment checks, docker-compose."""

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from tests.helpers import PROJECT_ROOT
from tests.services import program_problem, require_service


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run manage.py with the real settings module and `env` on top of this environment."""
    test_only = ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    inherited = {k: v for k, v in os.environ.items() if k not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = StringIO()
    # With --check, pending changes end in exit status 1 after the list of what is missing.
    with contextlib.suppress(SystemExit):
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert out.getvalue().strip() == "No changes detected", out.getvalue()


def test_system_check_is_clean():
    result = _manage("check", "--fail-level", "WARNING", env={"DEBUG": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_is_clean_with_production_values():
    production = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "smartcity.example.go.id",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
    }
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=production)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env={"DEBUG": "0", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_docker_compose_file_is_valid_with_the_documented_environment(tmp_path):
    """docker-compose.yml parses, and .env.example provides every variable it requires."""
    require_service("docker-compose", program_problem("docker-compose", "docker-compose"))
    for name in ("docker-compose.yml", "Dockerfile"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    shutil.copy(PROJECT_ROOT / ".env.example", tmp_path / ".env")
    result = subprocess.run(
        ["docker-compose", "config", "-q"],
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
