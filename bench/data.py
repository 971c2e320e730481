"""Data for the benchmarks, written in bulk (the set-up is not what is measured)."""

import datetime
import functools

from django.utils import timezone

from assessments import services
from assessments.models import (
    Assessment,
    AssessmentStatus,
    Cycle,
    Evidence,
    EvidenceKind,
    IndicatorResponse,
    ReviewState,
)
from smartcity.demo import DEFAULT_FRAMEWORK
from smartcity.framework_files import FrameworkSpec, read_framework_file
from smartcity.models import Framework, Membership, Province, Region, RegionKind, Role, User
from smartcity.services import framework_load

REGIONS_PER_PROVINCE = 20
NA_CODE = "LIV.L3.2"


@functools.cache
def _default_spec() -> FrameworkSpec:
    return read_framework_file(DEFAULT_FRAMEWORK)


def default_framework() -> Framework:
    """The default framework (55 indicators), published."""
    return framework_load(spec=_default_spec(), publish=True).framework


def administrator() -> User:
    user = User.objects.create(username="bench-admin", first_name="Bench")
    Membership.objects.create(user=user, role=Role.ADMIN)
    return user


def make_regions(count: int) -> list[Region]:
    """`count` synthetic kabupaten/kota, 20 to a province, all program regions."""
    provinces = Province.objects.bulk_create(
        Province(code=f"{11 + p:02d}", name=f"Provinsi Uji {p + 1}")
        for p in range((count + REGIONS_PER_PROVINCE - 1) // REGIONS_PER_PROVINCE)
    )
    return Region.objects.bulk_create(
        Region(
            code=f"{provinces[i // REGIONS_PER_PROVINCE].code}.{i % REGIONS_PER_PROVINCE + 1:02d}",
            name=f"Kabupaten Uji {i + 1}",
            kind=RegionKind.KABUPATEN,
            province=provinces[i // REGIONS_PER_PROVINCE],
            cohort_year=2022,
        )
        for i in range(count)
    )


def open_cycle(user: User, framework: Framework, regions: list[Region], year: int) -> Cycle:
    return services.cycle_open(
        user=user,
        year=year,
        title=f"Penilaian Mandiri {year}",
        framework=framework,
        opens_on=datetime.date(year, 3, 1),
        closes_on=datetime.date(year, 6, 30),
        regions=Region.objects.filter(pk__in=[r.pk for r in regions]),
        run_now=True,
    ).cycle


def answer_all(cycle: Cycle, user: User, *, approve: bool = False) -> None:
    """Answer every response of the cycle (levels 1-4, a narrative, N/A where allowed), add a
    link wherever the level needs evidence; with `approve`, verify and approve them all."""
    responses = list(
        IndicatorResponse.objects.filter(assessment__cycle=cycle).select_related("indicator")
    )
    evidence = []
    for number, response in enumerate(responses):
        indicator = response.indicator
        response.narrative = f"Uraian kondisi {indicator.code}: kegiatan, OPD pelaksana, data."
        if indicator.code == NA_CODE:
            response.not_applicable = True
            response.na_reason = "Tidak ada angkutan sungai."
        else:
            response.self_level = number % 4 + 1
            response.target_level = response.self_level + 1
        if approve:
            response.verified_level = response.self_level
            response.review_state = ReviewState.ACCEPTED
        if indicator.needs_evidence_at(response.self_level):
            evidence.append(
                Evidence(
                    response=response,
                    kind=EvidenceKind.LINK,
                    url=f"https://jdih.example.go.id/{indicator.code.lower()}",
                    uploaded_by=user,
                )
            )
    fields = ["narrative", "not_applicable", "na_reason", "self_level", "target_level"]
    if approve:
        fields += ["verified_level", "review_state"]
    IndicatorResponse.objects.bulk_update(responses, fields, batch_size=2000)
    Evidence.objects.bulk_create(evidence, batch_size=2000)
    if approve:
        Assessment.objects.filter(cycle=cycle).update(
            status=AssessmentStatus.APPROVED, approved_at=timezone.now(), approved_by=user
        )
