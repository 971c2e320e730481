"""The workflow services end to end: fill, submit, review, return, resubmit, approve."""

from django.core import mail

from assessments import services
from assessments.models import AssessmentStatus, EventKind, ReviewState
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
