"""Celery tasks of the core."""

import socket
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from smartcity import jobs


@shared_task(name="smartcity.ping")
def ping() -> dict[str, str]:
    """Answer from whichever process runs the task: proves a broker round trip to a worker."""
    return {"pong": "ok", "host": socket.gethostname(), "worker": ping.request.hostname or ""}


@shared_task(name="smartcity.outbox_resend", ignore_result=True)
def outbox_resend() -> int:
    """Run by beat: publish the outbox messages still unsent, and forget old sent ones."""
    jobs.outbox_prune(older_than=timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS))
    return jobs.outbox_resend(older_than=timedelta(seconds=settings.OUTBOX_RESEND_AFTER_SECONDS))
