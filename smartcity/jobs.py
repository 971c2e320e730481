"""Tracked background jobs, and the outbox that queues every task.

A tracked job is a row a person can follow: queued → running → done, or failed with a message for
them (never a traceback). Each kind of job (cycle opening, gap report, export, ...) is a concrete
subclass of `TrackedJob` in its app, with a Celery task that takes the job's primary key and calls
`run_job`. Its status is shown by `templates/includes/job_status.html`, which polls while the job
is queued or running (see `smartcity/job_views.py`).

Every task is queued through the outbox (`enqueue_on_commit`): the message is written in the
transaction of the change that needs it and published after the commit with a short broker
timeout. When the broker cannot be reached the request still succeeds; the message stays unsent
and the beat task `smartcity.outbox_resend` publishes it later. Delivery is at least once, so
tasks are idempotent: `run_job` does nothing for a job that is already done or failed.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import ClassVar, TypeVar

from celery import Celery, Task, current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from smartcity.models import OutboxMessage

logger = logging.getLogger(__name__)

# Shown when a job failed for a reason the job did not name: never the exception itself.
SERVER_ERROR = gettext_noop(
    "The job stopped because of an error on the server. Try again; if it fails again, "
    "tell the administrators."
)
TIME_LIMIT_ERROR = gettext_noop(
    "The job took too long and was stopped. Try again; if it fails again, tell the administrators."
)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class TrackedJob(models.Model):
    """What every tracked job records. Subclasses add their inputs and results and set:

    - `task_name`: the Celery task that runs the job, taking its primary key;
    - `url_name`: the URL-name prefix of its `<url_name>_status` and `<url_name>_retry` views
      (`smartcity.job_views.job_urlpatterns`);
    - `scope_region_field`: the lookup to the region the job concerns, which decides who may follow
      it (`access.jobs_visible_to`); None for jobs only administrators follow;
    - `get_absolute_url()`: the page that shows the job.

    `step` and `error` hold English message ids (mark them with `gettext_noop`); they are
    translated when shown, in the reader's language. `error_params` fills the error's `%(name)s`.
    """

    task_name: ClassVar[str]
    url_name: ClassVar[str]
    scope_region_field: ClassVar[str | None] = None

    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    inputs_hash = models.CharField(_("inputs hash"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("step"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    error_params = models.JSONField(_("error details"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="%(app_label)s_%(class)s_progress_max_100"
            )
        ]

    def get_absolute_url(self) -> str:
        raise NotImplementedError("a tracked job names the page that shows it")

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def is_failed(self) -> bool:
        return self.status == JobStatus.FAILED

    @property
    def is_done(self) -> bool:
        return self.status == JobStatus.DONE

    @property
    def step_label(self) -> str:
        return gettext(self.step) if self.step else ""

    @property
    def error_message(self) -> str:
        if not self.error:
            return ""
        return gettext(self.error) % self.error_params if self.error_params else gettext(self.error)

    @property
    def status_url(self) -> str:
        return reverse(f"{self.url_name}_status", kwargs={"pk": self.pk})

    @property
    def retry_url(self) -> str:
        return reverse(f"{self.url_name}_retry", kwargs={"pk": self.pk})

    @property
    def result_summary(self) -> str:
        """One sentence on what the finished job produced; subclasses override it."""
        return ""


Job = TypeVar("Job", bound=TrackedJob)


class JobFailed(Exception):
    """Raised by a job's work to fail it with `message` (an English msgid) for the user."""

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(message % params if params else message)


# --- The job's life ------------------------------------------------------------------------------
def _update(job: TrackedJob, **fields: object) -> None:
    type(job).objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def job_claim(*, model: type[Job], pk: int, step: str = "") -> Job | None:
    """Mark the job running and count the attempt, in one conditional UPDATE.

    A job found running was claimed by a delivery whose worker was lost (its work rolled back):
    this delivery takes it over. A done or failed job gives None, so a repeated delivery does
    nothing.
    """
    claimed = model.objects.filter(pk=pk, status__in=ACTIVE).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        progress=0,
        step=step,
    )
    return model.objects.get(pk=pk) if claimed else None


def job_progress(*, job: TrackedJob, percent: int, step: str) -> None:
    """Record how far the job got (0-100) and what it is doing (an English msgid).

    Followers see it once it is committed: work that runs in one transaction shows its progress
    when it ends, work that commits in steps shows every step.
    """
    _update(job, progress=max(0, min(100, percent)), step=step)


def job_finish(*, job: TrackedJob, results: dict | None = None) -> None:
    """The job is done; `results` are the job's result fields to store with that."""
    _update(
        job,
        status=JobStatus.DONE,
        progress=100,
        step="",
        finished_at=timezone.now(),
        **(results or {}),
    )


def job_fail(*, job: TrackedJob, error: str, params: dict | None = None) -> None:
    """The job failed with `error` (an English msgid, with `params` for its placeholders)."""
    _update(
        job,
        status=JobStatus.FAILED,
        error=error,
        error_params=params or {},
        finished_at=timezone.now(),
    )


