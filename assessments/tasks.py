"""Celery tasks of the assessment workflow: thin wrappers taking primary keys.

They are queued through the outbox (`smartcity.jobs.enqueue_on_commit`), so each may run more than
once: every task here is idempotent.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_noop
from kombu.exceptions import OperationalError as BrokerError

from assessments import notifications, services
from assessments.models import CycleOpeningJob, CycleScoresJob, GapReport
from smartcity import jobs

# A database or broker that is briefly unreachable (a restart, a failover) is retried; a lost
# worker's task is delivered again because it is acknowledged only when done (`acks_late`).
TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError)


@shared_task(
    name="assessments.send_event_email",
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def send_event_email(event_id: int) -> int:
    """E-mail the people an assessment event concerns; returns how many were sent.

    Retries when the mail server cannot be reached. A retry after a partial failure may repeat
    a mail to someone already reached: a duplicate notice is better than a lost one.
    """
    return notifications.send_for_event(event_id)


@shared_task(name=CycleOpeningJob.task_name)
def open_cycle(opening_id: int) -> str:
    """Open the assessments of a cycle (`services.cycle_opening_run`); returns the job's status."""
    return jobs.run_job(
        model=CycleOpeningJob,
        pk=opening_id,
        work=services.cycle_opening_run,
        step=gettext_noop("Opening the assessments"),
    )


@shared_task(
    name=GapReport.task_name,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    max_retries=5,
    soft_time_limit=120,
    time_limit=150,
)
def build_gap_report(report_id: int) -> str:
    """Build one gap report (`services.gap_report_build`); returns the job's status."""
    return jobs.run_job(
        model=GapReport,
        pk=report_id,
        work=services.gap_report_build,
        step=services.reports.BUILDING_STEP,
    )


@shared_task(
    name=CycleScoresJob.task_name,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=10,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
)
def recompute_cycle(job_id: int) -> str:
    """Recompute every approved assessment of a cycle in one pass (`services.cycle_scores_run`)."""
    return jobs.run_job(
        model=CycleScoresJob,
        pk=job_id,
        work=services.cycle_scores_run,
        step=services.reports.RECOMPUTE_STEP,
    )
