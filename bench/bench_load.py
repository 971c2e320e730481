"""load_autosave_50: 50 officials autosaving at once for 60 s against gunicorn and PostgreSQL.

A bounded loopback run. A scratch database is created beside the configured PostgreSQL one,
migrated and seeded (25 regions, two officials each, signed in through Django's session engine);
gunicorn serves it on a free port of 127.0.0.1. Each official's thread autosaves, as the element
page does, a random indicator of its own: mostly one only it answers, sometimes one it shares
with the other official of its region, where the second of two concurrent saves is told 409.
After the run every acknowledged save (200) is looked up in the answers' history, and the stored
answer must be the last acknowledged one: any miss is a lost update.

BENCH_LOAD_SECONDS shortens the run (the test uses 3 s); BENCH_LOAD_OFFICIALS changes the crowd.
Skipped without PostgreSQL. The server, its database and its files are removed afterwards.
"""

import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

from bench.runner import Benchmark, Result, Skip

NAME = "load_autosave_50"
ROOT = Path(__file__).resolve().parent.parent
OWN_PER_OFFICIAL = 4
SHARED_PER_REGION = 2
SHARED_SHARE = 0.3  # of saves that go to an indicator shared with the other official
CSRF = "loadbench" + "x" * 23  # a 32-character CSRF secret, sent as cookie and header
NEW_VERSION = re.compile(rb'id="version-\d+" value="(\d+)" hx-swap-oob')
CURRENT_VERSION = re.compile(rb'name="keep_mine" value="(\d+)"')
WARM_UP = "warm-up=1"  # the query string of the untimed first saves, told apart in the log


def benchmarks() -> list[Benchmark]:
    officials = int(os.environ.get("BENCH_LOAD_OFFICIALS", "50"))
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    return [
        Benchmark(
            name=NAME,
            n=officials,
            run=lambda _context: None,
            uses_database=False,
            measure_itself=lambda: load_run(officials=officials, seconds=seconds),
        )
    ]


# --- The run -------------------------------------------------------------------------------------
@dataclass
class Official:
    session: str
    assessment: int
    own: list[int]
    shared: list[int]
    versions: dict[int, int] = field(default_factory=dict)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    saved: list[tuple[int, int, str]] = field(default_factory=list)  # response, version, text
    warm_saved: list[tuple[int, int, str]] = field(default_factory=list)  # the untimed first ones
    conflicts: int = 0
    conflicts_unshared: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def load_run(*, officials: int, seconds: float, workers: int = 3, threads: int = 4) -> Result:
    """Seed a scratch database, serve it with gunicorn, run the crowd, count lost updates."""
    server = _postgres_server()
    database = f"load_{uuid.uuid4().hex[:10]}"
    tmp = Path(tempfile.mkdtemp(prefix="smartcity-load-"))
    env = _server_env(server, database, tmp)
    gunicorn = None
    _create_database(server, database)
    try:
        _python(env, "manage.py", "migrate", "--noinput")
        seeded = _python(env, "-m", "bench.bench_load", "seed", str(officials))
        crowd = [Official(**o) for o in json.loads(seeded.strip().splitlines()[-1])]
        port = _free_port()
        gunicorn = _start_gunicorn(env, port, workers, threads, tmp)
        tally = _crowd(crowd, port, seconds)
        lost = _lost_updates(server, database, tally.warm_saved + tally.saved)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        _drop_database(server, database)
        log = tmp / "access.log"
        server_times = _server_times(log) if log.exists() else []
        shutil.rmtree(tmp, ignore_errors=True)
    return _result(officials, seconds, tally, server_times, lost)


def _server_times(access_log: Path) -> list[float]:
    """Seconds gunicorn spent on each timed save (from its access log: not the time a request
    waited for a free worker thread)."""
    times = []
    for line in access_log.read_text().splitlines():
        micros, method, query = (line.split(" ", 2) + ["", ""])[:3]
        if method == "POST" and query != WARM_UP and micros.isdigit():
            times.append(int(micros) / 1_000_000)
    return times


