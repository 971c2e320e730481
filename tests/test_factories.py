"""The shared test data: the small framework and the assessment factories build what they say."""

import pytest

from assessments.models import AssessmentStatus, EvidenceKind
from smartcity.models import Indicator, PillarKind
from tests.factories import (
    FRAMEWORK_ORDER,
    AssessmentEventFactory,
    AssessmentFactory,
    CycleFactory,
    EvidenceFactory,
    IndicatorResponseFactory,
    ResponseCommentFactory,
    small_framework,
)

pytestmark = pytest.mark.django_db


def test_small_framework_is_two_pillars_of_two_elements_of_two_indicators_on_a_0_3_scale():
    framework = small_framework()
    assert framework.is_published
    assert list(framework.levels.values_list("value", flat=True)) == [0, 1, 2, 3]
    pillars = list(framework.pillars.order_by("position").values_list("code", "kind"))
    assert pillars == [("KES", PillarKind.READINESS), ("LAY", PillarKind.DIMENSION)]
    codes = list(
        Indicator.objects.filter(element__pillar__framework=framework)
        .order_by(*FRAMEWORK_ORDER)
        .values_list("code", flat=True)
    )
    assert codes == [f"{p}.{p[0]}{e}.{i}" for p in ("KES", "LAY") for e in (1, 2) for i in (1, 2)]
    assert small_framework().pk == framework.pk


def test_an_assessment_comes_with_one_empty_response_per_indicator():
    assessment = AssessmentFactory()
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.cycle.framework.slug == "uji-kecil"
    responses = assessment.responses.all()
    assert responses.count() == 8
    assert not any(response.is_answered for response in responses)
    assert AssessmentFactory(cycle=assessment.cycle, responses=False).responses.count() == 0


def test_responses_of_one_assessment_take_the_next_indicator_each():
    first = IndicatorResponseFactory(self_level=2)
    second = IndicatorResponseFactory(assessment=first.assessment)
    assert [first.indicator.code, second.indicator.code] == ["KES.K1.1", "KES.K1.2"]
    assert first.analysis_level == 2


def test_evidence_comments_and_events_hang_off_one_assessment():
    evidence = EvidenceFactory()
    assert evidence.kind == EvidenceKind.LINK and evidence.url.startswith("https://")
    comment = ResponseCommentFactory(response=evidence.response)
    event = AssessmentEventFactory(assessment=evidence.response.assessment)
    assert comment.response.assessment_id == event.assessment_id
    assert CycleFactory().title != CycleFactory().title
