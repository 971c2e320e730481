"""Models of the evaluations app: progress on the plan's items and the yearly evaluation rounds.

Progress is reported per reporting period (a semester by default): every report is a new
`ProgressUpdate` row, so the history of an item is the list of its updates; the newest one of a
period is the item's state in that period. An `EvaluationRound` is opened per year with its five
dimensions and their weights as rows (weights change from year to year) and its two stages.
`RegionEvaluation.computed` holds the pre-computed scores with their inputs (`scoring.py`);
assessors add `Judgement`s and `Recommendation`s, each recommendation followed up as an item of
the region's plan.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.scoring import DIMENSIONS, QUALITY, Dimension, ProgressStatus
from masterplan.models import ActionItem, FundingSource
from smartcity.jobs import TrackedJob
from smartcity.models import Region


class PeriodKind(models.TextChoices):
    SEMESTER = "semester", _("semester")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class ReportingPeriod(models.Model):
    """A period officials report progress for (the first semester of 2026, ...)."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.SEMESTER
    )
    number = models.PositiveSmallIntegerField(_("number"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "number"], name="reporting_period_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="reporting_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} {self.year}"


class StatusChoice(models.TextChoices):
    NOT_STARTED = ProgressStatus.NOT_STARTED, _("not started")
    IN_PROGRESS = ProgressStatus.IN_PROGRESS, _("in progress")
    DONE = ProgressStatus.DONE, _("done")
    DELAYED = ProgressStatus.DELAYED, _("delayed")
    CANCELLED = ProgressStatus.CANCELLED, _("cancelled")


class ProgressUpdate(models.Model):
    """One report of an official on one item for one period; never changed, only followed."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="progress")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=StatusChoice.choices)
    reason = models.TextField(_("reason"), blank=True)
    percent = models.PositiveSmallIntegerField(_("percent complete"), default=0)
    actual_spend = models.BigIntegerField(_("actual spend (IDR)"), null=True, blank=True)
    spend_source = models.CharField(
        _("source of the spend"), max_length=20, choices=FundingSource.choices, blank=True
    )
    kpi_value = models.CharField(_("KPI realised"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["item", "-reported_at", "-pk"]
        indexes = [models.Index(fields=["item", "period", "-reported_at"], name="progress_latest")]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="progress_max_100"),
            models.CheckConstraint(
                condition=models.Q(actual_spend__gte=0) | models.Q(actual_spend=None),
                name="progress_spend_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.period} · {self.status}"


def progress_evidence_path(evidence: "ProgressEvidence", filename: str) -> str:
    """progress/<region code>/<year>/<sha256>.<ext>: stable, never a user's file name."""
    update = evidence.update
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    region = update.item.plan.region.code
    return f"progress/{region}/{update.period.year}/{evidence.sha256}.{extension}"


