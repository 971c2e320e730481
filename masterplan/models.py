"""Models of the masterplan app: the action library, master plans and their action items.

A plan is drafted from an approved assessment (later: its stored gap report) by
`services.masterplan_draft`; the pure scheduling is `planning.py`. Items carry a stable `key`
(indicator, action, from-to) so a later draft can be merged in without touching what people
edited or added (`origin`).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Assessment
from masterplan.planning import PLAN_YEARS, Horizon, Origin
from smartcity.jobs import TrackedJob
from smartcity.models import Element, Framework, Indicator, Region, in_language


class ActionLibrary(models.Model):
    """A validated action library file, versioned against the framework version it serves.

    `spec` is the validated `LibrarySpec` as JSON (`library_files.library_from_json` reads it
    back); the library never changes once loaded: a new revision is a new row.
    """

    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="action_libraries"
    )
    version = models.PositiveIntegerField(_("library version"))
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    content_hash = models.CharField(_("content hash"), max_length=64)
    spec = models.JSONField(_("validated library"))
    action_count = models.PositiveIntegerField(_("actions"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("action library")
        verbose_name_plural = _("action libraries")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "version"], name="action_library_unique_version"
            )
        ]
        ordering = ["framework__slug", "framework__version", "version"]

    def __str__(self) -> str:
        return f"{self.framework.slug} v{self.framework.version} / {self.version}"

    @property
    def title(self) -> str:
        return in_language(self.title_id, self.title_en)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    FINAL = "final", _("final")


def standard_legal_basis() -> str:
    """The references every Indonesian smart-city master plan cites (editable per plan)."""
    return "\n".join(
        [
            "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
            "Peraturan Pemerintah Nomor 59 Tahun 2022 tentang Perkotaan",
            "Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis "
            "Elektronik",
            "Peraturan Presiden Nomor 39 Tahun 2019 tentang Satu Data Indonesia",
            "Peraturan Daerah tentang Rencana Pembangunan Jangka Menengah Daerah (RPJMD)",
        ]
    )


def standard_background() -> str:
    return (
        "Gerakan Menuju Smart City mendorong pemerintah daerah memanfaatkan teknologi informasi "
        "untuk meningkatkan pelayanan publik, daya saing dan kualitas hidup warga. Masterplan "
        "ini disusun dari hasil penilaian kematangan smart city daerah, menetapkan program per "
        "dimensi untuk jangka pendek (quick win), menengah (selaras RPJMD) dan panjang (sepuluh "
        "tahun), serta menjadi acuan penganggaran dan kolaborasi."
    )


def standard_monitoring() -> str:
    return (
        "Tim Pelaksana memantau rencana aksi setiap triwulan dan melaporkan kepada Dewan Smart "
        "City. Evaluasi dilakukan setiap tahun terhadap baseline, output, outcome, dampak dan "
        "quick win, bersamaan dengan penilaian mandiri kematangan smart city."
    )


class MasterPlan(models.Model):
    """One version of a region's master plan, with the text sections of the book (domain §5).

    `edition` numbers the plan's versions per region (a new one starts from a final plan);
    `version` is the optimistic lock of the plan's own fields, like an answer's.
    Governance lists hold `{"role", "name", "opd"}` mappings; SWOT lists hold strings.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="master_plans")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="master_plans"
    )
    library = models.ForeignKey(
        ActionLibrary, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    edition = models.PositiveIntegerField(_("plan version"), default=1)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    ceiling = models.BigIntegerField(_("yearly budget ceiling (IDR)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    inputs_hash = models.CharField(_("inputs of the last draft"), max_length=64)
    overflow = models.JSONField(_("actions that did not fit"), default=list, blank=True)

    background = models.TextField(_("background"), blank=True, default=standard_background)
    legal_basis = models.TextField(_("legal basis"), blank=True, default=standard_legal_basis)
    region_profile = models.TextField(_("region profile"), blank=True)
    issues = models.TextField(_("issues"), blank=True)
    strengths = models.JSONField(_("strengths"), default=list, blank=True)
    weaknesses = models.JSONField(_("weaknesses"), default=list, blank=True)
    opportunities = models.JSONField(_("opportunities"), default=list, blank=True)
    threats = models.JSONField(_("threats"), default=list, blank=True)
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    strategy = models.TextField(_("strategy"), blank=True)
    council_members = models.JSONField(_("Dewan Smart City"), default=list, blank=True)
    team_members = models.JSONField(_("Tim Pelaksana"), default=list, blank=True)
    monitoring = models.TextField(
        _("monitoring and evaluation"), blank=True, default=standard_monitoring
    )

    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("master plan")
        verbose_name_plural = _("master plans")
        constraints = [
            models.UniqueConstraint(fields=["region", "edition"], name="master_plan_unique_edition")
        ]
        ordering = ["region__code", "-edition"]

    def __str__(self) -> str:
        return f"{self.region} {self.start_year}-{self.end_year} (v{self.edition})"

    @property
    def end_year(self) -> int:
        return self.start_year + PLAN_YEARS - 1

    @property
    def is_final(self) -> bool:
        return self.status == PlanStatus.FINAL


class HorizonChoice(models.TextChoices):
    QUICK_WIN = Horizon.QUICK_WIN, _("quick win")
    MEDIUM = Horizon.MEDIUM, _("medium term")
    LONG = Horizon.LONG, _("long term")


class OriginChoice(models.TextChoices):
    GENERATED = Origin.GENERATED, _("generated")
    EDITED = Origin.EDITED, _("edited")
    MANUAL = Origin.MANUAL, _("added by hand")


class FundingSource(models.TextChoices):
    """The kinds of funding (the codes of the action library's `funding_sources`)."""

    APBD = "APBD", "APBD"
    APBN_DAK = "APBN_DAK", "APBN/DAK"
    BANPROV = "BANPROV", _("provincial aid")
    KPBU = "KPBU", "KPBU"
    CSR = "CSR", "CSR"
    HIBAH = "HIBAH", _("grant")
    SWASTA_KOMUNITAS = "SWASTA_KOMUNITAS", _("private sector / community")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class ActionItem(models.Model):
    """One action of a plan. `key` is the scheduler's stable key (empty for manual items)."""

    plan = models.ForeignKey(MasterPlan, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(_("key"), max_length=120, blank=True)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    element = models.ForeignKey(
        Element, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action_code = models.CharField(_("library action"), max_length=60, blank=True)
    generic = models.BooleanField(_("from the framework's guidance"), default=False)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    horizon = models.CharField(_("horizon"), max_length=10, choices=HorizonChoice.choices)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    lead_opd = models.CharField(_("lead OPD"), max_length=100, blank=True)
    partners = models.JSONField(_("partners"), default=list, blank=True)
    kpi_name = models.CharField(_("KPI"), max_length=300, blank=True)
    kpi_baseline = models.CharField(_("KPI baseline"), max_length=100, blank=True)
    kpi_target = models.CharField(_("KPI target"), max_length=100, blank=True)
    kpi_unit = models.CharField(_("KPI unit"), max_length=100, blank=True)
    budget = models.BigIntegerField(_("budget (IDR)"), default=0)
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices, blank=True
    )
    rpjmd_program = models.TextField(_("RPJMD program"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=OriginChoice.choices, default=OriginChoice.MANUAL
    )
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependants"
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "position"])

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "key"],
                condition=~models.Q(key=""),
                name="action_item_unique_key",
            ),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="action_item_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0), name="action_item_budget_not_negative"
            ),
        ]
        ordering = ["plan", "start_year", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionItemComment(models.Model):
    """A remark on one action item: facilitators' review notes and the officials' answers."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("action comment")
        verbose_name_plural = _("action comments")
        ordering = ["item", "created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class MasterPlanDraftJob(TrackedJob):
    """Drafting a plan from an approved assessment in the background (task `masterplan.draft`).

    The region's officials follow it; when done, `plan` is the drafted plan."""

    task_name = "masterplan.draft"
    url_name = "masterplan:draft_job"
    scope_region_field = "assessment__region"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="+", verbose_name=_("assessment")
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    ceiling = models.BigIntegerField(_("yearly budget ceiling (IDR)"), null=True, blank=True)
    plan = models.ForeignKey(
        MasterPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("master plan"),
    )

    class Meta(TrackedJob.Meta):
        verbose_name = _("master plan draft")
        verbose_name_plural = _("master plan drafts")

    def __str__(self) -> str:
        return str(self.assessment)

    def get_absolute_url(self) -> str:
        """The drafted plan once there is one, else the job's own page."""
        if self.plan_id is not None:
            return reverse("masterplan:plan_detail", kwargs={"pk": self.plan_id})
        return reverse("masterplan:draft_job", kwargs={"pk": self.pk})

    @property
    def result_summary(self) -> str:
        if self.plan_id is None:
            return ""
        return _("The master plan is drafted.")


from masterplan.exports.models import ExportJob  # noqa: E402, F401  (registered with the app)
