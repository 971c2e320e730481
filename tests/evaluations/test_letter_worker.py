"""The letter through the broker to a real worker (PostgreSQL and Redis)."""

import time

import pytest

from evaluations import services
from evaluations.models import EvaluationLetter
from tests.evaluations.conftest import open_round
from tests.services import postgresql_problem, require_service


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_letter(
    world, facilitator, official, administrator, celery_worker
):
    require_service("PostgreSQL", postgresql_problem())
    evaluation = open_round(administrator).evaluations.get()
    for code in ("IMPACT", "QUICK_WIN_QUALITY"):
        services.judgement_save(
            evaluation=evaluation, user=facilitator, code=code, score=3, reason="Paparan"
        )
    services.evaluation_finalise(evaluation=evaluation, user=facilitator)
    letter = services.letter_request(evaluation=evaluation, user=official)  # committed: queued
    deadline = time.monotonic() + 60
    while not letter.is_done:
        assert not letter.is_failed, letter.error
        assert time.monotonic() < deadline, celery_worker.logfile.read_text()[-3000:]
        time.sleep(0.3)
        letter.refresh_from_db()
    assert letter.file.name.endswith("-id.pdf")
    assert "evaluations.render_letter" in celery_worker.logfile.read_text()
    assert EvaluationLetter.objects.get().attempts == 1
