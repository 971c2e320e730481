"""Issue 8, worker faults: a worker killed (SIGKILL) in the middle of a job. The task was not
acknowledged (`acks_late`), so once the visibility timeout passes the broker hands it to another
worker, which completes the job exactly once: the first attempt's writes were rolled back."""

import datetime
import os
import signal
import time
import uuid

import psycopg2
import pytest
from django.conf import settings

from assessments import services
from assessments.models import AssessmentEvent, CycleOpeningJob, IndicatorResponse
from smartcity.celery import app as celery_app
from smartcity.jobs import JobStatus
from smartcity.models import Region
from smartcity.services import framework_load
from smartcity.tasks import outbox_resend
from tests.assessments.conftest import default_framework_spec
from tests.conftest import point_celery_at, start_worker, stop_worker, worker_database_url
from tests.factories import RegionFactory
from tests.services import (
    postgresql_problem,
    redis_problem,
    require_service,
    unreachable_broker_url,
)

VISIBILITY_TIMEOUT = "3"  # seconds; the second worker gives the lost task back after this


def wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def status_of(opening) -> str:
    return CycleOpeningJob.objects.values_list("status", flat=True).get(pk=opening.pk)


def lock_cycle_row(cycle_id: int):
    """From a connection of its own, lock the cycle's row: the job's inserts of assessments (a
    foreign key to it) wait on this lock, so the worker is stopped in the middle of the work."""
    database = settings.DATABASES["default"]
    locker = psycopg2.connect(
        dbname=database["NAME"],
        user=database["USER"],
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or "127.0.0.1",
        port=database.get("PORT") or 5432,
    )
    locker.cursor().execute("SELECT id FROM assessments_cycle WHERE id = %s FOR UPDATE", [cycle_id])
    return locker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_is_delivered_again_and_completes_once(
    administrator, province, tmp_path
):
    require_service("Redis", redis_problem())
    require_service("PostgreSQL", postgresql_problem())
    regions = RegionFactory.create_batch(3, province=province)
    framework = framework_load(spec=default_framework_spec(), publish=True).framework
    queue = f"faults-{uuid.uuid4().hex[:10]}"
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    real_broker = celery_app.conf.broker_url
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, queue
    first = second = None
    try:
        # Opened while the broker is unreachable: the job waits in the outbox.
        point_celery_at(unreachable_broker_url())
        opening = services.cycle_open(
            user=administrator,
            year=2026,
            title="Penilaian Mandiri 2026",
            framework=framework,
            opens_on=datetime.date(2026, 3, 1),
            closes_on=datetime.date(2026, 6, 30),
            regions=Region.objects.filter(pk__in=[r.pk for r in regions]),
        )
        point_celery_at(real_broker)
        assert status_of(opening) == JobStatus.QUEUED

        locker = lock_cycle_row(opening.cycle_id)
        # PostgreSQL notices a vanished client while a query waits only with this check on; then
        # the killed worker's transaction is rolled back at once, as for a lost machine.
        first = start_worker(
            tmp_path,
            queue=queue,
            name=f"{queue}-first",
            DATABASE_URL=f"{worker_database_url()}?options=-c%20client_connection_check_interval%3D200",
        )
        settings.OUTBOX_RESEND_AFTER_SECONDS = 0
        assert outbox_resend() == 1
        wait_for(lambda: status_of(opening) == JobStatus.RUNNING, "the first worker to start")
        time.sleep(0.5)  # it is now blocked inside the job's transaction, on the lock

        os.kill(first.pid(), signal.SIGKILL)
        wait_for(lambda: not _alive(first.pid()), "the first worker to die")
        locker.rollback()
        locker.close()
        assert not IndicatorResponse.objects.filter(assessment__cycle=opening.cycle).exists()

        second = start_worker(
            tmp_path,
            queue=queue,
            name=f"{queue}-second",
            CELERY_VISIBILITY_TIMEOUT=VISIBILITY_TIMEOUT,
        )
        wait_for(lambda: status_of(opening) == JobStatus.DONE, "the job to be redelivered", 90)
    finally:
        point_celery_at(real_broker)
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        for worker in (first, second):
            if worker is not None:
                stop_worker(worker.pidfile)

    opening.refresh_from_db()
    assert opening.attempts == 2  # claimed by the killed worker, then by the second one
    assert (opening.assessments, opening.prefilled) == (3, 0)
    cycle = opening.cycle
    assert cycle.assessments.count() == 3
    assert IndicatorResponse.objects.filter(assessment__cycle=cycle).count() == 3 * 55
    assert AssessmentEvent.objects.filter(assessment__cycle=cycle).count() == 3
    assert "succeeded" in second.worker.logfile.read_text()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
