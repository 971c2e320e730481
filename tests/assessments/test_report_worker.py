"""Gap reports built by a real worker through Redis: queued on approval, and completed exactly once
when the worker that was building one is killed (SIGKILL) half way: the task is acknowledged only
when done (`acks_late`), so the broker hands it to another worker, and the first attempt's writes
were rolled back with its transaction."""

import os
import signal
import time
import uuid

import pytest
from django.conf import settings

from assessments import services
from assessments.models import AssessmentStatus, GapReport, ScoreSnapshot
from smartcity.celery import app as celery_app
from smartcity.jobs import JobStatus
from smartcity.tasks import outbox_resend
from tests.assessments.reports_helpers import fill
from tests.conftest import point_celery_at, start_worker, stop_worker, worker_database_url
from tests.services import (
    postgresql_problem,
    redis_problem,
    require_service,
    unreachable_broker_url,
)
from tests.test_worker_faults import VISIBILITY_TIMEOUT, _alive, wait_for

ROWS_PER_SET = 55 + 27 + 9 + 2


def status_of(assessment) -> str | None:
    return GapReport.objects.filter(assessment=assessment).values_list("status", flat=True).first()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_approval_has_its_report_built_by_the_worker(celery_worker, assessment, facilitator):
    require_service("PostgreSQL", postgresql_problem())
    fill(assessment, status=AssessmentStatus.SUBMITTED)
    services.assessment_approve(assessment=assessment, user=facilitator)
    wait_for(lambda: status_of(assessment) == JobStatus.DONE, "the worker to build the report")
    report = GapReport.objects.get(assessment=assessment)
    assert not report.preliminary and report.basis == "verified"
    assert ScoreSnapshot.objects.filter(assessment=assessment, report=report).count() == (
        ROWS_PER_SET
    )


def lock_assessment_row(assessment_id: int):
    """From a connection of its own, lock the assessment's row: the build's insert of snapshot
    rows (a foreign key to it) waits on this lock, so the worker is stopped mid-job."""
    import psycopg2

    database = settings.DATABASES["default"]
    locker = psycopg2.connect(
        dbname=database["NAME"],
        user=database["USER"],
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or "127.0.0.1",
        port=database.get("PORT") or 5432,
    )
    locker.cursor().execute(
        "SELECT id FROM assessments_assessment WHERE id = %s FOR UPDATE", [assessment_id]
    )
    return locker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_report_whose_worker_is_killed_completes_once_with_no_duplicate_rows(
    assessment, facilitator, tmp_path
):
    require_service("Redis", redis_problem())
    require_service("PostgreSQL", postgresql_problem())
    fill(assessment, status=AssessmentStatus.SUBMITTED)
    queue = f"reports-{uuid.uuid4().hex[:10]}"
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    real_broker = celery_app.conf.broker_url
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, queue
    first = second = locker = None
    try:
        # Approved while the broker is unreachable: the report's task waits in the outbox.
        point_celery_at(unreachable_broker_url())
        services.assessment_approve(assessment=assessment, user=facilitator)
        point_celery_at(real_broker)
        assert status_of(assessment) == JobStatus.QUEUED

        locker = lock_assessment_row(assessment.pk)
        first = start_worker(
            tmp_path,
            queue=queue,
            name=f"{queue}-first",
            DATABASE_URL=f"{worker_database_url()}?options=-c%20client_connection_check_interval%3D200",
        )
        settings.OUTBOX_RESEND_AFTER_SECONDS = 0
        assert outbox_resend() == 2  # the approval's e-mail and the report
        wait_for(lambda: status_of(assessment) == JobStatus.RUNNING, "the first worker to start")
        time.sleep(2)  # computed, and now blocked on the lock inside the job's transaction

        os.kill(first.pid(), signal.SIGKILL)
        wait_for(lambda: not _alive(first.pid()), "the first worker to die")
        locker.close()  # its lock released, the killed worker's transaction rolled back
        locker = None
        assert not ScoreSnapshot.objects.filter(assessment=assessment).exists()

        second = start_worker(
            tmp_path,
            queue=queue,
            name=f"{queue}-second",
            CELERY_VISIBILITY_TIMEOUT=VISIBILITY_TIMEOUT,
        )
        wait_for(lambda: status_of(assessment) == JobStatus.DONE, "the report to be rebuilt", 90)
    finally:
        if locker is not None:
            locker.close()
        point_celery_at(real_broker)
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        for worker in (first, second):
            if worker is not None:
                stop_worker(worker.pidfile)

    report = GapReport.objects.get(assessment=assessment)  # one report, built once
    assert report.attempts == 2  # claimed by the killed worker, then by the second one
    rows = ScoreSnapshot.objects.filter(assessment=assessment)
    assert rows.count() == ROWS_PER_SET
    assert set(rows.values_list("report_id", flat=True)) == {report.pk}
    assert "succeeded" in second.worker.logfile.read_text()
