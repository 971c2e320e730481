"""Writes of the core domain. Keyword-only, typed, atomic."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity.framework_files import ElementSpec, FrameworkSpec, IndicatorSpec, PillarSpec
from smartcity.middleware import SUPPORTED_LANGUAGES
from smartcity.models import (
    CrosswalkEntry,
    Element,
    Framework,
    FrameworkStatus,
    Indicator,
    LevelDescriptor,
    Pillar,
    PredikatBand,
    Province,
    Region,
    ScaleLevel,
    User,
)
from smartcity.region_files import CentroidRow, ProvinceRow, RegionRow


def user_set_language(*, user: User, language: str) -> None:
    """Remember the user's interface and e-mail language."""
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@dataclass(frozen=True)
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class RegionImportSummary:
    provinces: UpsertCounts
    regions: UpsertCounts
    centroids: UpsertCounts = UpsertCounts()
    # Centroid codes with no stored kabupaten/kota (the national file covers all 514).
    centroid_codes_not_found: tuple[str, ...] = ()


def _province_changes(rows: list[ProvinceRow]) -> tuple[list[Province], list[Province], int]:
    existing = Province.objects.in_bulk([row.code for row in rows], field_name="code")
    new, changed = [], []
    for row in rows:
        province = existing.get(row.code)
        if province is None:
            new.append(Province(code=row.code, name=row.name))
        elif province.name != row.name:
            province.name = row.name
            changed.append(province)
    return new, changed, len(rows) - len(new) - len(changed)