@transaction.atomic
def job_retry(*, job: TrackedJob) -> bool:
    """Queue a failed job again (its task is published on commit); False if it had not failed."""
    queued = (
        type(job)
        .objects.filter(pk=job.pk, status=JobStatus.FAILED)
        .update(
            status=JobStatus.QUEUED,
            error="",
            error_params={},
            progress=0,
            step="",
            started_at=None,
            finished_at=None,
        )
    )
    job.refresh_from_db()
    if queued:
        enqueue_on_commit(job.task_name, job.pk)
    return bool(queued)


def run_job(
    *, model: type[Job], pk: int, work: Callable[[Job], dict | None], step: str = ""
) -> str:
    """What a job's task calls: claim the job, run `work(job)` and mark it done, atomically.

    `work` may return the job's result fields (stored with the "done" status).

    The work and the "done" commit together, under a lock on the job's row, so two deliveries of
    one job never both do the work. `JobFailed` fails the job with its message; any other error
    fails it with a general message (the traceback goes to the log, not to the user).
    Returns the job's final status.
    """
    job = job_claim(model=model, pk=pk, step=step)
    if job is None:
        return model.objects.values_list("status", flat=True).get(pk=pk)
    try:
        with transaction.atomic():
            job = model.objects.select_for_update().get(pk=pk)
            if job.status == JobStatus.RUNNING:  # not finished by another delivery meanwhile
                job_finish(job=job, results=work(job))
    except JobFailed as failed:
        job_fail(job=job, error=failed.message, params=failed.params)
    except SoftTimeLimitExceeded:
        job_fail(job=job, error=TIME_LIMIT_ERROR)
    except Exception:
        logger.exception("Job %s %s failed", model.__name__, pk)
        job_fail(job=job, error=SERVER_ERROR)
    return job.status


def run_inline(*, job: Job, work: Callable[[Job], dict | None]) -> None:
    """Run a queued job now, in the caller's transaction, letting any error propagate: for
    commands, demo data and tests that need the result at once."""
    claimed = job_claim(model=type(job), pk=job.pk)
    if claimed is None:
        raise ValueError(f"{job!r} is not queued")
    job_finish(job=claimed, results=work(claimed))
    job.refresh_from_db()


# --- The outbox ----------------------------------------------------------------------------------
def enqueue_on_commit(task: Task | str, *args: int | str) -> OutboxMessage:
    """Queue `task(*args)` once the current transaction commits; it never fails the caller.

    The message is written now, in the caller's transaction (rolled back with it), and published
    after the commit. Without a broker (eager mode) the task runs in-process at that point.
    """
    name = task if isinstance(task, str) else task.name
    message = OutboxMessage.objects.create(task=name, args=list(args))
    transaction.on_commit(partial(outbox_publish, message=message), robust=True)
    return message


def outbox_publish(*, message: OutboxMessage) -> bool:
    """Publish one message and mark it sent; on any failure record it and return False.

    The broker timeouts in settings (`CELERY_BROKER_CONNECTION_TIMEOUT`, no publish retry) keep
    this to about a second when the broker is down. No result is stored for outbox tasks: their
    outcome is in the database (a job's status, an e-mail's log).
    """
    app = current_app
    try:
        task = _registered_task(app, message.task)
        with app.connection_for_write() as connection:
            task.apply_async(
                args=message.args,
                task_id=str(message.task_id),
                connection=connection,
                retry=False,
                ignore_result=True,
            )
    # Broker unreachable, unknown task, or (eager mode) the task itself: never the caller's problem.
    except Exception as error:  # noqa: BLE001
        logger.warning("Outbox message %s (%s) not sent: %r", message.pk, message.task, error)
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1, last_error=repr(error)[:2000]
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return True


def _registered_task(app: Celery, name: str) -> Task:
    if name not in app.tasks:
        # A web process has not imported the apps' tasks modules yet: load them as a worker does.
        app.loader.import_default_modules()
    return app.tasks[name]


def outbox_resend(*, older_than: timedelta, batch: int = 200) -> int:
    """Publish the messages still unsent `older_than` after they were written, oldest first.

    Younger ones are left to their own on-commit publish. Stops at the first failure (the broker
    is still down; the next run tries again). Returns how many were sent.
    """
    unsent = OutboxMessage.objects.filter(
        sent_at=None, created_at__lte=timezone.now() - older_than
    ).order_by("created_at")[:batch]
    sent = 0
    for message in unsent:
        if not outbox_publish(message=message):
            break
        sent += 1
    return sent


def outbox_prune(*, older_than: timedelta) -> int:
    """Delete messages sent longer than `older_than` ago; returns how many."""
    deleted, _per_model = OutboxMessage.objects.filter(
        sent_at__lte=timezone.now() - older_than
    ).delete()
    return deleted
