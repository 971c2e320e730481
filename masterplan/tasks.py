"""Celery tasks of the masterplan app: thin wrappers taking primary keys, idempotent (outbox)."""

from celery import shared_task
from django.utils.translation import gettext_noop

from masterplan import services
from masterplan.exports import services as export_services
from masterplan.exports.models import ExportJob
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


@shared_task(name=ExportJob.task_name)
def export_plan(job_id: int) -> str:
    """Render one export (`exports.services.export_run`); returns the job's final status."""
    jobs.run_job(
        model=ExportJob,
        pk=job_id,
        work=export_services.export_run,
        step=gettext_noop("Starting the export"),
    )
    export_services.export_flag_missing_charts(job_id=job_id)
    return ExportJob.objects.values_list("status", flat=True).get(pk=job_id)


@shared_task(name="masterplan.export_cleanup")
def export_cleanup() -> int:
    """Delete export files past the retention (EXPORT_KEEP_DAYS); returns how many."""
    return export_services.export_cleanup()