def _region_changes(rows: list[RegionRow]) -> tuple[list[Region], list[Region], int]:
    existing = Region.objects.in_bulk([row.code for row in rows], field_name="code")
    province_ids = dict(Province.objects.values_list("code", "pk"))
    new, changed = [], []
    for row in rows:
        values = {
            "name": row.name,
            "kind": row.kind,
            "province_id": province_ids[row.province_code],
            **row.extra,
        }
        region = existing.get(row.code)
        if region is None:
            new.append(Region(code=row.code, **values))
        elif any(getattr(region, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(region, field, value)
            changed.append(region)
    return new, changed, len(rows) - len(new) - len(changed)


REGION_FIELDS = ["name", "kind", "province", "cohort_year", "latitude", "longitude"]


def _centroid_changes(rows: Sequence[CentroidRow]) -> tuple[list[Region], int, tuple[str, ...]]:
    existing = Region.objects.in_bulk([row.code for row in rows], field_name="code")
    changed, not_found = [], []
    for row in rows:
        region = existing.get(row.code)
        if region is None:
            not_found.append(row.code)
        elif (region.latitude, region.longitude) != (row.latitude, row.longitude):
            region.latitude, region.longitude = row.latitude, row.longitude
            changed.append(region)
    unchanged = len(rows) - len(changed) - len(not_found)
    return changed, unchanged, tuple(not_found)


@transaction.atomic
def regions_import(
    *,
    provinces: list[ProvinceRow],
    regions: list[RegionRow],
    centroids: Sequence[CentroidRow] = (),
    dry_run: bool = False,
) -> RegionImportSummary:
    """Upsert provinces, then kabupaten/kota, by code, then set centroids; all or nothing.

    Rows come already validated from `smartcity.region_files`. Centroids are applied last, so they
    win over coordinates in the kabupaten/kota file and reach regions created by the same run. With
    `dry_run` the counts are computed the same way and every write is rolled back.
    """
    new_provinces, changed_provinces, same_provinces = _province_changes(provinces)
    Province.objects.bulk_create(new_provinces)
    Province.objects.bulk_update(changed_provinces, ["name"])
    new_regions, changed_regions, same_regions = _region_changes(regions)
    Region.objects.bulk_create(new_regions)
    Region.objects.bulk_update(changed_regions, REGION_FIELDS)
    placed, same_places, not_found = _centroid_changes(centroids)
    Region.objects.bulk_update(placed, ["latitude", "longitude"])
    if dry_run:
        transaction.set_rollback(True)
    return RegionImportSummary(
        provinces=UpsertCounts(len(new_provinces), len(changed_provinces), same_provinces),
        regions=UpsertCounts(len(new_regions), len(changed_regions), same_regions),
        centroids=UpsertCounts(0, len(placed), same_places),
        centroid_codes_not_found=not_found,
    )


class FrameworkRefused(Exception):
    """A framework file is valid but may not be loaded (published version, unknown predecessor)."""


class LoadOutcome(models.TextChoices):
    CREATED = "created"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class FrameworkLoadResult:
    framework: Framework
    outcome: str
    published_now: bool


def _check_predecessor(spec: FrameworkSpec) -> Framework | None:
    if spec.previous_version is None:
        return None
    previous = Framework.objects.filter(slug=spec.slug, version=spec.previous_version).first()
    if previous is None:
        raise FrameworkRefused(
            _("previous_version: %(slug)s version %(version)d is not loaded.")
            % {"slug": spec.slug, "version": spec.previous_version}
        )
    old_codes = set(Indicator.objects.filter(framework=previous).values_list("code", flat=True))
    unknown = sorted({entry.old_code for entry in spec.crosswalk} - old_codes)
    if unknown:
        raise FrameworkRefused(
            _("crosswalk: %(codes)s not indicators of version %(version)d.")
            % {"codes": ", ".join(unknown), "version": previous.version}
        )
    return previous


def _write_framework_content(framework: Framework, spec: FrameworkSpec) -> None:
    ScaleLevel.objects.bulk_create(
        ScaleLevel(
            framework=framework,
            value=level.value,
            label_id=level.label.id,
            label_en=level.label.en,
            description_id=level.description.id,
            description_en=level.description.en,
            generic=level.generic,
        )
        for level in spec.levels
    )
    PredikatBand.objects.bulk_create(
        PredikatBand(
            framework=framework,
            label_id=band.label.id,
            label_en=band.label.en,
            lower=Decimal(band.lower),
            upper=Decimal(band.upper),
        )
        for band in spec.bands
    )
    pillars = Pillar.objects.bulk_create(
        Pillar(framework=framework, kind=p.kind, position=i, **_named(p))
        for i, p in enumerate(spec.pillars)
    )
    element_pairs = [
        (Element(framework=framework, pillar=pillar, position=i, **_named(e)), e)
        for pillar, p in zip(pillars, spec.pillars, strict=True)
        for i, e in enumerate(p.elements)
    ]
    Element.objects.bulk_create(element for element, _spec in element_pairs)
    indicator_pairs = [
        (
            Indicator(
                framework=framework,
                element=element,
                position=i,
                evidence_from_level=ind.evidence_from_level,
                allow_na=ind.allow_na,
                **_named(ind),
            ),
            ind,
        )
        for element, e in element_pairs
        for i, ind in enumerate(e.indicators)
    ]
    Indicator.objects.bulk_create(indicator for indicator, _spec in indicator_pairs)
    LevelDescriptor.objects.bulk_create(
        LevelDescriptor(
            indicator=indicator,
            level=d.level,
            text_id=d.text.id,
            text_en=d.text.en,
            next_id=d.next.id if d.next else "",
            next_en=d.next.en if d.next else "",
        )
        for indicator, ind in indicator_pairs
        for d in ind.levels
    )
    CrosswalkEntry.objects.bulk_create(
        CrosswalkEntry(framework=framework, old_code=entry.old_code, new_code=new_code)
        for entry in spec.crosswalk
        for new_code in entry.new_codes
    )


def _named(spec: PillarSpec | ElementSpec | IndicatorSpec) -> dict[str, object]:
    return {
        "code": spec.code,
        "name_id": spec.name.id,
        "name_en": spec.name.en,
        "description_id": spec.description.id if spec.description else "",
        "description_en": spec.description.en if spec.description else "",
        "weight": Decimal(spec.weight),
    }


def _delete_framework_content(framework: Framework) -> None:
    # Children first: elements and indicators also point at the framework directly.
    LevelDescriptor.objects.filter(indicator__framework=framework).delete()
    Indicator.objects.filter(framework=framework).delete()
    Element.objects.filter(framework=framework).delete()
    for model in (Pillar, PredikatBand, ScaleLevel, CrosswalkEntry):
        model.objects.filter(framework=framework).delete()


@transaction.atomic
def framework_load(
    *, spec: FrameworkSpec, publish: bool = False, user: User | None = None, dry_run: bool = False
) -> FrameworkLoadResult:
    """Create a framework version from a validated file, or replace a draft's content.

    The same content again is a no-op. Different content under a published version is refused:
    a published framework never changes, a change needs a new version.
    """
    previous = _check_predecessor(spec)
    framework = (
        Framework.objects.select_for_update().filter(slug=spec.slug, version=spec.version).first()
    )
    if framework is not None and framework.content_hash == spec.content_hash:
        outcome = LoadOutcome.UNCHANGED
    elif framework is not None and framework.is_published:
        raise FrameworkRefused(
            _(
                "%(slug)s version %(version)d is published and cannot change. Give the changed "
                "content a new version (version: %(next)d, previous_version: %(version)d)."
            )
            % {"slug": spec.slug, "version": spec.version, "next": spec.version + 1}
        )
    else:
        outcome = LoadOutcome.REPLACED if framework else LoadOutcome.CREATED
        framework = framework or Framework(slug=spec.slug, version=spec.version)
        framework.title_id, framework.title_en = spec.title.id, spec.title.en
        framework.description_id = spec.description.id if spec.description else ""
        framework.description_en = spec.description.en if spec.description else ""
        framework.previous = previous
        framework.content_hash = spec.content_hash
        framework.save()
        _delete_framework_content(framework)
        _write_framework_content(framework, spec)
    published_now = publish and not framework.is_published
    if published_now:
        framework = framework_publish(framework=framework, user=user)
    if dry_run:
        transaction.set_rollback(True)
    return FrameworkLoadResult(framework, outcome, published_now)


@transaction.atomic
def framework_publish(*, framework: Framework, user: User | None) -> Framework:
    """Publish a draft: from now on its content is fixed and cycles may use it."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.is_published:
        raise FrameworkRefused(_("This framework version is already published."))
    framework.status = FrameworkStatus.PUBLISHED
    framework.published_at = timezone.now()
    framework.published_by = user
    framework.save(update_fields=["status", "published_at", "published_by"])
    return framework
