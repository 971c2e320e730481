"""Cycles, assessments, indicator responses, evidence, review comments and the event log.

A Cycle opens one Assessment per region. Officials answer every indicator (IndicatorResponse),
attach Evidence, and submit; facilitators verify each response, comment, return for revision or
approve. Every transition is an AssessmentEvent; every field change of responses and evidence is
kept by django-simple-history.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from smartcity.jobs import TrackedJob
from smartcity.models import Framework, Indicator, Region


class Cycle(models.Model):
    """One assessment round (e.g. 2026) on one published framework version."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("framework")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    # Default target of an indicator: the current level plus this many levels, capped at
    # target_cap (or at the top of the scale when empty).
    target_step = models.PositiveSmallIntegerField(
        _("default target: levels above current"), default=1
    )
    target_cap = models.PositiveSmallIntegerField(
        _("default target: at most"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Closed by an administrator: no region edits or submits any more, but one given an extension.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-opens_on"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        constraints = [
            models.UniqueConstraint(fields=["year", "title"], name="cycle_unique_title_per_year"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="cycle_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CycleOpeningJob(TrackedJob):
    """Opening a cycle in the background: one assessment per listed region, pre-filled from its
    last approved assessment (task `assessments.open_cycle`). Administrators follow it."""

    task_name = "assessments.open_cycle"
    url_name = "assessments:cycle_opening"

    cycle = models.OneToOneField(
        Cycle, on_delete=models.CASCADE, related_name="opening", verbose_name=_("cycle")
    )
    region_ids = models.JSONField(_("regions"), default=list)
    assessments = models.PositiveIntegerField(_("assessments opened"), default=0)
    prefilled = models.PositiveIntegerField(_("pre-filled"), default=0)

    class Meta(TrackedJob.Meta):
        verbose_name = _("cycle opening")
        verbose_name_plural = _("cycle openings")

    def __str__(self) -> str:
        return str(self.cycle)

    def get_absolute_url(self) -> str:
        return reverse("assessments:cycle_detail", kwargs={"pk": self.cycle_id})

    @property
    def result_summary(self) -> str:
        return ngettext(
            "%(count)d assessment opened, %(prefilled)d of them pre-filled.",
            "%(count)d assessments opened, %(prefilled)d of them pre-filled.",
            self.assessments,
        ) % {"count": self.assessments, "prefilled": self.prefilled}


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")


EDITABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
REVIEWABLE_STATUSES = (AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW)


class Assessment(models.Model):
    """A region's self-assessment in one cycle."""

    # Both keys are indexed by the composite indexes below, which lead with them.
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("cycle"),
        db_index=False,
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("region"),
        db_index=False,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    baseline = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous approved assessment"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    return_note = models.TextField(_("note for revision"), blank=True)
    # A facilitator's exception to the cycle's deadline for this region: it may edit and submit
    # until this date, also once the cycle is closed.
    extended_until = models.DateField(_("deadline extended until"), null=True, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["cycle", "region__code"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "region"], name="assessment_unique_region")
        ]
        # What the analysis filters by: a cycle's assessments in a status (dashboards, reports)
        # and a region's in a status (its latest approved one, trends). They also serve cycle and
        # region alone, in place of the foreign keys' own indexes (which the planner preferred,
        # filtering the status row by row: tests/assessments/test_analysis_indexes.py).
        indexes = [
            models.Index(fields=["cycle", "status"], name="assessment_cycle_status"),
            models.Index(fields=["region", "status"], name="assessment_region_status"),
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.cycle}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def due_on(self) -> date:
        """The region's closing date: the cycle's, or the facilitator's extension."""
        return self.extended_until or self.cycle.closes_on

    def is_closed_on(self, today: date) -> bool:
        """Whether the closed cycle stops this region's edits on `today` (no extension left)."""
        if self.cycle.closed_at is None:
            return False
        return self.extended_until is None or today > self.extended_until

    @property
    def submitted_late(self) -> bool:
        """Submitted after the region's deadline (in the server's time zone)."""
        if self.submitted_at is None:
            return False
        return timezone.localdate(self.submitted_at) > self.due_on

    @property
    def is_reviewable(self) -> bool:
        return self.status in REVIEWABLE_STATUSES


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Not yet reviewed")
    ACCEPTED = "accepted", _("Accepted")
    ADJUSTED = "adjusted", _("Adjusted")


class IndicatorResponse(models.Model):
    """A region's answer to one indicator, and the facilitator's verification of it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    self_level = models.SmallIntegerField(_("self-assessed level"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    na_reason = models.TextField(_("reason it does not apply"), blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    target_level = models.SmallIntegerField(_("target level"), null=True, blank=True)
    # True while the target is the cycle's default for the level (it then follows the level);
    # False once the official chose a target, which stays.
    target_is_default = models.BooleanField(_("target is the cycle's default"), default=True)
    verified_level = models.SmallIntegerField(_("verified level"), null=True, blank=True)
    verification_reason = models.TextField(_("reason for the verified level"), blank=True)
    review_state = models.CharField(
        _("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(_("flagged for revision"), default=False)
    flag_note = models.TextField(_("note for revision"), blank=True)
    # The official's answer to the flag: marked by hand with a reply, or by changing the answer
    # or its evidence. A flag (and its answer) stays until the next return or the approval, so the
    # facilitator sees it on re-review.
    flag_addressed = models.BooleanField(_("flag addressed"), default=False)
    flag_reply = models.TextField(_("reply to the flag"), blank=True)
    # The verification that a change after a return set aside (shown as "previous verification").
    previous_verified_level = models.SmallIntegerField(
        _("previous verified level"), null=True, blank=True
    )
    previous_verification_reason = models.TextField(
        _("reason for the previous verified level"), blank=True
    )
    # The answer as it stood when the assessment was last returned (level, N/A, narrative,
    # evidence), so re-review can show what changed since; empty before any return.
    returned_answer = models.JSONField(_("answer when returned"), default=dict, blank=True)
    # Pre-filled from the previous approved assessment and not edited since.
    carried_over = models.BooleanField(_("carried over"), default=False)
    # Optimistic locking: a save names the version it started from; a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "returned_answer"])

    class Meta:
        ordering = ["assessment", "indicator__position"]
        verbose_name = _("indicator response")
        verbose_name_plural = _("indicator responses")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="response_unique_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} · {self.indicator_id}"

    @property
    def is_answered(self) -> bool:
        return self.not_applicable or self.self_level is not None

    @property
    def stated_target(self) -> int | None:
        """The target as the official stated it: None for "the cycle's default"."""
        return None if self.target_is_default else self.target_level

    @property
    def analysis_level(self) -> int | None:
        """The level analysis uses: the verified level where a facilitator set one."""
        return self.verified_level if self.verified_level is not None else self.self_level


def evidence_upload_path(evidence: "Evidence", filename: str) -> str:
    """evidence/<region code>/<cycle year>/<sha256>.<ext>: stable, never a user's file name."""
    assessment = evidence.response.assessment
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        f"evidence/{assessment.region.code}/{assessment.cycle.year}/{evidence.sha256}.{extension}"
    )


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")


class Evidence(models.Model):
    """Bukti dukung: an uploaded file (stored outside static/, with its checksum) or a link."""

    response = models.ForeignKey(
        IndicatorResponse, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=4, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to=evidence_upload_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    carried_over = models.BooleanField(_("carried over"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["response", "uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                name="evidence_file_or_link",
                condition=(Q(kind="file") & ~Q(file="") & Q(url=""))
                | (Q(kind="link") & Q(file="") & ~Q(url="")),
            )
        ]

    def __str__(self) -> str:
        return self.original_name or self.url

    @property
    def is_inline_viewable(self) -> bool:
        """Browsers show PDFs and images themselves; Office files are downloaded."""
        return self.content_type == "application/pdf" or self.content_type.startswith("image/")


class ResponseComment(models.Model):
    """One message in the discussion thread of an indicator response."""

    response = models.ForeignKey(
        IndicatorResponse, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["response", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.author} · {self.created_at:%Y-%m-%d %H:%M}"


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    SUBMITTED = "submitted", _("Submitted")
    REVIEW_STARTED = "review_started", _("Review started")
    RETURNED = "returned", _("Returned for revision")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")
    EXCEL_IMPORTED = "excel_imported", _("Imported from Excel")


class AssessmentEvent(models.Model):
    """One step of an assessment's life, shown as its timeline."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    # Details that belong to the event, e.g. the codes of the indicators flagged on return.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "created_at", "pk"]
        verbose_name = _("assessment event")
        verbose_name_plural = _("assessment events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class LevelBasis(models.TextChoices):
    """Which level a score was computed from (`assessments.analysis.frame`'s basis values)."""

    VERIFIED = "verified", _("Verified")
    SELF = "self", _("Self-assessed")
    MIXED = "mixed", _("Mixed")


class GapReport(TrackedJob):
    """A gap-analysis report of one assessment, built by the task `assessments.build_gap_report`.

    `figures` holds everything the report page, the master plan and the exports read (scores,
    gaps, priorities, trend, peers, checks) as JSON. A report of an assessment that is not yet
    approved is `preliminary`. Reports are kept; the newest finished one is the assessment's
    report, and `inputs_hash` lets a rerun on unchanged inputs reuse it.
    """

    task_name = "assessments.build_gap_report"
    url_name = "assessments:gap_report"
    scope_region_field = "assessment__region"

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="gap_reports",
        verbose_name=_("assessment"),
    )
    preliminary = models.BooleanField(_("preliminary"), default=False)
    basis = models.CharField(
        _("level basis"), max_length=10, choices=LevelBasis.choices, blank=True
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)

    class Meta(TrackedJob.Meta):
        verbose_name = _("gap report")
        verbose_name_plural = _("gap reports")
        indexes = [
            models.Index(fields=["assessment", "status", "-finished_at"], name="gapreport_latest")
        ]

    def __str__(self) -> str:
        return str(self.assessment)

    def get_absolute_url(self) -> str:
        return reverse("assessments:gap_report", kwargs={"pk": self.pk})


class SnapshotScope(models.TextChoices):
    INDICATOR = "indicator", _("Indicator")
    ELEMENT = "element", _("Element")
    PILLAR = "pillar", _("Pillar")
    SMART_CITY_INDEX = "smart_city_index", _("Smart-city index")
    READINESS_INDEX = "readiness_index", _("Readiness index")


class ScoreSnapshot(models.Model):
    """One score of an assessment's latest report: the rows the dashboards and exports read.

    An assessment has one set, written atomically with its report and replacing the previous set.
    `cycle` and `region` repeat the assessment's so that the dashboards filter without a join.
    `code` is the indicator, element or pillar code, or INDEX / READINESS on the index rows.
    Scores are on the framework's own scale; None is "no data".
    """

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="score_snapshots",
        verbose_name=_("assessment"),
        db_index=False,
    )
    report = models.ForeignKey(
        GapReport,
        on_delete=models.CASCADE,
        related_name="snapshots",
        verbose_name=_("report"),
        db_index=False,
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="+", verbose_name=_("cycle"), db_index=False
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"), db_index=False
    )
    preliminary = models.BooleanField(_("preliminary"), default=False)
    scope = models.CharField(_("scope"), max_length=20, choices=SnapshotScope.choices)
    code = models.CharField(_("code"), max_length=40)
    current = models.FloatField(_("current"), null=True, blank=True)
    target = models.FloatField(_("target"), null=True, blank=True)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    basis = models.CharField(
        _("level basis"), max_length=10, choices=LevelBasis.choices, blank=True
    )
    predikat = models.CharField(_("predikat"), max_length=80, blank=True)

    class Meta:
        ordering = ["assessment", "scope", "code"]
        verbose_name = _("score snapshot")
        verbose_name_plural = _("score snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "scope", "code"], name="scoresnapshot_unique_code"
            )
        ]
        # The dashboards read a cycle's rows of one scope (and code); the unique constraint's
        # index serves an assessment's set; the report index serves its cascade.
        indexes = [
            models.Index(fields=["cycle", "scope", "code"], name="scoresnapshot_cycle_scope"),
            models.Index(fields=["report"], name="scoresnapshot_report"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.scope} {self.code}"


class CycleScoresJob(TrackedJob):
    """The ministry's recomputation of a whole cycle (task `assessments.recompute_cycle`): every
    approved assessment's report and snapshot rows, and every peer figure, in one vectorised pass
    (`services.cycle_scores_run`). Administrators follow it."""

    task_name = "assessments.recompute_cycle"
    url_name = "assessments:cycle_scores"

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="score_jobs", verbose_name=_("cycle")
    )
    reports = models.PositiveIntegerField(_("reports written"), default=0)
    snapshots = models.PositiveIntegerField(_("score rows written"), default=0)

    class Meta(TrackedJob.Meta):
        verbose_name = _("cycle recomputation")
        verbose_name_plural = _("cycle recomputations")

    def __str__(self) -> str:
        return str(self.cycle)

    def get_absolute_url(self) -> str:
        """The job's page while it is not done; then the cycle, where its reports are listed."""
        if self.is_done:
            return reverse("assessments:cycle_detail", kwargs={"pk": self.cycle_id})
        return reverse("assessments:cycle_scores", kwargs={"pk": self.pk})

    @property
    def result_summary(self) -> str:
        return ngettext(
            "%(count)d report recomputed and %(rows)d score rows written; every peer figure is "
            "up to date.",
            "%(count)d reports recomputed and %(rows)d score rows written; every peer figure is "
            "up to date.",
            self.reports,
        ) % {"count": self.reports, "rows": self.snapshots}
