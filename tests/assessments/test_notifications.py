"""E-mails of the workflow: who receives them, in which language, with which content and link."""

import pytest
from celery.result import EagerResult
from django.core import mail
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentEvent, EventKind
from assessments.tasks import send_event_email
from smartcity.models import Role
from tests.assessments.conftest import answer_everything
from tests.factories import MembershipFactory, ProvinceFactory
from tests.services import postgresql_problem, require_service

SUBJECT_EN = "Submitted for review: Kota Pangkal Pinang, Penilaian Mandiri 2026"
SUBJECT_ID = "Diajukan untuk verifikasi: Kota Pangkal Pinang, Penilaian Mandiri 2026"


def facilitator_of(*, username: str, region=None, province=None, **user):
    return MembershipFactory(
        user__username=username,
        role=Role.FACILITATOR,
        region=region,
        province=province,
        **{f"user__{name}": value for name, value in user.items()},
    ).user


def official_of(region, *, username: str, **user):
    return MembershipFactory(
        user__username=username,
        role=Role.OFFICIAL,
        region=region,
        **{f"user__{name}": value for name, value in user.items()},
    ).user


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def answered(assessment, official):
    answer_everything(assessment, official, level=2)
    return assessment


def submit(assessment, official, capture) -> None:
    with capture(execute=True):
        # A resubmission goes ahead with its flags as they stand (tested in test_flags.py).
        services.assessment_submit(assessment=assessment, user=official, unaddressed_confirmed=True)


# --- Submission -----------------------------------------------------------------------------------
def test_submission_mails_every_facilitator_of_the_region_once(
    answered, official, facilitator, region, other_region, django_capture_on_commit_callbacks
):
    of_region = facilitator_of(username="fasilitator-kota", region=region)
    both = facilitator_of(username="fasilitator-ganda", region=region)
    MembershipFactory(user=both, role=Role.FACILITATOR, region=None, province=region.province)
    facilitator_of(username="fasilitator-jateng", province=other_region.province)
    facilitator_of(username="fasilitator-tetangga", region=other_region)
    facilitator_of(username="fasilitator-nonaktif", province=region.province, is_active=False)
    facilitator_of(username="fasilitator-tanpa-surel", province=region.province, email="")
    other_province = ProvinceFactory(code="21", name="Kepulauan Riau")
    facilitator_of(username="fasilitator-kepri", province=other_province)

    submit(answered, official, django_capture_on_commit_callbacks)

    assert recipients() == sorted([facilitator.email, of_region.email, both.email])
    assert official.email not in recipients()
    assert all(len(message.to) == 1 for message in mail.outbox)


def test_submission_mail_is_in_each_recipients_language(
    answered, official, facilitator, region, django_capture_on_commit_callbacks
):
    english = facilitator_of(username="facilitator-en", region=region, language="en")
    submit(answered, official, django_capture_on_commit_callbacks)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[english.email].subject == SUBJECT_EN
    assert "has submitted its self-assessment" in by_address[english.email].body
    assert by_address[facilitator.email].subject == SUBJECT_ID
    assert "telah mengajukan penilaian mandiri" in by_address[facilitator.email].body
    assert "has submitted" not in by_address[facilitator.email].body


def test_the_link_points_to_the_assessment_on_the_site(
    answered, official, facilitator, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://kotacerdas.example.go.id/"
    submit(answered, official, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    link = "https://kotacerdas.example.go.id" + reverse("assessments:overview", args=[answered.pk])
    assert link in message.body.split()


def test_resubmission_mail_says_it_was_resubmitted(
    answered, official, facilitator, region, django_capture_on_commit_callbacks
):
    english = facilitator_of(username="facilitator-en", region=region, language="en")
    submit(answered, official, django_capture_on_commit_callbacks)
    first = answered.responses.select_related("indicator").order_by("indicator__position")[0]
    services.assessment_return(
        assessment=answered, user=facilitator, note="Perbaiki", flags=[services.Flag(first.pk)]
    )
    mail.outbox.clear()

    submit(answered, official, django_capture_on_commit_callbacks)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[english.email].subject == (
        "Resubmitted for review: Kota Pangkal Pinang, Penilaian Mandiri 2026"
    )
    assert by_address[facilitator.email].subject == (
        "Diajukan ulang untuk verifikasi: Kota Pangkal Pinang, Penilaian Mandiri 2026"
    )


# --- Return and approval --------------------------------------------------------------------------
@pytest.fixture
def submitted(answered, official, django_capture_on_commit_callbacks):
    submit(answered, official, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    return answered


def test_return_mails_the_regions_officials_with_the_note_and_flagged_codes(
    submitted,
    official,
    other_official,
    facilitator,
    region,
    django_capture_on_commit_callbacks,
):
    english = official_of(region, username="official-en", language="en")
    official_of(region, username="pejabat-nonaktif", is_active=False)
    responses = list(
        submitted.responses.select_related("indicator").order_by("indicator__position")[:2]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_return(
            assessment=submitted,
            user=facilitator,
            note="Mohon unggah SK Wali Kota terbaru.",
            flags=[services.Flag(r.pk, "") for r in responses],
        )

    assert recipients() == sorted([official.email, english.email])
    assert facilitator.email not in recipients()
    assert other_official.email not in recipients()
    by_address = {message.to[0]: message for message in mail.outbox}
    codes = ", ".join(sorted(r.indicator.code for r in responses))
    for message in mail.outbox:
        assert "Mohon unggah SK Wali Kota terbaru." in message.body
        assert codes in message.body
    assert by_address[english.email].subject == (
        "Returned for revision: Kota Pangkal Pinang, Penilaian Mandiri 2026"
    )
    assert by_address[official.email].subject == (
        "Dikembalikan untuk perbaikan: Kota Pangkal Pinang, Penilaian Mandiri 2026"
    )


def test_approval_mails_the_regions_officials(
    submitted, official, other_official, facilitator, region, django_capture_on_commit_callbacks
):
    english = official_of(region, username="official-en", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_approve(assessment=submitted, user=facilitator, note="Selamat.")

    assert recipients() == sorted([official.email, english.email])
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[english.email].subject == (
        "Approved: Kota Pangkal Pinang, Penilaian Mandiri 2026"
    )
    assert by_address[official.email].subject == (
        "Disetujui: Kota Pangkal Pinang, Penilaian Mandiri 2026"
    )
    assert "Selamat." in by_address[official.email].body


def test_verification_and_comments_send_no_mail(
    submitted, facilitator, django_capture_on_commit_callbacks
):
    response = submitted.responses.first()
    with django_capture_on_commit_callbacks(execute=True):
        services.response_verify(response=response, user=facilitator, verified_level=2)
        services.response_comment_add(response=response, user=facilitator, body="Cek bukti.")
    assert mail.outbox == []


# --- Through the real worker ----------------------------------------------------------------------
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_mail_task_runs_in_a_real_worker(celery_worker, assessment, official, facilitator):
    # The worker is another process: it reads the event from the shared PostgreSQL test database.
    require_service("PostgreSQL", postgresql_problem())
    event = AssessmentEvent.objects.create(
        assessment=assessment, kind=EventKind.SUBMITTED, actor=official
    )

    result = send_event_email.delay(event.pk)

    assert not isinstance(result, EagerResult)
    assert result.get(timeout=30) == 1  # the province's one facilitator
    assert mail.outbox == []  # sent by the worker, not in this process