def _median_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values) or [0.0]
    return statistics.median(ordered), ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def _result(
    officials: int, seconds: float, tally: Tally, server_times: list[float], lost: int
) -> Result:
    server_median, server_p95 = _median_p95(server_times)
    wait_median, wait_p95 = _median_p95(tally.latencies)
    errors = len(tally.errors) + tally.conflicts_unshared
    note = (
        f"{len(tally.latencies)} requests in {seconds:g} s: {len(tally.saved)} saved, "
        f"{tally.conflicts} 409 on shared indicators, {errors} errors; server time median "
        f"{server_median:.3f} s, p95 {server_p95:.3f} s; response time at the client median "
        f"{wait_median:.3f} s, p95 {wait_p95:.3f} s; {lost} lost updates"
    )
    if tally.errors:
        note += f" (first error: {tally.errors[0][:80]})"
    return Result(NAME, officials, 1, server_median if server_times else None, None, note)


def _crowd(crowd: list[Official], port: int, seconds: float) -> Tally:
    tally = Tally()
    shared_by = {}
    for official in crowd:
        for response in official.shared:
            shared_by[response] = shared_by.get(response, 0) + 1
    deadline = [0.0]
    start = threading.Barrier(
        len(crowd), action=lambda: deadline.__setitem__(0, time.monotonic() + seconds)
    )

    def autosave(number: int, official: Official) -> None:
        rng = random.Random(number)
        cookie = f"sessionid={official.session}; csrftoken={CSRF}"
        sequence = 0
        warming = True  # one untimed save first: each gunicorn worker loads the app lazily
        while warming or time.monotonic() < deadline[0]:
            if warming:
                response = official.own[0]
            else:
                shared = official.shared and rng.random() < SHARED_SHARE
                response = rng.choice(official.shared if shared else official.own)
            sequence += 1
            text = f"official {number} save {sequence}"
            body = urlencode(
                {
                    "self_level": rng.choice(["0", "1"]),
                    "narrative": text,
                    "target_level": "",
                    "version": official.versions.get(response, 1),
                }
            )
            began = time.perf_counter()
            # A connection per save: an idle keep-alive connection closed by the server would
            # otherwise count as an error that no browser would show.
            connection = HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                connection.request(
                    "POST",
                    f"/assessments/{official.assessment}/responses/{response}/"
                    + (f"?{WARM_UP}" if warming else ""),
                    body=body,
                    headers={
                        "Cookie": cookie,
                        "X-CSRFToken": CSRF,
                        "HX-Request": "true",
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                )
                reply = connection.getresponse()
                content = reply.read()
            except OSError as error:
                with tally.lock:
                    tally.errors.append(f"{type(error).__name__}: {error}")
            else:
                elapsed = time.perf_counter() - began
                _count(
                    tally,
                    official,
                    shared_by,
                    response,
                    text,
                    reply.status,
                    content,
                    None if warming else elapsed,
                )
            finally:
                connection.close()
            if warming:
                warming = False
                start.wait()

    workers = [
        threading.Thread(target=autosave, args=(number, official), daemon=True)
        for number, official in enumerate(crowd)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 120)
    return tally


def _count(
    tally: Tally,
    official: Official,
    shared_by: dict[int, int],
    response: int,
    text: str,
    status: int,
    content: bytes,
    elapsed: float | None,
) -> None:
    """Record one reply; a 409 adopts the current version, as a person reloading would."""
    with tally.lock:
        if elapsed is not None:
            tally.latencies.append(elapsed)
        if status == 200 and (found := NEW_VERSION.search(content)):
            official.versions[response] = int(found.group(1))
            saved = tally.saved if elapsed is not None else tally.warm_saved
            saved.append((response, int(found.group(1)), text))
        elif status == 409 and (found := CURRENT_VERSION.search(content)):
            official.versions[response] = int(found.group(1))
            tally.conflicts += 1
            tally.conflicts_unshared += shared_by.get(response, 0) < 2
        else:
            tally.errors.append(f"HTTP {status}")


def _lost_updates(server: dict, database: str, saved: list[tuple[int, int, str]]) -> int:
    """Acknowledged saves missing from the history, plus answers whose stored text is not the
    last acknowledged one, plus versions acknowledged twice."""
    import psycopg2

    connection = psycopg2.connect(dbname=database, **server)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, version, narrative FROM assessments_historicalindicatorresponse"
            )
            history = set(cursor.fetchall())
            cursor.execute("SELECT id, version, narrative FROM assessments_indicatorresponse")
            stored = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    finally:
        connection.close()
    lost = sum((response, version, text) not in history for response, version, text in saved)
    lost += len(saved) - len({(response, version) for response, version, _text in saved})
    last: dict[int, tuple[int, str]] = {}
    for response, version, text in saved:
        if version > last.get(response, (0, ""))[0]:
            last[response] = (version, text)
    lost += sum(stored.get(response) != final for response, final in last.items())
    return lost


