"""The facilitator's review: queue, review page, verify, return for revision, approve.

Each refusal is tested: outside the facilitator's scope is a 404, an action the assessment's
state does not allow is a 409 with the service's message, an answer to fix is a 422, and in
every refused case nothing changes.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services
from assessments.models import (
    Assessment,
    AssessmentStatus,
    EventKind,
    IndicatorResponse,
    ResponseComment,
    ReviewState,
)
from assessments.views.review import deadline_of
from smartcity.models import Region, Role, User
from tests.assessments.conftest import answer_everything
from tests.factories import MembershipFactory, RegionFactory
from tests.helpers import HTMX, in_indonesian, pdf_bytes, png_bytes


def submit(assessment: Assessment, official, level: int = 2) -> Assessment:
    answer_everything(assessment, official, level=level)
    services.assessment_submit(assessment=assessment, user=official)
    return Assessment.objects.select_related("region", "cycle__framework").get(pk=assessment.pk)


@pytest.fixture
def submitted(assessment, official):
    """`region`'s assessment, every indicator answered at level 2, submitted."""
    return submit(assessment, official)


def first_response(assessment: Assessment) -> IndicatorResponse:
    return assessment.responses.select_related("indicator").order_by("indicator__position")[0]


def ordered_responses(assessment: Assessment) -> list[IndicatorResponse]:
    return list(assessment.responses.select_related("indicator").order_by("indicator__position"))


def verify_url(response: IndicatorResponse) -> str:
    return reverse("assessments:verify", args=[response.assessment_id, response.pk])


def message_texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Queue ----------------------------------------------------------------------------------------
@pytest.fixture
def second_region(region):
    """Another region of the facilitator's province, with an official and a 2026 assessment."""
    return RegionFactory(code="19.03", name="Kabupaten Bangka Selatan", province=region.province)


def open_cycle_for(regions, framework, administrator, title="Penilaian Mandiri 2026 (b)"):
    return services.cycle_open(
        user=administrator,
        year=2026,
        title=title,
        framework=framework,
        opens_on=datetime.date(2026, 3, 1),
        closes_on=datetime.date(2026, 6, 30),
        regions=Region.objects.filter(pk__in=[r.pk for r in regions]),
        run_now=True,
    ).cycle


def test_queue_lists_submitted_assessments_in_scope_oldest_first(
    client,
    facilitator,
    submitted,
    other_assessment,
    other_official,
    second_region,
    framework,
    administrator,
):
    third_region = RegionFactory(
        code="19.04", name="Kabupaten Belitung", province=second_region.province
    )
    cycle = open_cycle_for([second_region, third_region], framework, administrator)
    older_official = MembershipFactory(role=Role.OFFICIAL, region=second_region).user
    older = submit(Assessment.objects.get(cycle=cycle, region=second_region), older_official)
    draft = Assessment.objects.get(cycle=cycle, region=third_region)
    submit(other_assessment, other_official)  # another province: not the facilitator's
    now = timezone.now()
    Assessment.objects.filter(pk=older.pk).update(submitted_at=now - datetime.timedelta(days=9))
    Assessment.objects.filter(pk=submitted.pk).update(submitted_at=now - datetime.timedelta(days=2))

    client.force_login(facilitator)
    response = client.get(reverse("assessments:review_queue"))

    assert response.status_code == 200
    assert [row.assessment.pk for row in response.context["rows"]] == [older.pk, submitted.pk]
    assert [row.waiting_days for row in response.context["rows"]] == [9, 2]
    html = response.content.decode()
    first = html.index(reverse("assessments:review", args=[older.pk]))
    second = html.index(reverse("assessments:review", args=[submitted.pk]))
    assert first < second
    assert reverse("assessments:review", args=[draft.pk]) not in html
    assert reverse("assessments:review", args=[other_assessment.pk]) not in html
    assert "Kota Semarang" not in html


