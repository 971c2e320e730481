"""Test data of the dashboards: program regions with assessments in given statuses, and the
finished report and ScoreSnapshot rows an approved (or preliminary) assessment has."""

import datetime
import itertools

from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentStatus,
    Cycle,
    GapReport,
    ScoreSnapshot,
    SnapshotScope,
)
from evaluations.models import EvaluationRound, EvaluationStage, RegionEvaluation
from smartcity.jobs import JobStatus
from smartcity.models import Element, Pillar, PredikatBand, Province, Region, RegionKind
from tests.factories import small_framework


def program(
    count: int, *, provinces: tuple[str, ...] = ("19", "33"), start: int = 1
) -> list[Region]:
    """`count` kota, spread over `provinces` in turn (codes `19.01`, `33.02`, ...)."""
    places = [Province.objects.get_or_create(code=code, defaults={"name": f"Provinsi {code}"})[0]
              for code in provinces]  # fmt: skip
    regions = [
        Region(
            code=f"{province.code}.{number:02d}",
            name=f"Kota Uji {province.code}.{number:02d}",
            kind=RegionKind.KOTA,
            province=province,
            cohort_year=2022 + number % 2,
        )
        for number, province in zip(
            range(start, start + count), itertools.cycle(places), strict=False
        )
    ]
    return Region.objects.bulk_create(regions)


def cycle_of(year: int, *, closes_on: datetime.date | None = None) -> Cycle:
    return Cycle.objects.create(
        year=year,
        title=f"Penilaian Mandiri {year}",
        framework=small_framework(),
        opens_on=datetime.date(year, 3, 1),
        closes_on=closes_on or datetime.date(year, 6, 30),
    )


def assess(cycle: Cycle, regions: list[Region], statuses: list[str]) -> list[Assessment]:
    """One assessment per region, the statuses taken in turn."""
    return Assessment.objects.bulk_create(
        Assessment(cycle=cycle, region=region, status=status)
        for region, status in zip(regions, itertools.cycle(statuses), strict=False)
    )


def _band(framework_id: int, score: float) -> str:
    bands = PredikatBand.objects.filter(framework_id=framework_id).order_by("lower")
    label = ""
    for band in bands:
        if score >= float(band.lower):
            label = band.label_id
    return label


def snapshot(assessment: Assessment, *, index: float, preliminary: bool = False) -> GapReport:
    """A finished report of the assessment and its snapshot rows: every element, pillar and both
    indices at `index` (the dimension's elements a quarter level apart), target one level up."""
    framework_id = assessment.cycle.framework_id
    report = GapReport.objects.create(
        assessment=assessment,
        status=JobStatus.DONE,
        finished_at=timezone.now(),
        preliminary=preliminary,
    )
    common = {
        "assessment": assessment,
        "report": report,
        "cycle_id": assessment.cycle_id,
        "region_id": assessment.region_id,
        "preliminary": preliminary,
    }
    rows = []
    for position, code in enumerate(
        Element.objects.filter(pillar__framework_id=framework_id)
        .order_by("pillar__position", "position")
        .values_list("code", flat=True)
    ):
        current = index + 0.25 * (position % 2)
        rows.append(
            ScoreSnapshot(
                **common, scope=SnapshotScope.ELEMENT, code=code, current=current,
                target=current + 1, gap=1.0 + 0.5 * position,
            )
        )  # fmt: skip
    for code in Pillar.objects.filter(framework_id=framework_id).values_list("code", flat=True):
        rows.append(
            ScoreSnapshot(
                **common, scope=SnapshotScope.PILLAR, code=code, current=index,
                target=index + 1, gap=1.0, predikat=_band(framework_id, index),
            )
        )  # fmt: skip
    rows.append(
        ScoreSnapshot(
            **common, scope=SnapshotScope.SMART_CITY_INDEX, code="INDEX", current=index,
            target=index + 1, gap=1.0, predikat=_band(framework_id, index),
        )
    )  # fmt: skip
    rows.append(
        ScoreSnapshot(
            **common, scope=SnapshotScope.READINESS_INDEX, code="READINESS",
            current=max(index - 0.2, 0), target=index + 1, gap=1.0,
            predikat=_band(framework_id, index),
        )
    )  # fmt: skip
    ScoreSnapshot.objects.bulk_create(rows)
    return report


def national(count: int, *, cycles: int = 3) -> list[Cycle]:
    """`count` regions over `cycles` yearly cycles from 2024, every assessment approved with
    snapshots, the index rising 0.3 a cycle; in the newest cycle the statuses vary."""
    regions = program(count)
    made = []
    for step in range(cycles):
        cycle = cycle_of(2024 + step)
        newest = step == cycles - 1
        statuses = (
            [AssessmentStatus.APPROVED, AssessmentStatus.SUBMITTED, AssessmentStatus.DRAFT]
            if newest
            else [AssessmentStatus.APPROVED]
        )
        for number, assessment in enumerate(assess(cycle, regions, statuses)):
            if assessment.status == AssessmentStatus.APPROVED:
                snapshot(assessment, index=min(0.5 + 0.3 * step + 0.1 * (number % 10), 3.0))
        made.append(cycle)
    return made


def evaluated(year: int, regions: list[Region], opened_by) -> EvaluationRound:
    """The evaluation round of `year` over `regions`: the n-th region's achievement index is
    2.0 + 0.1 n, every fourth (n = 3, 7, ...) has none (missing data); every other one is final."""
    evaluation_round = EvaluationRound.objects.create(
        year=year, title=f"Evaluasi Smart City {year}", opened_by=opened_by
    )
    RegionEvaluation.objects.bulk_create(
        RegionEvaluation(
            round=evaluation_round,
            region=region,
            achievement=None if number % 4 == 3 else round(2.0 + 0.1 * number, 2),
            stage=EvaluationStage.FINAL if number % 2 == 0 else EvaluationStage.DESK,
        )
        for number, region in enumerate(regions)
    )
    return evaluation_round