class ProgressEvidence(models.Model):
    """A file (checked by content like an assessment's evidence) or a link for an update."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=progress_evidence_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress evidence")
        verbose_name_plural = _("progress evidence")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name or self.url


class RoundStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class EvaluationRound(models.Model):
    """The ministry's evaluation of one year; its scale, dimensions, weights and stages are data.

    `output_pillars` names the readiness pillars whose scores stand for the foundation (Output)
    and whose plan items are the governance items.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    scale_min = models.FloatField(_("lowest score"), default=1)
    scale_max = models.FloatField(_("highest score"), default=5)
    output_pillars = models.JSONField(_("readiness pillars of the foundation"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="evaluation_round_scale",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluations:round_detail", kwargs={"pk": self.pk})


class DimensionChoice(models.TextChoices):
    BASELINE = Dimension.BASELINE, _("Baseline")
    OUTPUT = Dimension.OUTPUT, _("Output")
    OUTCOME = Dimension.OUTCOME, _("Outcome")
    IMPACT = Dimension.IMPACT, _("Impact")
    QUICK_WIN = Dimension.QUICK_WIN, _("Quick Win")


class RoundDimension(models.Model):
    """One evaluation dimension of a round with its weight (percent)."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(_("dimension"), max_length=12, choices=DimensionChoice.choices)
    weight = models.FloatField(_("weight (%)"))

    class Meta:
        verbose_name = _("round dimension")
        verbose_name_plural = _("round dimensions")
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="round_dimension_unique"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="round_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.code} {self.weight}"

    @property
    def position(self) -> int:
        return DIMENSIONS.index(self.code)


class StageKind(models.TextChoices):
    DESK = "desk", _("desk evaluation")
    FIELD = "field", _("field verification")


class RoundStage(models.Model):
    """A stage of a round (desk evaluation, field verification) with its dates."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("stage"), max_length=10, choices=StageKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("round stage")
        verbose_name_plural = _("round stages")
        ordering = ["round", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["round", "kind"], name="round_stage_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="round_stage_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.get_kind_display()}"


class EvaluationStage(models.TextChoices):
    """How far a region's evaluation got in its round."""

    NOT_STARTED = "not_started", _("not started")
    DESK = "desk", _("desk evaluation")
    FIELD = "field", _("field verification")
    FINAL = "final", _("final")


class RegionEvaluation(models.Model):
    """One region's evaluation in a round: the pre-computed scores and how far it got.

    `computed` maps each dimension code to {"score", "inputs"} (score None: missing data), plus
    "programs" (per smart-city dimension) and "lagging" (suggestions), as `scoring` returns them.
    """

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="evaluations")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    computed = models.JSONField(_("pre-computed scores"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    stage = models.CharField(
        _("stage"),
        max_length=12,
        choices=EvaluationStage.choices,
        default=EvaluationStage.NOT_STARTED,
    )
    achievement = models.FloatField(_("achievement index"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("region evaluation")
        verbose_name_plural = _("region evaluations")
        ordering = ["round", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "region"], name="region_evaluation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.region}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:evaluation_detail", kwargs={"pk": self.pk})

    @property
    def is_final(self) -> bool:
        return self.stage == EvaluationStage.FINAL


JUDGED = [*DimensionChoice.choices, (QUALITY, _("Quality of the quick wins"))]


class Judgement(models.Model):
    """An assessor's score of one dimension (or of the quick wins' quality), with a reason.

    `computed` is the pre-computed score it replaces (None where there was none), so that an
    override is visible as one.
    """

    evaluation = models.ForeignKey(
        RegionEvaluation, on_delete=models.CASCADE, related_name="judgements"
    )
    code = models.CharField(_("dimension"), max_length=20, choices=JUDGED)
    score = models.FloatField(_("score"))
    computed = models.FloatField(_("pre-computed score"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    note = models.TextField(_("note"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="judgement_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.code} {self.score}"


class RecommendationSource(models.TextChoices):
    WRITTEN = "written", _("written by the assessor")
    SUGGESTED = "suggested", _("picked from the suggestions")


class Recommendation(models.Model):
    """A recommendation of the round to the region, followed up as an item of its plan."""

    evaluation = models.ForeignKey(
        RegionEvaluation, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField(_("recommendation"))
    source = models.CharField(_("source"), max_length=10, choices=RecommendationSource.choices)
    suggestion_key = models.CharField(_("suggestion"), max_length=60, blank=True)
    follow_up = models.ForeignKey(
        ActionItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up item"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["evaluation", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


def letter_upload_path(letter: "EvaluationLetter", filename: str) -> str:
    evaluation = letter.evaluation
    return (
        f"letters/{evaluation.region.code}/{evaluation.round.year}/"
        f"evaluasi-{letter.pk}-{letter.language}.pdf"
    )


class EvaluationLetter(TrackedJob):
    """The result letter of a region's evaluation as a PDF, built by `evaluations.render_letter`."""

    task_name = "evaluations.render_letter"
    url_name = "evaluations:letter"
    scope_region_field = "evaluation__region"

    evaluation = models.ForeignKey(
        RegionEvaluation, on_delete=models.CASCADE, related_name="letters"
    )
    language = models.CharField(_("language"), max_length=5, default="id")
    file = models.FileField(_("file"), upload_to=letter_upload_path, blank=True)

    class Meta(TrackedJob.Meta):
        verbose_name = _("evaluation letter")
        verbose_name_plural = _("evaluation letters")

    def __str__(self) -> str:
        return f"{self.evaluation} ({self.language})"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:result", kwargs={"pk": self.evaluation_id})

    @property
    def result_summary(self) -> str:
        return str(_("The letter is ready."))
