"""Fixtures for the assessment workflow: the default framework, a cycle, assessments, answers."""

import datetime
import functools

import pytest

from assessments import services
from assessments.models import Assessment, Cycle
from assessments.rules import Answer
from smartcity.demo import DEFAULT_FRAMEWORK
from smartcity.framework_files import FrameworkSpec, read_framework_file
from smartcity.models import Region
from smartcity.services import framework_load
from tests.helpers import response_of


@functools.cache
def default_framework_spec() -> FrameworkSpec:
    """Parsed once per test run; each test still writes it into its own database."""
    return read_framework_file(DEFAULT_FRAMEWORK)


@pytest.fixture
def framework(db):
    """The default framework v1 (55 indicators), published."""
    return framework_load(spec=default_framework_spec(), publish=True).framework


@pytest.fixture
def cycle(framework, administrator, region, other_region):
    """Cycle 2026 on the default framework for `region` and `other_region`."""
    return open_cycle(
        administrator, Region.objects.filter(pk__in=[region.pk, other_region.pk]), framework
    )


@pytest.fixture
def assessment(cycle, region):
    """`region`'s assessment (draft), with one empty response per indicator."""
    return Assessment.objects.select_related("region", "cycle__framework").get(
        cycle=cycle, region=region
    )


@pytest.fixture
def g1(assessment):
    """The first indicator of element GOV.G1 in `assessment`."""
    return response_of(assessment, "GOV.G1.1")


@pytest.fixture
def other_assessment(cycle, other_region):
    return Assessment.objects.select_related("region", "cycle__framework").get(
        cycle=cycle, region=other_region
    )


def open_cycle(administrator, regions, framework=None) -> Cycle:
    """Cycle 2026 on `framework` (default: the default framework, loaded and published)."""
    if framework is None:
        framework = framework_load(spec=default_framework_spec(), publish=True).framework
    return services.cycle_open(
        user=administrator,
        year=2026,
        title="Penilaian Mandiri 2026",
        framework=framework,
        opens_on=datetime.date(2026, 3, 1),
        closes_on=datetime.date(2026, 6, 30),
        regions=regions,
        run_now=True,
    ).cycle


def answer_everything(
    assessment: Assessment, user, level: int = 2, *, except_element: str | None = None
) -> None:
    """Answer every indicator (but those of `except_element`) at `level` with a narrative, and
    a link where the level needs evidence; all through the services."""
    responses = assessment.responses.select_related("indicator", "assessment").order_by(
        "indicator__position"
    )
    if except_element:
        responses = responses.exclude(indicator__element__code=except_element)
    for response in responses:
        services.response_save(
            response=response,
            user=user,
            expected_version=response.version,
            answer=Answer(
                self_level=level,
                not_applicable=False,
                na_reason="",
                narrative=f"Narasi {response.indicator.code}",
                target_level=None,
            ),
        )
        if response.indicator.needs_evidence_at(level):
            services.evidence_add_link(
                response=response,
                user=user,
                url=f"https://jdih.example.go.id/{response.indicator.code}",
            )
