"""The workflow services end to end: fill, submit, review, return, resubmit, approve."""

from django.core import mail

from assessments import services
from assessments.models import AssessmentStatus, EventKind, ReviewState
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
    services.response_verify(response=first, user=facilitator, verified_level=1, reason="Bukti lama")
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
        EventKind.REVIEW_STARTED,
        EventKind.APPROVED,
    ]
