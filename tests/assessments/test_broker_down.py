"""Issue 8, finding 6: with the broker unreachable, submit and approve still answer at once with
their outcome, the e-mail waits in the outbox, and beat sends it when the broker is back."""

import re
import time
from contextlib import nullcontext

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.models import AssessmentStatus, GapReport
from smartcity.celery import app as celery_app
from smartcity.jobs import JobStatus
from smartcity.models import OutboxMessage
from smartcity.tasks import outbox_resend
from tests.assessments.conftest import answer_everything
from tests.conftest import point_celery_at
from tests.services import postgresql_problem, require_service, unreachable_broker_url


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def waiting_mail() -> OutboxMessage:
    [message] = OutboxMessage.objects.filter(task="assessments.send_event_email", sent_at=None)
    return message


def submit_and_approve(assessment, official, facilitator, capture):
    """Both workflow posts as the browser sends them, each with its commit callbacks run."""
    with capture(execute=True):
        submitted = signed_in(official).post(reverse("assessments:submit", args=[assessment.pk]))
    assert submitted.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    first = waiting_mail()
    assert first.attempts == 1 and first.last_error  # tried once, quickly, and kept
    first.delete()  # the approval's message is the one followed below
    with capture(execute=True):
        approved = signed_in(facilitator).post(reverse("assessments:approve", args=[assessment.pk]))
    assert approved.status_code == 302
    assert approved.url == reverse("assessments:review_queue")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED


def test_submit_and_approve_succeed_while_the_broker_is_down_and_beat_sends_the_mail_later(
    assessment,
    official,
    facilitator,
    broker_unreachable,
    settings,
    django_capture_on_commit_callbacks,
):
    answer_everything(assessment, official, level=2)
    submit_and_approve(assessment, official, facilitator, django_capture_on_commit_callbacks)
    waiting = waiting_mail()
    assert mail.outbox == []

    # The broker is back (here: no broker, tasks run in-process as in `make run`); beat runs.
    celery_app.conf.task_always_eager = True
    settings.OUTBOX_RESEND_AFTER_SECONDS = 0
    assert outbox_resend() == 2  # the approval's e-mail and its final gap report

    waiting.refresh_from_db()
    assert waiting.sent_at is not None
    assert [message.to for message in mail.outbox] == [[official.email]]
    assert mail.outbox[0].subject.startswith("Disetujui: Kota Pangkal Pinang")
    report = GapReport.objects.get(assessment=assessment)
    assert report.status == JobStatus.DONE and not report.preliminary


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_beat_hands_the_waiting_mail_to_a_real_worker_once_the_broker_is_back(
    assessment, official, facilitator, settings, celery_worker
):
    require_service("PostgreSQL", postgresql_problem())
    answer_everything(assessment, official, level=2)
    real_broker = celery_app.conf.broker_url
    point_celery_at(unreachable_broker_url())
    try:  # commits are real here: the callbacks run by themselves
        submit_and_approve(assessment, official, facilitator, lambda execute: nullcontext())
    finally:
        point_celery_at(real_broker)
    waiting = waiting_mail()

    settings.OUTBOX_RESEND_AFTER_SECONDS = 0
    assert outbox_resend() == 2  # the approval's e-mail and its final gap report

    waiting.refresh_from_db()
    assert waiting.sent_at is not None
    # The worker ran the task under the outbox message's id and e-mailed the one official.
    done = re.compile(rf"send_event_email\[{waiting.task_id}\] succeeded in [\d.]+s: 1\b")
    deadline = time.monotonic() + 30
    while not done.search(celery_worker.logfile.read_text()):
        assert time.monotonic() < deadline, celery_worker.logfile.read_text()[-3000:]
        time.sleep(0.3)
