"""Fixtures for the stored master plan: the loaded library and an approved assessment."""

import functools

import pytest

from assessments import services as assessment_services
from assessments.models import IndicatorResponse
from masterplan.library_files import LibrarySpec, framework_scope, read_library_file
from masterplan.services import action_library_load
from smartcity.demo import FIXTURES
from tests.assessments import conftest as assessment_fixtures

# The assessment fixtures, shared with this folder.
framework = assessment_fixtures.framework
cycle = assessment_fixtures.cycle
assessment = assessment_fixtures.assessment
other_assessment = assessment_fixtures.other_assessment
answer_everything = assessment_fixtures.answer_everything
default_framework_spec = assessment_fixtures.default_framework_spec

LIBRARY_FILE = FIXTURES / "action_library" / "kota-cerdas-v1.yaml"


@functools.cache
def default_library_spec() -> LibrarySpec:
    """Parsed once per run (the YAML takes seconds); each test stores it in its own database."""
    return read_library_file(LIBRARY_FILE, framework_scope(default_framework_spec()))


@pytest.fixture
def library(framework):
    return action_library_load(spec=default_library_spec(), framework=framework).library


@pytest.fixture
def approved(assessment, official, facilitator, library):
    """`region`'s assessment answered at level 1 everywhere, targets 3, approved."""
    answer_everything(assessment, official, level=1)
    assessment.responses.update(target_level=3)
    assessment_services.assessment_submit(assessment=assessment, user=official)
    assessment_services.assessment_approve(assessment=assessment, user=facilitator, note="")
    assessment.refresh_from_db()
    return assessment


def set_levels(approved, levels: dict[str, int]) -> None:
    for code, level in levels.items():
        IndicatorResponse.objects.filter(assessment=approved, indicator__code=code).update(
            self_level=level, verified_level=None, review_state="pending"
        )
