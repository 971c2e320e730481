"""Celery tasks of the masterplan app: thin wrappers taking primary keys, idempotent (outbox)."""

from celery import shared_task
from django.utils.translation import gettext_noop

from masterplan import services
from masterplan.models import MasterPlanDraftJob
from smartcity import jobs


@shared_task(name=MasterPlanDraftJob.task_name)
def draft_masterplan(job_id: int) -> str:
    """Draft a plan (`services.masterplan_draft_job_run`); returns the job's status."""
    return jobs.run_job(
        model=MasterPlanDraftJob,
        pk=job_id,
        work=services.masterplan_draft_job_run,
        step=gettext_noop("Drafting the master plan"),
    )