def test_queue_shows_in_review_assessments_and_their_progress(client, facilitator, submitted):
    services.response_verify(response=first_response(submitted), user=facilitator, verified_level=2)
    client.force_login(facilitator)
    response = client.get(reverse("assessments:review_queue"))
    [row] = response.context["rows"]
    assert row.assessment.status == AssessmentStatus.IN_REVIEW
    assert (row.assessment.reviewed_count, row.assessment.indicator_count) == (1, 55)


def test_queue_is_empty_without_submissions(client, facilitator, assessment):
    client.force_login(facilitator)
    response = client.get(reverse("assessments:review_queue"))
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "review-queue-empty" in response.content.decode()


def test_queue_shows_deadline_status_in_the_users_language(client, facilitator, submitted):
    User.objects.filter(pk=facilitator.pk).update(language="en")
    submitted.cycle.__class__.objects.filter(pk=submitted.cycle_id).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    client.force_login(facilitator)
    html = client.get(reverse("assessments:review_queue")).content.decode()
    assert "deadline passed 3 days ago" in html
    assert "deadline-passed" in html


@pytest.mark.parametrize("persona", ["official", "other_official", "outsider"])
def test_queue_is_404_for_people_who_review_nothing(client, request, persona, submitted):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("assessments:review_queue")).status_code == 404


def test_queue_is_open_to_administrators(client, administrator, submitted):
    client.force_login(administrator)
    response = client.get(reverse("assessments:review_queue"))
    assert response.status_code == 200
    assert [row.assessment.pk for row in response.context["rows"]] == [submitted.pk]


def test_queue_has_a_fixed_number_of_queries(
    client,
    facilitator,
    submitted,
    framework,
    administrator,
    django_assert_max_num_queries,
):
    province = submitted.region.province
    regions = [
        RegionFactory(code=f"19.{n:02d}", name=f"Kabupaten Uji {n}", province=province)
        for n in range(1, 6)
    ]
    cycle = open_cycle_for(regions, framework, administrator)
    for n, assessment in enumerate(Assessment.objects.filter(cycle=cycle)):
        Assessment.objects.filter(pk=assessment.pk).update(
            status=AssessmentStatus.SUBMITTED,
            submitted_at=timezone.now() - datetime.timedelta(days=n + 3),
        )
    client.force_login(facilitator)
    # session, user, memberships, the queue with its progress counts: none per row.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("assessments:review_queue"))
    assert len(response.context["rows"]) == 6
    assert len({row.assessment.region_id for row in response.context["rows"]}) == 6


# --- Who may open the review page -------------------------------------------------------------
@pytest.mark.parametrize("persona", ["official", "other_official", "outsider"])
def test_review_page_is_404_outside_the_facilitators(client, request, persona, submitted):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("assessments:review", args=[submitted.pk])).status_code == 404
    response = first_response(submitted)
    posted = client.post(verify_url(response), {"action": "accept", "version": response.version})
    assert posted.status_code == 404
    assert client.get(reverse("assessments:return", args=[submitted.pk])).status_code == 404
    assert client.post(reverse("assessments:approve", args=[submitted.pk])).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.SUBMITTED


def test_facilitator_of_another_province_gets_404(client, facilitator, other_assessment):
    client.force_login(facilitator)
    assert client.get(reverse("assessments:review", args=[other_assessment.pk])).status_code == 404
    approve = client.post(reverse("assessments:approve", args=[other_assessment.pk]))
    assert approve.status_code == 404


def test_facilitator_who_is_also_an_official_of_the_region_gets_404(client, facilitator, submitted):
    MembershipFactory(user=facilitator, role=Role.OFFICIAL, region=submitted.region)
    client.force_login(facilitator)
    assert client.get(reverse("assessments:review", args=[submitted.pk])).status_code == 404
    response = first_response(submitted)
    posted = client.post(verify_url(response), {"action": "accept", "version": response.version})
    assert posted.status_code == 404
    approve = client.post(reverse("assessments:approve", args=[submitted.pk]))
    assert approve.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.SUBMITTED
    # The queue still opens (they review the rest of the province) but without their own region.
    queue = client.get(reverse("assessments:review_queue"))
    assert queue.status_code == 200
    assert queue.context["rows"] == []


