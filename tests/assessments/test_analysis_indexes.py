"""The indexes the analysis filters by are the ones PostgreSQL's plans use.

At the size of the program (516 regions, six cycles) and with sequential scans switched off, the
planner still chooses between the indexes that exist: a query naming a cycle (or a region) and a
status must use the composite index made for it. With the foreign keys' own indexes in place it
took those and filtered the status row by row; migration 0002 replaces them. Without it, these
tests fail.
"""

import datetime

import pytest
from django.db import connection
from django.db.models import QuerySet

from assessments.models import Assessment, AssessmentStatus, Cycle, IndicatorResponse
from smartcity.models import Indicator, Province, Region
from tests.factories import CycleFactory, small_framework
from tests.services import postgresql_problem, require_service

pytestmark = pytest.mark.django_db
CYCLES, PROVINCES, REGIONS_PER_PROVINCE = 6, 6, 86


def plan_of(queryset: QuerySet) -> list[dict]:
    """The nodes of the query's plan (EXPLAIN, JSON), sequential scans discouraged."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (document,) = cursor.fetchone()
    nodes, pending = [], [document[0]["Plan"]]
    while pending:
        node = pending.pop()
        nodes.append(node)
        pending.extend(node.get("Plans", []))
    return nodes


def indexes_used(nodes: list[dict]) -> set[str]:
    return {node["Index Name"] for node in nodes if "Index Name" in node}


def tables_scanned_sequentially(nodes: list[dict]) -> set[str]:
    return {node["Relation Name"] for node in nodes if node["Node Type"] == "Seq Scan"}


@pytest.fixture
def analysed_data() -> tuple[Cycle, Region]:
    """Six cycles of 516 regions on the small framework, one in twenty approved, and the last
    cycle's answers; with fresh planner statistics."""
    require_service("PostgreSQL", postgresql_problem())
    framework = small_framework()
    provinces = Province.objects.bulk_create(
        Province(code=f"{70 + p}", name=f"Provinsi Uji {p}") for p in range(PROVINCES)
    )
    regions = Region.objects.bulk_create(
        Region(code=f"{province.code}.{n:02d}", name=f"Kota Uji {province.code}.{n:02d}",
               province=province)
        for province in provinces
        for n in range(REGIONS_PER_PROVINCE)
    )  # fmt: skip
    cycles = [
        CycleFactory(
            year=2022 + year,
            framework=framework,
            opens_on=datetime.date(2022 + year, 3, 1),
            closes_on=datetime.date(2022 + year, 6, 30),
        )
        for year in range(CYCLES)
    ]
    assessments = Assessment.objects.bulk_create(
        Assessment(
            cycle=cycle,
            region=region,
            status=AssessmentStatus.APPROVED if n % 20 == 0 else AssessmentStatus.DRAFT,
        )
        for cycle in cycles
        for n, region in enumerate(regions)
    )
    indicators = list(Indicator.objects.filter(element__pillar__framework=framework))
    IndicatorResponse.objects.bulk_create(
        IndicatorResponse(assessment=assessment, indicator=indicator, self_level=1)
        for assessment in assessments
        if assessment.cycle == cycles[-1]
        for indicator in indicators
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return cycles[-1], regions[0]


def test_a_cycles_assessments_in_a_status_use_the_cycle_status_index(analysed_data):
    cycle, _region = analysed_data
    approved = Assessment.objects.filter(cycle=cycle, status=AssessmentStatus.APPROVED)
    nodes = plan_of(approved.order_by().values("pk", "region_id"))
    assert "assessment_cycle_status" in indexes_used(nodes)
    assert not tables_scanned_sequentially(nodes)
    assert approved.count() == len(range(0, PROVINCES * REGIONS_PER_PROVINCE, 20))


def test_a_regions_assessments_in_a_status_use_the_region_status_index(analysed_data):
    _cycle, region = analysed_data
    approved = Assessment.objects.filter(region=region, status=AssessmentStatus.APPROVED)
    nodes = plan_of(approved.order_by().values("pk", "cycle_id"))
    assert "assessment_region_status" in indexes_used(nodes)
    assert not tables_scanned_sequentially(nodes)
    assert approved.count() == CYCLES


def test_the_answers_of_a_cycles_approved_assessments_are_read_through_indexes(analysed_data):
    cycle, _region = analysed_data
    answers = IndicatorResponse.objects.filter(
        assessment__cycle=cycle, assessment__status=AssessmentStatus.APPROVED
    )
    nodes = plan_of(
        answers.order_by().values("assessment_id", "indicator_id", "self_level", "verified_level")
    )
    used = indexes_used(nodes)
    assert "assessment_cycle_status" in used
    # The responses by assessment: the foreign key's index or the unique (assessment, indicator).
    response_indexes = {name for name in used if name.startswith("assessments_indicatorresp")}
    assert response_indexes | ({"response_unique_indicator"} & used)
    assert not tables_scanned_sequentially(nodes)


def test_cycle_or_region_alone_need_no_index_of_their_own(analysed_data):
    cycle, region = analysed_data
    by_cycle = indexes_used(plan_of(Assessment.objects.filter(cycle=cycle).order_by()))
    by_region = indexes_used(plan_of(Assessment.objects.filter(region=region).order_by()))
    assert by_cycle <= {"assessment_cycle_status", "assessment_unique_region"} and by_cycle
    assert by_region == {"assessment_region_status"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'assessments_assessment'")
        definitions = [definition for (definition,) in cursor.fetchall()]
    single_key = [d for d in definitions if d.endswith(("(cycle_id)", "(region_id)"))]
    assert single_key == []


def test_default_ordering_joins_and_sorts_so_dataframe_builders_call_order_by(analysed_data):
    cycle, _region = analysed_data
    approved = Assessment.objects.filter(cycle=cycle, status=AssessmentStatus.APPROVED)
    with_meta_ordering = plan_of(approved.values("pk", "region_id"))
    without = plan_of(approved.order_by().values("pk", "region_id"))
    types = {node["Node Type"] for node in with_meta_ordering}
    assert "Sort" in types or "Incremental Sort" in types
    assert "smartcity_region" in {node.get("Relation Name") for node in with_meta_ordering}
    assert not {"Sort", "Incremental Sort"} & {node["Node Type"] for node in without}
    assert "smartcity_region" not in {node.get("Relation Name") for node in without}
