"""Shared fixtures: the personas every feature is tested with, a real worker, a real browser."""

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from smartcity.celery import app as celery_app
from smartcity.models import Role
from tests.factories import MembershipFactory, ProvinceFactory, RegionFactory, UserFactory
from tests.helpers import PROJECT_ROOT
from tests.services import (
    CHROMIUM,
    chromium_problem,
    redis_problem,
    require_service,
    unreachable_broker_url,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the test
# itself around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# --- Personas ---
@pytest.fixture
def province(db):
    return ProvinceFactory(code="19", name="Kepulauan Bangka Belitung")


@pytest.fixture
def region(province):
    return RegionFactory(code="19.71", name="Kota Pangkal Pinang", province=province)


@pytest.fixture
def other_region(db):
    other_province = ProvinceFactory(code="33", name="Jawa Tengah")
    return RegionFactory(code="33.74", name="Kota Semarang", province=other_province)


@pytest.fixture
def official(region):
    """A regional official of `region`."""
    return MembershipFactory(user__username="pejabat", role=Role.OFFICIAL, region=region).user


@pytest.fixture
def other_official(other_region):
    """A regional official of another region, in another province."""
    return MembershipFactory(
        user__username="pejabat-lain", role=Role.OFFICIAL, region=other_region
    ).user


@pytest.fixture
def facilitator(region):
    """A ministry facilitator assigned the whole province of `region` (not `other_region`)."""
    return MembershipFactory(
        user__username="fasilitator", role=Role.FACILITATOR, region=None, province=region.province
    ).user


@pytest.fixture
def administrator(db):
    return MembershipFactory(user__username="admin-nasional", role=Role.ADMIN, region=None).user


@pytest.fixture
def english():
    """The project's LANGUAGE_CODE is "id"; for tests that assert the English messages."""
    with translation.override("en"):
        yield


@pytest.fixture
def outsider(db):
    """Signed in, but with no role anywhere."""
    return UserFactory(username="orang-luar")


# --- A real Celery worker ---
@dataclass(frozen=True)
class Worker:
    queue: str
    nodename: str
    logfile: Path


def worker_database_url() -> str:
    """The PostgreSQL test database as a DATABASE_URL for a worker process."""
    database = settings.DATABASES["default"]
    credentials = database["USER"] or ""
    if database.get("PASSWORD"):
        credentials += f":{database['PASSWORD']}"
    host = f"{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}"
    return f"postgres://{credentials}@{host}/{database['NAME']}"


def _database_url_for_worker(tmp_dir: Path) -> str:
    database = settings.DATABASES["default"]
    if "postgresql" in database["ENGINE"]:
        return worker_database_url()
    # An in-memory SQLite test database cannot be shared with another process; give the worker a
    # throwaway file so it can never touch a developer's db.sqlite3.
    return f"sqlite:///{tmp_dir / 'worker.sqlite3'}"


@dataclass(frozen=True)
class WorkerProcess:
    worker: Worker
    pidfile: Path

    def pid(self) -> int:
        return int(self.pidfile.read_text().strip())


def start_worker(tmp_dir: Path, *, queue: str, name: str, **env_overrides: str) -> WorkerProcess:
    """Start a detached Celery worker (solo pool) on `queue` and wait until it answers a ping."""
    nodename = f"{name}@{socket.gethostname()}"
    pidfile, logfile = tmp_dir / f"{name}.pid", tmp_dir / f"{name}.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "smartcity.settings_test",
        "DATABASE_URL": _database_url_for_worker(tmp_dir),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **env_overrides,
    }
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "smartcity", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "-Q", queue, "-n", nodename, "--detach",
         f"--pidfile={pidfile}", f"--logfile={logfile}", "--loglevel=INFO"],
        cwd=PROJECT_ROOT, env=env, check=True,
    )  # fmt: skip
    try:
        _wait_for_worker(nodename, logfile)
    except BaseException:
        stop_worker(pidfile)
        raise
    return WorkerProcess(Worker(queue=queue, nodename=nodename, logfile=logfile), pidfile)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A Celery worker subprocess on the configured Redis, reading a queue private to this run.

    It uses the test database (PostgreSQL), so it sees rows committed by `transaction=True` tests.
    Started once per session, stopped by pid at the end.
    """
    require_service("Redis", redis_problem())
    queue = f"test-{uuid.uuid4().hex[:10]}"
    process = start_worker(tmp_path_factory.mktemp("celery"), queue=queue, name=queue)
    try:
        yield process.worker
    finally:
        stop_worker(process.pidfile)


@pytest.fixture
def celery_worker(celery_worker_process):
    """For one test: tasks go through the broker to the real worker instead of running eagerly."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = celery_worker_process.queue
    try:
        yield celery_worker_process
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


def _wait_for_worker(nodename: str, logfile: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if celery_app.control.ping(destination=[nodename], timeout=1.0):
            return
    log = logfile.read_text(errors="replace") if logfile.exists() else "(no log)"
    pytest.fail(f"Celery worker {nodename} did not answer within {timeout}s. Log:\n{log[-4000:]}")


def stop_worker(pidfile: Path, timeout: float = 30) -> None:
    """Stop a worker by the pid in its pidfile: TERM, then KILL after `timeout` seconds."""
    if not pidfile.exists():
        return
    pid = int(pidfile.read_text().strip())
    try:
        os.kill(pid, 15)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.kill(pid, 9)


def point_celery_at(broker_url: str) -> None:
    """Publish to `broker_url` from now on, dropping the connection pools made for the old one
    (Celery keeps them on the app, as after a fork it drops them the same way)."""
    celery_app.conf.broker_url = broker_url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_unreachable():
    """For one test: tasks are published for real (not eagerly) to a broker on a closed port."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    point_celery_at(unreachable_broker_url())
    try:
        yield celery_app.conf.broker_url
    finally:
        celery_app.conf.task_always_eager = previous[0]
        point_celery_at(previous[1])


# --- A real browser ---
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded one, with flags for a closed network."""
    require_service("Chromium", chromium_problem())
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }
