"""Services the suite talks to for real, and what to do when one is missing.

Without REQUIRE_SERVICES a missing service skips the tests that need it, with a reason naming the
service; with REQUIRE_SERVICES=1 (CI) the same test fails instead. The national region list in
`../shared/data/regions/` (beside the repository) counts as such a resource.
"""

import os
import shutil
import socket
from pathlib import Path

import pytest
import redis
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") not in ("", "0", "false", "no")
CHROMIUM = Path("/usr/bin/chromium")


def require_service(name: str, problem: str | None) -> None:
    """Skip (or, under REQUIRE_SERVICES, fail) when `problem` says the service is unavailable."""
    if problem is None:
        return
    message = f"{name} unavailable: {problem}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


def redis_problem() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return "REDIS_URL / CELERY_BROKER_URL is not set"
    try:
        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"cannot reach {settings.CELERY_BROKER_URL}: {error}"
    return None


def postgresql_problem() -> str | None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        return f"DATABASE_URL is not a PostgreSQL database (engine {engine})"
    return None


def program_problem(program: str, package: str) -> str | None:
    if shutil.which(program) is None:
        return f"`{program}` not found (Debian package {package})"
    return None


def chromium_problem() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (Debian package chromium)"
    return None


def unreachable_broker_url() -> str:
    """A Redis URL on a 127.0.0.1 port nothing listens on (bound once by the OS, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
