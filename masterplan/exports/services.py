"""Writes of the exports: request an export (reusing an unchanged one), run it, clean up."""

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from masterplan import selectors
from masterplan.exports import content, docx, figures, pdf, xlsx
from masterplan.exports.models import ExportJob, ExportKind, ExportPart
from masterplan.models import MasterPlan
from masterplan.services.errors import InvalidInput
from smartcity import jobs
from smartcity.jobs import JobStatus
from smartcity.models import User

LANGUAGES = ("id", "en")
STEP_CONTENT = gettext_noop("Gathering the plan and the assessment")
STEP_CHARTS = gettext_noop("Drawing the charts")
STEP_LAYOUT = gettext_noop("Laying out the document")
STEP_STORE = gettext_noop("Storing the file")


def export_inputs_hash(*, plan: MasterPlan, kind: str, part: str, language: str) -> str:
    """What the file depends on: the plan version and revision, its items' state, the request
    (one query)."""
    items = plan.items.aggregate(
        count=Count("pk"), versions=Sum("version"), changed=Max("updated_at")
    )
    state = [
        plan.pk,
        plan.edition,
        plan.version,
        plan.status,
        plan.updated_at.isoformat(),
        items["count"],
        items["versions"],
        items["changed"].isoformat() if items["changed"] else None,
        kind,
        part,
        language,
    ]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()


@transaction.atomic
def export_request(
    *, plan: MasterPlan, user: User | None, kind: str, part: str = ExportPart.ALL, language: str
) -> ExportJob:
    """The export of `plan` as asked: a finished one of the same inputs whose file is still
    there, one already under way, or a new job queued on commit. 404 outside scope."""
    selectors.require_visible(user, plan)
    if kind not in ExportKind.values:
        raise InvalidInput(gettext("Choose PDF, DOCX or XLSX."))
    if part not in ExportPart.values:
        raise InvalidInput(gettext("Choose the whole master plan or one of its books."))
    if language not in LANGUAGES:
        raise InvalidInput(gettext("Choose Indonesian or English."))
    inputs = export_inputs_hash(plan=plan, kind=kind, part=part, language=language)
    same = ExportJob.objects.filter(plan=plan, inputs_hash=inputs).order_by("-created_at")
    reusable = same.filter(status__in=[*jobs.ACTIVE, JobStatus.DONE]).first()
    if reusable is not None and (reusable.is_active or reusable.file):
        return reusable
    job = ExportJob.objects.create(
        plan=plan,
        kind=kind,
        part=part,
        language=language,
        plan_edition=plan.edition,
        plan_version=plan.version,
        inputs_hash=inputs,
        requested_by=user,
    )
    jobs.enqueue_on_commit(job.task_name, job.pk)
    return job


def export_render(
    job_plan: MasterPlan, *, kind: str, part: str, language: str, progress=None
) -> tuple[bytes, str]:
    """The file's bytes and the chart note (an English msgid, "" when every chart was drawn)."""
    step = progress or (lambda percent, message: None)
    with translation.override(language):
        step(10, STEP_CONTENT)
        book = content.book_content(job_plan, part=part, language=language)
        if kind == ExportKind.XLSX:
            step(60, STEP_LAYOUT)
            return xlsx.book_xlsx(book), ""
        step(30, STEP_CHARTS)
        note = ""
        try:
            images = figures.render_all(
                book.figures, image_format="svg" if kind == ExportKind.PDF else "png"
            )
        except figures.ChartsUnavailable as failed:
            images, note = {}, failed.message
        step(60, STEP_LAYOUT)
        shown = gettext(note) if note else ""
        if kind == ExportKind.PDF:
            return pdf.book_pdf(book, images, shown), note
        return docx.book_docx(book, images, shown), note


def export_run(job: ExportJob) -> dict:
    """The work of the export task: render the file and store it on the job."""
    plan = MasterPlan.objects.select_related("region", "assessment__cycle").get(pk=job.plan_id)

    def progress(percent: int, message: str) -> None:
        jobs.job_progress(job=job, percent=percent, step=message)

    data, note = export_render(
        plan, kind=job.kind, part=job.part, language=job.language, progress=progress
    )
    progress(90, STEP_STORE)
    if job.file:
        job.file.delete(save=False)
    job.plan = plan
    job.file.save(f"export.{job.kind}", ContentFile(data), save=False)
    return {"file": job.file.name, "size": len(data), "chart_note": note}


def export_flag_missing_charts(*, job_id: int) -> bool:
    """A finished export whose charts could not be drawn becomes failed with that message, its
    file kept (the book has the tables instead): the user sees why and may try again."""
    job = ExportJob.objects.filter(pk=job_id, status=JobStatus.DONE).exclude(chart_note="").first()
    if job is None:
        return False
    jobs.job_fail(job=job, error=job.chart_note)
    return True


def export_cleanup(*, older_than: timedelta | None = None) -> int:
    """Delete the files of exports finished longer than the retention ago (EXPORT_KEEP_DAYS);
    the job rows stay, without a file. Returns how many files were deleted."""
    keep = older_than if older_than is not None else timedelta(days=settings.EXPORT_KEEP_DAYS)
    old = ExportJob.objects.filter(finished_at__lt=timezone.now() - keep).exclude(file="")
    deleted = 0
    for job in old:
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="", size=0)
        deleted += 1
    return deleted
