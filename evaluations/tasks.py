"""Celery tasks of the evaluations app: thin, taking primary keys."""

from celery import shared_task
from django.utils.translation import gettext_noop

from evaluations.models import EvaluationLetter
from evaluations.services.letters import letter_render
from smartcity.jobs import run_job


@shared_task(name="evaluations.render_letter", acks_late=True, soft_time_limit=120, time_limit=150)
def render_letter(letter_id: int) -> str:
    """Render an evaluation letter's PDF."""
    return run_job(
        model=EvaluationLetter,
        pk=letter_id,
        work=letter_render,
        step=gettext_noop("Writing the letter"),
    )
