"""A hand-made world for the evaluation tests: approved cycles with snapshot rows written
directly (the gap-report services that fill them are tested elsewhere) and a plan with items."""

import datetime
from dataclasses import dataclass

import pytest

from assessments.models import AssessmentStatus, GapReport, ScoreSnapshot, SnapshotScope
from evaluations import services
from evaluations.services import Stage
from masterplan.models import ActionItem, HorizonChoice, MasterPlan
from smartcity.jobs import JobStatus
from smartcity.models import Element, Region
from tests.factories import AssessmentFactory, CycleFactory, small_framework

WEIGHTS_2026 = {"BASELINE": 10, "OUTPUT": 20, "OUTCOME": 30, "IMPACT": 30, "QUICK_WIN": 10}
WEIGHTS_2027 = {"BASELINE": 15, "OUTPUT": 15, "OUTCOME": 30, "IMPACT": 20, "QUICK_WIN": 20}
STAGES = [
    Stage("desk", datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)),
    Stage("field", datetime.date(2026, 10, 1), datetime.date(2026, 11, 15)),
]


def approved(region: Region, year: int, index: float, readiness: float | None = None):
    """An approved assessment of `region` in `year` with its index (and readiness pillar) rows."""
    cycle = CycleFactory(year=year, title=f"Siklus {year} {region.code}")
    assessment = AssessmentFactory(
        cycle=cycle, region=region, status=AssessmentStatus.APPROVED, responses=False
    )
    report = GapReport.objects.create(assessment=assessment, status=JobStatus.DONE)
    rows = [(SnapshotScope.SMART_CITY_INDEX, "INDEX", index)]
    if readiness is not None:
        rows.append((SnapshotScope.PILLAR, "KES", readiness))
    ScoreSnapshot.objects.bulk_create(
        ScoreSnapshot(
            assessment=assessment, report=report, cycle=cycle, region=region, scope=scope,
            code=code, current=value,
        )
        for scope, code, value in rows
    )  # fmt: skip
    return assessment


@dataclass
class Plan:
    plan: MasterPlan
    quick: ActionItem  # KES quick win 2026 (a governance item), budget 100
    medium: ActionItem  # LAY medium 2026-2027, budget 300
    later: ActionItem  # LAY long 2028-2030, not yet due


def plan_of(region: Region, assessment) -> Plan:
    framework = small_framework()
    readiness = Element.objects.get(pillar__framework=framework, code="KES.K1")
    dimension = Element.objects.filter(pillar__framework=framework, pillar__code="LAY").first()
    plan = MasterPlan.objects.create(
        region=region, assessment=assessment, start_year=2026, inputs_hash="test"
    )

    def item(title, element, horizon, start, end, budget):
        return ActionItem.objects.create(
            plan=plan, title=title, element=element, horizon=horizon, start_year=start,
            end_year=end, budget=budget,
        )  # fmt: skip

    return Plan(
        plan=plan,
        quick=item("Perwal Satu Data", readiness, HorizonChoice.QUICK_WIN, 2026, 2026, 100),
        medium=item("Layanan perizinan daring", dimension, HorizonChoice.MEDIUM, 2026, 2027, 300),
        later=item("Pusat komando", dimension, HorizonChoice.LONG, 2028, 2030, 900),
    )


def program_region_with_plan(region: Region) -> Plan:
    """Approved 2025 and 2026 cycles (index 3.06 -> 3.31, readiness 3.0) and a plan."""
    approved(region, 2025, 3.06)
    latest = approved(region, 2026, 3.31, readiness=3.0)
    region.cohort_year = 2022
    region.save()
    return plan_of(region, latest)


@pytest.fixture
def world(region, official, facilitator, administrator) -> Plan:
    return program_region_with_plan(region)


def open_round(administrator, year=2026, weights=WEIGHTS_2026, regions=None, stages=STAGES):
    return services.round_open(
        user=administrator,
        year=year,
        title=f"Evaluasi Smart City {year}",
        weights=weights,
        stages=stages,
        regions=regions if regions is not None else Region.objects.filter(code="19.71"),
        output_pillars=("KES",),
    )
