"""Closing a cycle: editing and submitting stop, but for a region its facilitator gave a new
deadline; late submissions are marked late in the queue and on the cycle page."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, AssessmentStatus
from assessments.rules import Answer
from tests.assessments.conftest import answer_everything
from tests.helpers import response_of

LEVEL_2 = Answer(2, False, "", "Ada SOP", None)


def save(response, user):
    return services.response_save(
        response=response, user=user, expected_version=response.version, answer=LEVEL_2
    )


def test_a_closed_cycle_stops_edits_and_submits_until_a_facilitator_extends(
    assessment, official, facilitator, administrator
):
    answer_everything(assessment, official)
    services.cycle_close(cycle=assessment.cycle, user=administrator)
    assessment = Assessment.objects.select_related("cycle", "region").get(pk=assessment.pk)
    with pytest.raises(services.WrongState, match="Siklus ditutup"):
        save(response_of(assessment, "GOV.G1.1"), official)
    with pytest.raises(services.WrongState, match="Siklus ditutup"):
        services.assessment_submit(assessment=assessment, user=official)

    until = timezone.localdate() + datetime.timedelta(days=7)
    services.assessment_extend_deadline(assessment=assessment, user=facilitator, until=until)
    assessment = Assessment.objects.select_related("cycle", "region").get(pk=assessment.pk)
    assert (assessment.extended_until, assessment.extended_by) == (until, facilitator)
    save(response_of(assessment, "GOV.G1.1"), official)
    services.assessment_submit(assessment=assessment, user=official)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_an_extension_that_ran_out_stops_the_region_again(assessment, official, administrator):
    services.cycle_close(cycle=assessment.cycle, user=administrator)
    Assessment.objects.filter(pk=assessment.pk).update(
        extended_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assessment = Assessment.objects.select_related("cycle", "region").get(pk=assessment.pk)
    with pytest.raises(services.WrongState):
        save(response_of(assessment, "GOV.G1.1"), official)


def test_who_may_close_and_extend_and_which_dates(
    assessment, official, facilitator, other_official, administrator
):
    with pytest.raises(services.WrongState):
        services.cycle_close(cycle=assessment.cycle, user=facilitator)
    services.cycle_close(cycle=assessment.cycle, user=administrator)
    with pytest.raises(services.WrongState, match="sudah ditutup"):
        services.cycle_close(cycle=assessment.cycle, user=administrator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for person in (official, other_official):
        with pytest.raises(services.WrongState):
            services.assessment_extend_deadline(assessment=assessment, user=person, until=tomorrow)
    with pytest.raises(services.InvalidInput):
        services.assessment_extend_deadline(
            assessment=assessment,
            user=facilitator,
            until=timezone.localdate() - datetime.timedelta(days=1),
        )
    assessment.refresh_from_db()
    assert assessment.extended_until is None


def test_pages_close_and_extend_with_their_messages(assessment, facilitator, administrator):
    admin = Client()
    admin.force_login(administrator)
    close = reverse("assessments:cycle_close", args=[assessment.cycle_id])
    refused = admin.post(close, follow=True)
    assert "Centang kotak konfirmasi" in refused.content.decode()
    assert admin.post(close, {"confirm": "yes"}).status_code == 302
    detail = admin.get(reverse("assessments:cycle_detail", args=[assessment.cycle_id]))
    assert "Ditutup pada" in detail.content.decode()

    reviewer = Client()
    reviewer.force_login(facilitator)
    extend = reverse("assessments:extend_deadline", args=[assessment.pk])
    empty = reviewer.post(extend, follow=True).content.decode()
    assert "Pilih tenggat baru." in empty
    until = timezone.localdate() + datetime.timedelta(days=3)
    assert reviewer.post(extend, {"until": until.isoformat()}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.extended_until == until


def test_late_submissions_are_marked_late_in_the_queue_and_on_the_cycle_page(
    assessment, other_assessment, official, other_official, administrator
):
    for case, person in ((assessment, official), (other_assessment, other_official)):
        answer_everything(case, person)
        services.assessment_submit(assessment=case, user=person)
    closes = assessment.cycle.closes_on
    Assessment.objects.filter(pk=assessment.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime.combine(closes, datetime.time(23, 59)))
        + datetime.timedelta(days=2)
    )
    Assessment.objects.filter(pk=other_assessment.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime.combine(closes, datetime.time(23, 0)))
    )
    client = Client()
    client.force_login(administrator)  # sees both regions: one late, one in time
    for url in (
        reverse("assessments:review_queue"),
        reverse("assessments:cycle_detail", args=[assessment.cycle_id]),
    ):
        html = client.get(url).content.decode()
        assert html.count('class="badge text-bg-warning submitted-late"') == 1, url
