"""The workflow services end to end, and what a change after a return does to its review."""

from django.core import mail

from assessments import services
from assessments.models import AssessmentStatus, EventKind, ReviewState
from assessments.rules import Answer
from assessments.selectors import assessment_sheet
from tests.assessments.conftest import answer_everything


def test_whole_loop_through_the_services(
    assessment, official, facilitator, django_capture_on_commit_callbacks
):
    answer_everything(assessment, official, level=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(assessment=assessment, user=official)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert [m.to for m in mail.outbox] == [[facilitator.email]]

    first = assessment.responses.order_by("indicator__position").first()
    services.response_verify(
        response=first, user=facilitator, verified_level=1, reason="Bukti lama"
    )
    services.assessment_return(
        assessment=assessment,
        user=facilitator,
        note="Perbarui bukti",
        flags=[services.Flag(first.pk, "Unggah SK terbaru")],
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    services.response_flag_address(response=first, user=official, reply="SK terbaru diunggah")
    services.assessment_submit(assessment=assessment, user=official)
    services.assessment_approve(assessment=assessment, user=facilitator)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED
    assert not assessment.responses.filter(review_state=ReviewState.PENDING).exists()
    assert list(assessment.events.values_list("kind", flat=True)) == [
        EventKind.OPENED,
        EventKind.SUBMITTED,
        EventKind.REVIEW_STARTED,
        EventKind.RETURNED,
        EventKind.RESUBMITTED,
        EventKind.APPROVED,
    ]


def test_sheet_has_a_fixed_number_of_queries(assessment, django_assert_num_queries):
    with django_assert_num_queries(6):
        sheet = assessment_sheet(assessment)
    assert len(sheet.rows()) == 55
    assert [p.pillar.code for p in sheet.pillars][:3] == ["STR", "INF", "SUP"]
    assert all(len(row.descriptors) == 5 for row in sheet.rows())
    with django_assert_num_queries(6):
        one = assessment_sheet(assessment, element_code="GOV.G1")
    assert [row.indicator.code for row in one.rows()] == ["GOV.G1.1", "GOV.G1.2", "GOV.G1.3"]


def _returned_with_one_adjusted(assessment, official, facilitator):
    answer_everything(assessment, official, level=2)
    services.assessment_submit(assessment=assessment, user=official)
    first = assessment.responses.select_related("indicator").order_by("indicator__position")[0]
    services.response_verify(response=first, user=facilitator, verified_level=1, reason="Lama")
    services.assessment_return(
        assessment=assessment, user=facilitator, note="Perbaiki", flags=[services.Flag(first.pk)]
    )
    assessment.refresh_from_db()
    first.refresh_from_db()
    return first


def test_changing_an_answer_after_a_return_needs_a_new_review(assessment, official, facilitator):
    response = _returned_with_one_adjusted(assessment, official, facilitator)
    services.response_save(
        response=response,
        user=official,
        expected_version=response.version,
        answer=Answer(3, False, "", "SK baru terbit", None),
    )
    response.refresh_from_db()
    assert (response.review_state, response.verified_level, response.verification_reason) == (
        ReviewState.PENDING,
        None,
        "",
    )
    # The facilitator's earlier verification is kept in the history.
    assert 1 in response.history.values_list("verified_level", flat=True)


def test_new_evidence_after_a_return_needs_a_new_review(assessment, official, facilitator):
    response = _returned_with_one_adjusted(assessment, official, facilitator)
    services.evidence_add_link(
        response=response, user=official, url="https://jdih.example.go.id/sk-baru"
    )
    response.refresh_from_db()
    assert response.review_state == ReviewState.PENDING
    assert response.history.filter(review_state=ReviewState.ADJUSTED).exists()
