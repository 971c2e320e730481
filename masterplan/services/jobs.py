"""Drafting a plan as a tracked job: queued from the plan list, run by `masterplan.tasks`."""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.models import Assessment
from masterplan.models import MasterPlanDraftJob
from masterplan.services.drafting import masterplan_draft, require_drafter
from masterplan.services.errors import WrongState
from smartcity import jobs
from smartcity.jobs import JobFailed
from smartcity.models import User


@transaction.atomic
def masterplan_draft_job_start(
    *,
    assessment: Assessment,
    user: User,
    start_year: int | None = None,
    ceiling: int | None = None,
) -> MasterPlanDraftJob:
    """Queue the drafting of a plan from `assessment`; the job's task runs `masterplan_draft`.

    Checked now as well as when it runs, so a refusal is said at once. A second request while
    one is queued or running for the same assessment returns that job.
    """
    require_drafter(user, assessment)
    if ceiling is not None and ceiling <= 0:
        raise WrongState(_("The yearly budget ceiling must be a positive amount."))
    active = MasterPlanDraftJob.objects.filter(
        assessment=assessment, status__in=jobs.ACTIVE
    ).first()
    if active is not None:
        return active
    job = MasterPlanDraftJob.objects.create(
        assessment=assessment, requested_by=user, start_year=start_year, ceiling=ceiling
    )
    jobs.enqueue_on_commit(MasterPlanDraftJob.task_name, job.pk)
    return job


def masterplan_draft_job_run(job: MasterPlanDraftJob) -> dict:
    """The work of the job, inside its transaction (see `jobs.run_job`): the drafted plan.

    A refusal fails the job with its message, taken in English: the job keeps message ids and
    translates them for each reader."""
    try:
        with translation.override("en"):
            plan = masterplan_draft(
                assessment=Assessment.objects.select_related("cycle", "region").get(
                    pk=job.assessment_id
                ),
                user=job.requested_by,
                start_year=job.start_year,
                ceiling=job.ceiling,
            )
    except WrongState as refused:
        raise JobFailed(str(refused)) from refused
    return {"plan": plan}
