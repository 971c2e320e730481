"""The export job: one requested file of one plan version, in one language."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smartcity.jobs import TrackedJob


class ExportKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX (Word)"
    XLSX = "xlsx", "XLSX (Excel)"


class ExportPart(models.TextChoices):
    """Which book: the whole volume, or one of the program's four books on its own."""

    ALL = "all", _("the whole master plan")
    ANALYSIS = "analysis", _("Book 1 Strategic Analysis")
    MASTERPLAN = "masterplan", _("Book 2 Master Plan")
    QUICK_WINS = "quick_wins", _("Book 3 Quick Wins")
    ROADMAP = "roadmap", _("Book 4 Road Map")


CONTENT_TYPES = {
    ExportKind.PDF: "application/pdf",
    ExportKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ExportKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_upload_path(job: "ExportJob", filename: str) -> str:
    """exports/<region code>/<job id>-<inputs hash>.<kind>: never a user's file name."""
    return f"exports/{job.plan.region.code}/{job.pk}-{job.inputs_hash[:16]}.{job.kind}"


class ExportJob(TrackedJob):
    """One export of a plan (task `masterplan.export_plan`). `inputs_hash` covers the plan's
    edition and version, its items, the kind, part and language: an unchanged plan exported
    again reuses the finished job's file. `chart_note` says why charts were left out."""

    task_name = "masterplan.export_plan"
    url_name = "masterplan:export"
    scope_region_field = "plan__region"

    plan = models.ForeignKey(
        "masterplan.MasterPlan",
        on_delete=models.CASCADE,
        related_name="exports",
        verbose_name=_("master plan"),
    )
    kind = models.CharField(_("format"), max_length=4, choices=ExportKind.choices)
    part = models.CharField(
        _("book"), max_length=12, choices=ExportPart.choices, default=ExportPart.ALL
    )
    language = models.CharField(_("language"), max_length=5)
    plan_edition = models.PositiveIntegerField(_("plan version"))
    plan_version = models.PositiveIntegerField(_("plan revision"))
    file = models.FileField(_("file"), upload_to=export_upload_path, max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    chart_note = models.TextField(_("chart note"), blank=True)

    class Meta(TrackedJob.Meta):
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["plan", "inputs_hash", "status"], name="export_reuse")]

    def __str__(self) -> str:
        return f"{self.plan} {self.kind} {self.language}"

    def get_absolute_url(self) -> str:
        return reverse("masterplan:export_detail", kwargs={"pk": self.pk})

    @property
    def download_url(self) -> str:
        return reverse("masterplan:export_download", kwargs={"pk": self.pk})

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def file_name(self) -> str:
        part = "" if self.part == ExportPart.ALL else f"-{self.part}"
        return (
            f"masterplan-{self.plan.region.code}-v{self.plan_edition}.{self.plan_version}"
            f"{part}-{self.language}.{self.kind}"
        )
