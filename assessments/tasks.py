"""Celery tasks of the assessment workflow: thin wrappers taking primary keys.

They are queued through the outbox (`smartcity.jobs.enqueue_on_commit`), so each may run more than
once: every task here is idempotent.
"""

from celery import shared_task
from django.utils.translation import gettext_noop

from assessments import notifications, services
from assessments.models import CycleOpeningJob
from smartcity import jobs


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