# --- The server and its database ---------------------------------------------------------------
def _postgres_server() -> dict:
    """Connection parameters of the configured PostgreSQL server; Skip without one."""
    from django.db import connection

    if connection.vendor != "postgresql":
        raise Skip("needs PostgreSQL (set DATABASE_URL=postgres://…)")
    settings = connection.settings_dict
    server = {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
    }
    if settings["PASSWORD"]:
        server["password"] = settings["PASSWORD"]
    return server


def _database_url(server: dict, database: str) -> str:
    password = f":{server['password']}" if server.get("password") else ""
    return f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{database}"


def _admin(server: dict, statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(dbname="postgres", **server)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def _create_database(server: dict, database: str) -> None:
    _admin(server, f'CREATE DATABASE "{database}"')


def _drop_database(server: dict, database: str) -> None:
    _admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _server_env(server: dict, database: str, tmp: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PYTEST"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="smartcity.settings",
        DATABASE_URL=_database_url(server, database),
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY") or "load-benchmark-only-secret-key-0123456789",
        SECURE_COOKIES="0",
        MEDIA_ROOT=str(tmp / "media"),
        LOG_LEVEL="WARNING",
    )
    return env


def _python(env: dict, *args: str) -> str:
    """Run Python in the repository with `env`; its output, or RuntimeError with its errors."""
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(
    env: dict, port: int, workers: int, threads: int, tmp: Path
) -> subprocess.Popen:
    log = (tmp / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "smartcity.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--timeout",
            "120",
            "--access-logfile",
            str(tmp / "access.log"),
            "--access-logformat",
            "%(D)s %(m)s %(q)s",
            "--no-control-socket",  # the default path is shared by every gunicorn of the user
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {(tmp / 'gunicorn.log').read_text()[-2000:]}")
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            connection.close()
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 90 s")


# --- Seeding (run inside the scratch database's own process) ------------------------------------
def seed(officials: int) -> list[dict]:
    """Regions with two officials each, a cycle, and a signed-in session per official."""
    from django.test import Client

    from bench import data
    from smartcity.models import Membership, Role, User

    admin = data.administrator()
    regions = data.make_regions((officials + 1) // 2)
    cycle = data.open_cycle(admin, data.default_framework(), regions, 2026)
    crowd = []
    for number in range(officials):
        region = regions[number // 2]
        assessment = cycle.assessments.get(region=region)
        responses = list(assessment.responses.order_by("indicator__position").values_list("pk"))
        ids = [pk for (pk,) in responses]
        user = User.objects.create(username=f"load-official-{number}")
        Membership.objects.create(user=user, role=Role.OFFICIAL, region=region)
        client = Client()
        client.force_login(user)
        own_from = SHARED_PER_REGION + (number % 2) * OWN_PER_OFFICIAL
        has_partner = number // 2 * 2 + 1 < officials
        crowd.append(
            {
                "session": client.cookies["sessionid"].value,
                "assessment": assessment.pk,
                "own": ids[own_from : own_from + OWN_PER_OFFICIAL],
                "shared": ids[:SHARED_PER_REGION] if has_partner else [],
            }
        )
    return crowd


if __name__ == "__main__" and sys.argv[1:2] == ["seed"]:
    import django

    django.setup()
    print(json.dumps(seed(int(sys.argv[2]))))
