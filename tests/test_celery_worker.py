"""A task travels through the real broker to a real worker process and its result comes back."""

import os

import pytest

from smartcity.tasks import ping


@pytest.mark.worker
def test_task_round_trip_through_redis_to_a_worker(celery_worker):
    result = ping.delay()
    answer = result.get(timeout=30)
    assert answer["pong"] == "ok"
    # The worker's node name proves the task ran in the worker process, not eagerly in this one.
    assert answer["worker"] == celery_worker.nodename
    assert str(os.getpid()) not in answer["worker"]