def test_a_response_of_another_assessment_is_404(client, facilitator, submitted, other_assessment):
    foreign = first_response(other_assessment)
    client.force_login(facilitator)
    url = reverse("assessments:verify", args=[submitted.pk, foreign.pk])
    assert client.post(url, {"action": "accept", "version": 1}).status_code == 404


def test_administrator_can_review(client, administrator, submitted):
    client.force_login(administrator)
    assert client.get(reverse("assessments:review", args=[submitted.pk])).status_code == 200
    response = first_response(submitted)
    posted = client.post(verify_url(response), {"action": "accept", "version": response.version})
    assert posted.status_code == 302
    response.refresh_from_db()
    assert response.review_state == ReviewState.ACCEPTED
    assert response.reviewed_by == administrator


# --- Review page ----------------------------------------------------------------------------------
def test_review_page_shows_the_whole_sheet_progress_and_timeline(client, facilitator, submitted):
    client.force_login(facilitator)
    response = client.get(reverse("assessments:review", args=[submitted.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="review-item ') == 55
    assert 'id="indicator-GOV.G1.1"' in html
    assert response.context["progress"].reviewed == 0
    assert response.context["progress"].total == 55
    assert "Terverifikasi 0 dari 55" in html  # Indonesian by default
    assert "Terima level mandiri" in html
    assert "Narasi GOV.G1.1" in html
    assert "https://jdih.example.go.id/GOV.G1.1" in html
    timeline = html[html.index('id="timeline-heading"') :]
    for kind in (EventKind.OPENED, EventKind.SUBMITTED):
        assert in_indonesian(kind.label) in timeline
    # The approval dialog says how many indicators approval would accept unreviewed.
    assert re.search(r'id="approve-pending-note"[^>]*>\s*55 ', html)


def test_review_page_in_english_for_an_english_facilitator(client, facilitator, submitted):
    User.objects.filter(pk=facilitator.pk).update(language="en")
    client.force_login(facilitator)
    html = client.get(reverse("assessments:review", args=[submitted.pk])).content.decode()
    assert "Reviewed 0 of 55" in html
    assert "Accept self level" in html
    assert "Set verified level" in html


def test_review_page_defaults_each_level_to_the_self_level(client, facilitator, submitted):
    response = first_response(submitted)
    client.force_login(facilitator)
    html = client.get(reverse("assessments:review", args=[submitted.pk])).content.decode()
    radio = re.search(rf'<input[^>]*id="level-{response.pk}-2"[^>]*>', html).group(0)
    assert "checked" in radio
    assert 'data-self="true"' in radio
    other = re.search(rf'<input[^>]*id="level-{response.pk}-3"[^>]*>', html).group(0)
    assert "checked" not in other
    assert f'name="version" value="{response.version}"' in html


def test_review_page_filters_are_server_side(client, facilitator, submitted):
    responses = list(
        submitted.responses.select_related("indicator").order_by("indicator__position")
    )
    services.response_verify(response=responses[0], user=facilitator, verified_level=2)
    services.response_verify(
        response=responses[1], user=facilitator, verified_level=1, reason="Bukti kurang"
    )
    client.force_login(facilitator)
    url = reverse("assessments:review", args=[submitted.pk])

    pending = client.get(url, {"show": "pending"}).content.decode()
    assert pending.count('class="review-item ') == 53
    assert f'id="indicator-{responses[0].indicator.code}"' not in pending

    adjusted = client.get(url, {"show": "adjusted"}).content.decode()
    assert adjusted.count('class="review-item ') == 1
    assert f'id="indicator-{responses[1].indicator.code}"' in adjusted

    with_evidence = client.get(url, {"show": "evidence"})
    assert with_evidence.context["progress"].with_evidence == with_evidence.content.decode().count(
        'class="review-item '
    )
    unknown = client.get(url, {"show": "nonsense"}).content.decode()
    assert unknown.count('class="review-item ') == 55


def test_evidence_files_open_inline_when_the_browser_can_show_them(
    client, facilitator, assessment, official
):
    answer_everything(assessment, official, level=2)
    response = first_response(assessment)
    pdf = services.evidence_add_file(
        response=response,
        user=official,
        upload=SimpleUploadedFile("SK Walikota.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    image = services.evidence_add_file(
        response=response,
        user=official,
        upload=SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png"),
    )
    services.assessment_submit(assessment=assessment, user=official)
    client.force_login(facilitator)
    html = client.get(reverse("assessments:review", args=[assessment.pk])).content.decode()
    pdf_link = re.search(
        rf'<a href="{reverse("assessments:evidence_file", args=[pdf.pk])}"[^>]*>', html
    ).group(0)
    assert 'data-evidence-viewer="pdf"' in pdf_link
    assert 'target="_blank"' in pdf_link
    image_link = re.search(
        rf'<a href="{reverse("assessments:evidence_file", args=[image.pk])}"[^>]*>', html
    ).group(0)
    assert 'data-evidence-viewer="image"' in image_link
    assert 'id="evidence-dialog"' in html
    served = client.get(reverse("assessments:evidence_file", args=[pdf.pk]))
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("inline")


def test_review_page_of_a_draft_is_read_only(client, facilitator, assessment):
    client.force_login(facilitator)
    response = client.get(reverse("assessments:review", args=[assessment.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="verify-form"' not in html
    assert 'id="approve-dialog"' not in html


def test_review_page_has_a_fixed_number_of_queries(
    client, facilitator, submitted, official, django_assert_max_num_queries
):
    # A whole assessment with evidence on many indicators and a discussion on several.
    responses = list(submitted.responses.all()[:12])
    for response in responses:
        ResponseComment.objects.create(response=response, author=official, body="Mohon cek.")
        ResponseComment.objects.create(response=response, author=facilitator, body="Sudah.")
    services.response_verify(
        response=responses[0], user=facilitator, verified_level=1, reason="Bukti kurang"
    )
    assert submitted.responses.filter(evidence__isnull=False).distinct().count() > 20
    client.force_login(facilitator)
    url = reverse("assessments:review", args=[submitted.pk])
    # session, user, memberships, assessment, the sheet (levels, elements, responses,
    # descriptors, evidence, comments) and the timeline: none per indicator.
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="review-item ') == 55


# --- Verify ---------------------------------------------------------------------------------------
def test_accepting_the_self_level(client, facilitator, submitted):
    response = first_response(submitted)
    history_before = response.history.count()
    client.force_login(facilitator)
    posted = client.post(
        verify_url(response), {"action": "accept", "level": "4", "version": response.version}
    )
    assert posted.status_code == 302
    assert posted["Location"] == (
        reverse("assessments:review", args=[submitted.pk]) + f"#indicator-{response.indicator.code}"
    )
    response.refresh_from_db()
    assert response.verified_level == response.self_level == 2
    assert response.review_state == ReviewState.ACCEPTED
    assert response.reviewed_by == facilitator
    assert response.history.count() == history_before + 1
    assert response.history.first().verified_level == 2
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.IN_REVIEW
    assert submitted.events.filter(kind=EventKind.REVIEW_STARTED, actor=facilitator).exists()


def test_setting_another_level_without_a_reason_is_refused(client, facilitator, submitted):
    response = first_response(submitted)
    client.force_login(facilitator)
    posted = client.post(
        verify_url(response),
        {"action": "set", "level": "3", "reason": "  ", "version": response.version},
        **HTMX,
    )
    assert posted.status_code == 422
    expected = in_indonesian(
        "Give the reason when the verified level differs from the self-assessed level."
    )
    html = posted.content.decode()
    assert expected in html
    # The chosen level is kept beside the message.
    assert re.search(rf'<input[^>]*id="level-{response.pk}-3"[^>]*checked', html)
    unchanged = IndicatorResponse.objects.get(pk=response.pk)
    assert unchanged.review_state == ReviewState.PENDING
    assert unchanged.verified_level is None
    assert unchanged.version == response.version
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.SUBMITTED


def test_setting_another_level_with_a_reason(client, facilitator, submitted):
    response = first_response(submitted)
    client.force_login(facilitator)
    posted = client.post(
        verify_url(response),
        {
            "action": "set",
            "level": "1",
            "reason": "SK belum ditetapkan",
            "version": response.version,
        },
    )
    assert posted.status_code == 302
    response.refresh_from_db()
    assert response.verified_level == 1
    assert response.review_state == ReviewState.ADJUSTED
    assert response.verification_reason == "SK belum ditetapkan"


def test_setting_the_self_level_needs_no_reason(client, facilitator, submitted):
    response = first_response(submitted)
    client.force_login(facilitator)
    posted = client.post(
        verify_url(response), {"action": "set", "level": "2", "version": response.version}
    )
    assert posted.status_code == 302
    response.refresh_from_db()
    assert response.review_state == ReviewState.ACCEPTED


@pytest.mark.parametrize("level", ["9", "-1", "", "dua"])
def test_a_level_outside_the_scale_is_refused(client, facilitator, submitted, level):
    response = first_response(submitted)
    client.force_login(facilitator)
    posted = client.post(
        verify_url(response),
        {"action": "set", "level": level, "reason": "Alasan", "version": response.version},
        **HTMX,
    )
    assert posted.status_code == 422
    assert "invalid-feedback" in posted.content.decode()
    unchanged = IndicatorResponse.objects.get(pk=response.pk)
    assert unchanged.verified_level is None
    assert unchanged.review_state == ReviewState.PENDING


@pytest.mark.parametrize(
    "data",
    [
        {"action": "accept"},  # no version
        {"action": "accept", "version": "abc"},
        {"action": "approve-everything", "version": "1"},
        {},
    ],
)
def test_malformed_verify_posts_are_422_not_500(client, facilitator, submitted, data):
    response = first_response(submitted)
    client.force_login(facilitator)
    assert client.post(verify_url(response), data, **HTMX).status_code == 422
    assert client.post(verify_url(response), data).status_code == 422
    assert IndicatorResponse.objects.get(pk=response.pk).review_state == ReviewState.PENDING


def test_a_stale_version_is_refused_with_409(client, facilitator, submitted):
    response = first_response(submitted)
    opened_version = response.version
    # Another facilitator verified the indicator after this page was opened.
    colleague = MembershipFactory(
        role=Role.FACILITATOR, region=None, province=submitted.region.province
    ).user
    services.response_verify(response=response, user=colleague, verified_level=2)
    client.force_login(facilitator)
    posted = client.post(
        verify_url(response),
        {"action": "set", "level": "1", "reason": "Terlalu tinggi", "version": opened_version},
        **HTMX,
    )
    assert posted.status_code == 409
    html = posted.content.decode()
    assert "invalid-feedback" in html
    response.refresh_from_db()
    assert response.verified_level == 2
    assert response.reviewed_by == colleague
    # The block shows the current version, so verifying again works.
    assert f'name="version" value="{response.version}"' in html
    assert "Terlalu tinggi" in html  # the reason typed is not lost


def test_verify_with_htmx_answers_the_indicator_block_and_the_progress(
    client, facilitator, submitted
):
    response = first_response(submitted)
    client.force_login(facilitator)
    posted = client.post(
        verify_url(response), {"action": "accept", "version": response.version}, **HTMX
    )
    assert posted.status_code == 200
    html = posted.content.decode()
    assert "<html" not in html
    assert html.count('class="review-item ') == 1
    assert f'id="indicator-{response.indicator.code}"' in html
    assert "review-accepted" in html
    assert re.search(r'id="review-summary"[^>]*hx-swap-oob="true"', html)
    assert re.search(r'id="approve-pending-note"[^>]*hx-swap-oob="true"[^>]*>\s*54 ', html)
    assert posted.context["progress"].reviewed == 1
    # The refreshed block carries the new version for the next verification.
    response.refresh_from_db()
    assert f'name="version" value="{response.version}"' in html


def test_plain_post_with_an_error_shows_the_page_again(client, facilitator, submitted):
    response = first_response(submitted)
    client.force_login(facilitator)
    posted = client.post(
        verify_url(response), {"action": "set", "level": "4", "version": response.version}
    )
    assert posted.status_code == 422
    assert any(response.indicator.code in text for text in message_texts(posted))
    assert posted.content.decode().count('class="review-item ') == 55


def test_accepting_not_applicable_keeps_the_verified_level_empty(client, facilitator, submitted):
    response = first_response(submitted)
    IndicatorResponse.objects.filter(pk=response.pk).update(
        self_level=None, not_applicable=True, na_reason="Tidak ada angkutan umum"
    )
    client.force_login(facilitator)
    posted = client.post(
        verify_url(response), {"action": "accept", "version": response.version}, **HTMX
    )
    assert posted.status_code == 200
    stored = IndicatorResponse.objects.get(pk=response.pk)
    assert (stored.review_state, stored.verified_level) == (ReviewState.ACCEPTED, None)
    # The verifier is recorded as such; the answer's last editor stays the official.
    assert stored.reviewed_by == facilitator
    assert stored.updated_by != facilitator


def test_giving_a_not_applicable_answer_a_level_needs_a_reason(client, facilitator, submitted):
    response = first_response(submitted)
    IndicatorResponse.objects.filter(pk=response.pk).update(self_level=None, not_applicable=True)
    client.force_login(facilitator)
    posted = client.post(
        verify_url(response), {"action": "set", "level": "2", "version": response.version}, **HTMX
    )
    assert posted.status_code == 422
    assert IndicatorResponse.objects.get(pk=response.pk).review_state == ReviewState.PENDING


def test_accepting_an_unanswered_indicator_is_refused(client, facilitator, submitted):
    response = first_response(submitted)
    IndicatorResponse.objects.filter(pk=response.pk).update(self_level=None)
    client.force_login(facilitator)
    posted = client.post(
        verify_url(response), {"action": "accept", "version": response.version}, **HTMX
    )
    assert posted.status_code == 422
    assert IndicatorResponse.objects.get(pk=response.pk).review_state == ReviewState.PENDING


# --- State refusals -------------------------------------------------------------------------------
def test_verify_return_and_approve_on_a_draft_are_refused(client, facilitator, assessment):
    response = first_response(assessment)
    client.force_login(facilitator)
    verify = client.post(
        verify_url(response), {"action": "set", "level": "1", "reason": "x", "version": 1}, **HTMX
    )
    assert verify.status_code == 409
    returned = client.post(
        reverse("assessments:return", args=[assessment.pk]),
        {"note": "Perbaiki", "flag": [response.pk]},
    )
    assert returned.status_code == 409
    approved = client.post(reverse("assessments:approve", args=[assessment.pk]))
    assert approved.status_code == 409
    expected = in_indonesian(
        "This assessment is %(status)s; only a submitted assessment can be reviewed.",
        status=in_indonesian("Draft").lower(),
    )
    assert expected in message_texts(approved)
    assert expected in message_texts(returned)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.approved_at is None
    response.refresh_from_db()
    assert (response.verified_level, response.flagged) == (None, False)
    assert not assessment.events.exclude(kind=EventKind.OPENED).exists()


def test_return_page_of_a_draft_redirects_with_the_reason(client, facilitator, assessment):
    client.force_login(facilitator)
    response = client.get(reverse("assessments:return", args=[assessment.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessments:review", args=[assessment.pk])
    assert len(message_texts(response)) == 1


def test_the_refusal_is_in_the_users_language(client, facilitator, assessment):
    User.objects.filter(pk=facilitator.pk).update(language="en")
    client.force_login(facilitator)
    refused = client.post(reverse("assessments:approve", args=[assessment.pk]))
    assert refused.status_code == 409
    assert message_texts(refused) == [
        "This assessment has the status “draft”; only a submitted assessment can be reviewed."
    ]


# --- Return for revision ------------------------------------------------------------------------
def test_return_page_lists_every_indicator_to_flag(client, facilitator, submitted):
    client.force_login(facilitator)
    response = client.get(reverse("assessments:return", args=[submitted.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('name="flag"') == 55
    assert 'name="note"' in html


def test_return_without_a_note_is_refused(client, facilitator, submitted):
    target = first_response(submitted)
    client.force_login(facilitator)
    response = client.post(
        reverse("assessments:return", args=[submitted.pk]),
        {"note": "  ", "flag": [target.pk], f"flag_note_{target.pk}": "Unggah SK"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    expected = in_indonesian("Write a note telling the region what to revise.")
    assert expected in html
    assert message_texts(response) == [expected]
    # What was ticked and typed is shown again.
    assert re.search(rf'<input[^>]*value="{target.pk}"[^>]*checked', html)
    assert 'value="Unggah SK"' in html
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.SUBMITTED
    assert not submitted.responses.filter(flagged=True).exists()


def test_return_without_flags_is_refused(client, facilitator, submitted):
    client.force_login(facilitator)
    response = client.post(
        reverse("assessments:return", args=[submitted.pk]), {"note": "Perbaiki bukti"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert in_indonesian("Flag at least one indicator to revise.") in html
    assert "Perbaiki bukti" in html
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.SUBMITTED
    assert not submitted.events.filter(kind=EventKind.RETURNED).exists()


def test_return_ignores_responses_of_other_assessments(
    client, facilitator, submitted, other_assessment
):
    foreign = first_response(other_assessment)
    client.force_login(facilitator)
    response = client.post(
        reverse("assessments:return", args=[submitted.pk]),
        {"note": "Perbaiki", "flag": [foreign.pk]},
    )
    assert response.status_code == 422
    foreign.refresh_from_db()
    assert not foreign.flagged


def test_return_with_flags(client, facilitator, submitted):
    responses = list(
        submitted.responses.select_related("indicator").order_by("indicator__position")
    )
    first, second = responses[0], responses[5]
    client.force_login(facilitator)
    response = client.post(
        reverse("assessments:return", args=[submitted.pk]),
        {
            "note": "Perbarui bukti dukung",
            "flag": [first.pk, second.pk],
            f"flag_note_{first.pk}": "Unggah SK terbaru",
            f"flag_note_{responses[9].pk}": "Tidak dicentang, diabaikan",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:review_queue")
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.RETURNED
    assert submitted.return_note == "Perbarui bukti dukung"
    flagged = dict(submitted.responses.filter(flagged=True).values_list("pk", "flag_note"))
    assert flagged == {first.pk: "Unggah SK terbaru", second.pk: ""}
    event = submitted.events.get(kind=EventKind.RETURNED)
    assert event.actor == facilitator
    assert event.note == "Perbarui bukti dukung"
    assert event.data["flagged"] == sorted([first.indicator.code, second.indicator.code])
    # The queue no longer lists it; the review page is read-only, with the return in its timeline.
    queue = client.get(reverse("assessments:review_queue"))
    assert queue.context["rows"] == []
    page = client.get(reverse("assessments:review", args=[submitted.pk])).content.decode()
    assert 'class="verify-form"' not in page
    assert "Perbarui bukti dukung" in page


def test_return_of_a_returned_assessment_is_refused(client, facilitator, submitted):
    target = first_response(submitted)
    services.assessment_return(
        assessment=submitted, user=facilitator, note="Pertama", flags=[services.Flag(target.pk)]
    )
    client.force_login(facilitator)
    response = client.post(
        reverse("assessments:return", args=[submitted.pk]),
        {"note": "Kedua", "flag": [target.pk]},
    )
    assert response.status_code == 409
    assert submitted.events.filter(kind=EventKind.RETURNED).count() == 1


# --- Approve --------------------------------------------------------------------------------------
def test_approve_locks_and_accepts_what_was_not_reviewed(client, facilitator, submitted):
    responses = list(submitted.responses.order_by("indicator__position"))
    services.response_verify(
        response=responses[0], user=facilitator, verified_level=1, reason="Bukti kurang"
    )
    client.force_login(facilitator)
    response = client.post(
        reverse("assessments:approve", args=[submitted.pk]), {"note": "Terima kasih"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:review_queue")
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.APPROVED
    assert submitted.approved_by == facilitator
    assert abs((timezone.now() - submitted.approved_at).total_seconds()) < 60
    assert not submitted.responses.filter(review_state=ReviewState.PENDING).exists()
    assert submitted.responses.filter(review_state=ReviewState.ACCEPTED).count() == 54
    adjusted = IndicatorResponse.objects.get(pk=responses[0].pk)
    assert (adjusted.review_state, adjusted.verified_level) == (ReviewState.ADJUSTED, 1)
    event = submitted.events.get(kind=EventKind.APPROVED)
    assert event.data["accepted_unreviewed"] == 54
    assert event.note == "Terima kasih"

    # Once approved, nothing more can be verified.
    later = IndicatorResponse.objects.get(pk=responses[1].pk)
    refused = client.post(
        verify_url(later),
        {"action": "set", "level": "1", "reason": "Terlambat", "version": later.version},
        **HTMX,
    )
    assert refused.status_code == 409
    assert IndicatorResponse.objects.get(pk=later.pk).verified_level == 2
    page = client.get(reverse("assessments:review", args=[submitted.pk])).content.decode()
    assert 'class="verify-form"' not in page


def test_approving_an_approved_assessment_is_refused(client, facilitator, submitted):
    services.assessment_approve(assessment=submitted, user=facilitator)
    submitted.refresh_from_db()
    approved_at = submitted.approved_at
    client.force_login(facilitator)
    response = client.post(reverse("assessments:approve", args=[submitted.pk]))
    assert response.status_code == 409
    expected = in_indonesian(
        "This assessment is %(status)s; only a submitted assessment can be reviewed.",
        status=in_indonesian("Approved").lower(),
    )
    assert message_texts(response) == [expected]
    submitted.refresh_from_db()
    assert submitted.approved_at == approved_at
    assert submitted.events.filter(kind=EventKind.APPROVED).count() == 1


def test_approving_a_returned_assessment_is_refused(client, facilitator, submitted):
    target = first_response(submitted)
    services.assessment_return(
        assessment=submitted, user=facilitator, note="Perbaiki", flags=[services.Flag(target.pk)]
    )
    client.force_login(facilitator)
    response = client.post(reverse("assessments:approve", args=[submitted.pk]))
    assert response.status_code == 409
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.RETURNED
    assert submitted.approved_by is None


def test_approve_with_a_note_too_long_is_refused(client, facilitator, submitted):
    client.force_login(facilitator)
    response = client.post(
        reverse("assessments:approve", args=[submitted.pk]), {"note": "x" * 5001}
    )
    assert response.status_code == 422
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.SUBMITTED


def test_review_page_only_answers_get(client, facilitator, submitted):
    client.force_login(facilitator)
    assert client.post(reverse("assessments:review", args=[submitted.pk])).status_code == 405
    assert client.get(verify_url(first_response(submitted))).status_code == 405
    assert client.get(reverse("assessments:approve", args=[submitted.pk])).status_code == 405


# --- Deadline wording -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("closes_in", "state", "english"),
    [
        (-1, "passed", "deadline passed 1 day ago"),
        (-4, "passed", "deadline passed 4 days ago"),
        (0, "today", "deadline today"),
        (1, "open", "1 day left"),
        (12, "open", "12 days left"),
    ],
)
def test_deadline_status(closes_in, state, english):
    today = datetime.date(2026, 6, 20)
    deadline = deadline_of(today + datetime.timedelta(days=closes_in), today)
    assert deadline.state == state
    with translation.override("en"):
        assert deadline.text == english
