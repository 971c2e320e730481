"""Provinces and kabupaten/kota, keyed by their Kemendagri codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvinceManager(models.Manager["Province"]):
    def get_by_natural_key(self, code: str) -> "Province":
        return self.get(code=code)


class Province(models.Model):
    """A province; `code` is the two-digit Kemendagri code ("19")."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)

    objects = ProvinceManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class RegionKind(models.TextChoices):
    KOTA = "kota", _("City (kota)")
    KABUPATEN = "kabupaten", _("Regency (kabupaten)")


class RegionManager(models.Manager["Region"]):
    def get_by_natural_key(self, code: str) -> "Region":
        return self.get(code=code)


class Region(models.Model):
    """A kabupaten or kota; `code` is the dotted Kemendagri code ("19.71")."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regions", verbose_name=_("province")
    )
    cohort_year = models.PositiveSmallIntegerField(
        _("program cohort year"),
        null=True,
        blank=True,
        help_text=_("Year the region joined the smart-city program, if known."),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    objects = RegionManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    natural_key.dependencies = ["smartcity.province"]
