"""Writes of the core domain. Keyword-only, typed, atomic."""

from dataclasses import dataclass

from django.db import transaction

from smartcity.middleware import SUPPORTED_LANGUAGES
from smartcity.models import Province, Region, User
from smartcity.region_files import ProvinceRow, RegionRow


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


@transaction.atomic
def regions_import(
    *, provinces: list[ProvinceRow], regions: list[RegionRow], dry_run: bool = False
) -> RegionImportSummary:
    """Upsert provinces, then kabupaten/kota, by code; all or nothing.

    Rows come already validated from `smartcity.region_files`. With `dry_run` the counts are
    computed the same way and every write is rolled back.
    """
    new_provinces, changed_provinces, same_provinces = _province_changes(provinces)
    Province.objects.bulk_create(new_provinces)
    Province.objects.bulk_update(changed_provinces, ["name"])
    new_regions, changed_regions, same_regions = _region_changes(regions)
    Region.objects.bulk_create(new_regions)
    Region.objects.bulk_update(changed_regions, REGION_FIELDS)
    if dry_run:
        transaction.set_rollback(True)
    return RegionImportSummary(
        provinces=UpsertCounts(len(new_provinces), len(changed_provinces), same_provinces),
        regions=UpsertCounts(len(new_regions), len(changed_regions), same_regions),
    )
