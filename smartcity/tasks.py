"""Celery tasks of the core."""

import socket

from celery import shared_task


@shared_task(name="smartcity.ping")
def ping() -> dict[str, str]:
    """Answer from whichever process runs the task: proves a broker round trip to a worker."""
    return {"pong": "ok", "host": socket.gethostname(), "worker": ping.request.hostname or ""}
