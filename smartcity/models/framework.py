"""The versioned maturity framework: scale, predikat bands, pillars, elements, indicators.

Every text a user reads is stored in Indonesian (`*_id`) and English (`*_en`); the plain attribute
(`name`, `label`, ...) returns the one of the active language. A published framework never changes;
a change is a new version, optionally with a crosswalk from the previous version's indicator codes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def in_language(indonesian: str, english: str) -> str:
    """The text of the active language; Indonesian when English is missing."""
    if english and (get_language() or "").startswith("en"):
        return english
    return indonesian


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PillarKind(models.TextChoices):
    READINESS = "readiness", _("Readiness")
    DIMENSION = "dimension", _("Dimension")


class FrameworkManager(models.Manager["Framework"]):
    def get_by_natural_key(self, slug: str, version: int) -> "Framework":
        return self.get(slug=slug, version=version)


class Framework(models.Model):
    slug = models.SlugField(_("slug"), max_length=50)
    version = models.PositiveIntegerField(_("version"))
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("previous version"),
    )
    # SHA-256 of the validated content: loading the same content again is a no-op, other content
    # under a published version is refused.
    content_hash = models.CharField(_("content hash"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    objects = FrameworkManager()

    class Meta:
        ordering = ["slug", "-version"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def natural_key(self) -> tuple[str, int]:
        return (self.slug, self.version)

    @property
    def title(self) -> str:
        return in_language(self.title_id, self.title_en)

    @property
    def description(self) -> str:
        return in_language(self.description_id, self.description_en)

    @property
    def is_published(self) -> bool:
        return self.status == FrameworkStatus.PUBLISHED


class ScaleLevel(models.Model):
    """One maturity level of a framework's scale (0 Belum ada … 5 Optimum by default)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    value = models.SmallIntegerField(_("level"))
    label_id = models.CharField(_("label (Indonesian)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100)
    description_id = models.TextField(_("description (Indonesian)"))
    description_en = models.TextField(_("description (English)"))
    # A generic level's description holds for every indicator; indicators do not describe it.
    generic = models.BooleanField(_("generic"), default=False)

    class Meta:
        ordering = ["framework", "value"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "value"], name="scale_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"

    @property
    def label(self) -> str:
        return in_language(self.label_id, self.label_en)

    @property
    def description(self) -> str:
        return in_language(self.description_id, self.description_en)


class PredikatBand(models.Model):
    """A score band and its predikat: `lower <= score < upper`, the top band including `upper`."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    label_id = models.CharField(_("label (Indonesian)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100)
    lower = models.DecimalField(_("from"), max_digits=6, decimal_places=3)
    upper = models.DecimalField(_("to"), max_digits=6, decimal_places=3)

    class Meta:
        ordering = ["framework", "lower"]

    def __str__(self) -> str:
        return f"{self.label} [{self.lower}, {self.upper})"

    @property
    def label(self) -> str:
        return in_language(self.label_id, self.label_en)


class NamedPart(models.Model):
    """Fields shared by pillars, elements and indicators."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=30)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=3, default=1)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return in_language(self.name_id, self.name_en)

    @property
    def description(self) -> str:
        return in_language(self.description_id, self.description_en)


class Pillar(NamedPart):
    """A readiness pillar (Struktur, …) or a smart-city dimension (Smart Governance, …)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="pillars")
    kind = models.CharField(_("kind"), max_length=10, choices=PillarKind.choices)

    class Meta(NamedPart.Meta):
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="pillar_unique_code")
        ]


class Element(NamedPart):
    pillar = models.ForeignKey(
        Pillar, on_delete=models.CASCADE, related_name="elements", verbose_name=_("pillar")
    )

    class Meta(NamedPart.Meta):
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="element_unique_code")
        ]


class Indicator(NamedPart):
    element = models.ForeignKey(
        Element, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("element")
    )
    evidence_from_level = models.SmallIntegerField(
        _("evidence required from level"),
        null=True,
        blank=True,
        help_text=_("Answers at this level or higher need evidence; empty means never."),
    )
    allow_na = models.BooleanField(_("may be answered 'not applicable'"), default=False)

    class Meta(NamedPart.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_unique_code")
        ]

    def needs_evidence_at(self, level: int | None) -> bool:
        return (
            level is not None
            and self.evidence_from_level is not None
            and level >= self.evidence_from_level
        )


class LevelDescriptor(models.Model):
    """What one level looks like for one indicator, and how to reach the next level."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="descriptors")
    level = models.SmallIntegerField(_("level"))
    text_id = models.TextField(_("descriptor (Indonesian)"))
    text_en = models.TextField(_("descriptor (English)"))
    next_id = models.TextField(_("how to reach the next level (Indonesian)"), blank=True)
    next_en = models.TextField(_("how to reach the next level (English)"), blank=True)

    class Meta:
        ordering = ["indicator", "level"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "level"], name="descriptor_unique_level")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} L{self.level}"

    @property
    def text(self) -> str:
        return in_language(self.text_id, self.text_en)

    @property
    def next(self) -> str:
        return in_language(self.next_id, self.next_en)


class CrosswalkEntry(models.Model):
    """Where an indicator of the previous version went in this version (one row per target)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="crosswalk")
    old_code = models.CharField(_("old indicator code"), max_length=30)
    new_code = models.CharField(_("new indicator code"), max_length=30)

    class Meta:
        ordering = ["framework", "old_code", "new_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "old_code", "new_code"], name="crosswalk_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_code} → {self.new_code}"
