"""Issue 8, database faults: PostgreSQL unreachable for a moment. `/healthz` says so while it
lasts, and an action cut off half-way by the lost connection leaves no half-written rows: the
transaction is gone with the connection, and the next request sees the state from before."""

import json

import psycopg2
import pytest
from django.db import InterfaceError, OperationalError, connection

from assessments import services
from assessments.models import AssessmentEvent, AssessmentStatus, EventKind, ReviewState
from tests.assessments.conftest import answer_everything
from tests.services import postgresql_problem, require_service


@pytest.fixture(autouse=True)
def postgresql():
    require_service("PostgreSQL", postgresql_problem())


def _terminate_own_backend() -> None:
    """Kill this connection's server process from a second connection, as a crash or a failover
    would: the open transaction is lost on the server side."""
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    other = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()


@pytest.mark.django_db(transaction=True)
def test_healthz_reports_the_database_while_it_is_unreachable(client, settings):
    settings.REDIS_URL = ""
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: connection refused
    try:
        during = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port

    assert during.status_code == 503
    assert json.loads(during.content)["checks"]["database"] == "down: OperationalError"
    after = client.get("/healthz")
    assert after.status_code == 200
    assert json.loads(after.content)["checks"]["database"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_approval_cut_off_by_a_lost_connection_writes_nothing(
    assessment, official, facilitator, monkeypatch
):
    answer_everything(assessment, official)
    services.assessment_submit(assessment=assessment, user=official)
    events_before = AssessmentEvent.objects.filter(assessment=assessment).count()

    real_notify = services.review.notify

    def connection_lost_after_the_writes(event):
        # By now every response was accepted and the assessment marked approved, in the open
        # transaction; the server goes away before the commit.
        _terminate_own_backend()
        return real_notify(event)

    monkeypatch.setattr(services.review, "notify", connection_lost_after_the_writes)
    with pytest.raises((OperationalError, InterfaceError)):
        services.assessment_approve(assessment=assessment, user=facilitator)

    connection.close()  # the next request opens a new connection, as Django does
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.approved_at is None
    assert not assessment.responses.exclude(review_state=ReviewState.PENDING).exists()
    assert AssessmentEvent.objects.filter(assessment=assessment).count() == events_before
    assert not AssessmentEvent.objects.filter(
        assessment=assessment, kind=EventKind.APPROVED
    ).exists()
