"""Celery tasks of the assessment workflow: thin wrappers taking primary keys."""

from celery import shared_task

from assessments import notifications


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
