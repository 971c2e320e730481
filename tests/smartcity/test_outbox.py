"""The outbox: a task is recorded with the change that needs it, published after the commit, never
fails or stalls the caller when the broker is down, and is resent by the beat task."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from smartcity import jobs
from smartcity.models import OutboxMessage
from smartcity.tasks import outbox_resend, ping
from tests.services import redis_problem, require_service


def test_the_message_is_written_in_the_transaction_and_published_on_commit(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = jobs.enqueue_on_commit(ping)
        assert OutboxMessage.objects.get(pk=message.pk).sent_at is None  # not before the commit
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert (message.task, message.args, message.attempts) == ("smartcity.ping", [], 1)
    assert message.sent_at is not None


def test_a_rolled_back_change_leaves_no_message_and_publishes_nothing(
    db, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        jobs.enqueue_on_commit(ping)
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert not OutboxMessage.objects.exists()


def test_an_unknown_task_stays_unsent_with_its_error(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = jobs.enqueue_on_commit("smartcity.no_such_task", 7)
    message.refresh_from_db()
    assert message.sent_at is None
    assert "no_such_task" in message.last_error


def test_with_the_broker_down_the_caller_succeeds_and_the_message_waits(
    db, broker_unreachable, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = jobs.enqueue_on_commit(ping)
    message.refresh_from_db()
    assert message.sent_at is None
    assert message.attempts == 1
    assert "Connection refused" in message.last_error or "connecting" in message.last_error


def test_resend_takes_only_messages_older_than_the_grace_period_and_stops_when_the_broker_is_down(
    db, broker_unreachable
):
    old = OutboxMessage.objects.create(task="smartcity.ping")
    newer = OutboxMessage.objects.create(task="smartcity.ping")
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    OutboxMessage.objects.filter(pk=newer.pk).update(
        created_at=timezone.now() - timedelta(minutes=30)
    )
    fresh = OutboxMessage.objects.create(task="smartcity.ping")

    assert jobs.outbox_resend(older_than=timedelta(minutes=1)) == 0

    attempts = dict(OutboxMessage.objects.values_list("pk", "attempts"))
    # The oldest was tried and failed; the run stopped there instead of trying every message.
    assert attempts == {old.pk: 1, newer.pk: 0, fresh.pk: 0}


def test_sent_messages_are_pruned_after_the_keep_period(db):
    kept = OutboxMessage.objects.create(task="smartcity.ping", sent_at=timezone.now())
    unsent = OutboxMessage.objects.create(task="smartcity.ping")
    OutboxMessage.objects.create(task="smartcity.ping", sent_at=timezone.now() - timedelta(days=20))
    assert jobs.outbox_prune(older_than=timedelta(days=14)) == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {kept.pk, unsent.pk}


@pytest.mark.worker
def test_the_beat_task_sends_what_waited_once_the_broker_is_back(db, celery_worker, settings):
    require_service("Redis", redis_problem())
    settings.OUTBOX_RESEND_AFTER_SECONDS = 0
    waiting = OutboxMessage.objects.create(task="smartcity.ping", attempts=3, last_error="down")

    assert outbox_resend() == 1  # called as beat's worker would, against the real broker

    waiting.refresh_from_db()
    assert waiting.sent_at is not None
    assert (waiting.attempts, waiting.last_error) == (4, "")


def test_beat_runs_the_resend_task_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-resend"]
    assert entry["task"] == outbox_resend.name
    assert entry["schedule"] == 60
