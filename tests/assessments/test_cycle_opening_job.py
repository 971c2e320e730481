"""Opening a cycle as a tracked job: the job's life, its polling status partial, retry, scope."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services, tasks
from assessments.models import CycleOpeningJob
from smartcity import jobs
from smartcity.jobs import JobFailed, JobStatus
from smartcity.models import OutboxMessage, Region


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def queued(administrator, framework, region, other_region):
    """A cycle whose opening job is queued (its commit callbacks never ran)."""
    return services.cycle_open(
        user=administrator,
        year=2027,
        title="Penilaian Mandiri 2027",
        framework=framework,
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 6, 30),
        regions=Region.objects.filter(pk__in=[region.pk, other_region.pk]),
    )


def test_opening_queues_the_job_through_the_outbox(queued, region, other_region):
    assert queued.status == JobStatus.QUEUED
    assert queued.region_ids == sorted([region.pk, other_region.pk])
    assert not queued.cycle.assessments.exists()
    [message] = OutboxMessage.objects.all()
    assert (message.task, message.args, message.sent_at) == (
        "assessments.open_cycle",
        [queued.pk],
        None,
    )


def test_the_task_opens_the_cycle_once_however_often_it_is_delivered(queued):
    assert tasks.open_cycle(queued.pk) == JobStatus.DONE
    assert tasks.open_cycle(queued.pk) == JobStatus.DONE  # delivered again: nothing more
    queued.refresh_from_db()
    assert (queued.assessments, queued.prefilled, queued.attempts, queued.progress) == (
        2,
        0,
        1,
        100,
    )
    assert queued.cycle.assessments.count() == 2
    assert queued.started_at <= queued.finished_at


def test_a_refusal_fails_the_job_with_its_message_and_writes_nothing(queued):
    def refuse(opening):
        services.cycle_opening_run(opening)
        raise JobFailed("%(count)d regions could not be opened.", count=2)

    assert jobs.run_job(model=CycleOpeningJob, pk=queued.pk, work=refuse) == JobStatus.FAILED
    queued.refresh_from_db()
    assert queued.error_message == "2 regions could not be opened."
    assert not queued.cycle.assessments.exists()  # rolled back with the job's transaction


def test_an_unexpected_error_shows_a_general_message_never_the_exception(queued):
    def crash(opening):
        raise KeyError("secret internals")

    assert jobs.run_job(model=CycleOpeningJob, pk=queued.pk, work=crash) == JobStatus.FAILED
    queued.refresh_from_db()
    assert "secret" not in queued.error_message
    assert queued.error_message.startswith("Proses berhenti karena kesalahan di server.")


# --- The status partial and retry ----------------------------------------------------------------
def test_the_cycle_page_polls_the_status_while_the_job_is_queued(queued, administrator):
    page = signed_in(administrator).get(reverse("assessments:cycle_detail", args=[queued.cycle_id]))
    html = page.content.decode()
    status_url = reverse("assessments:cycle_opening_status", args=[queued.pk])
    assert f'hx-get="{status_url}" hx-trigger="every 2s"' in html
    assert '<progress class="job-progress w-100" max="100" value="0"' in html
    assert "Dalam antrean" in html


def test_a_finished_job_stops_polling_and_says_what_it_opened(queued, administrator):
    tasks.open_cycle(queued.pk)
    partial = signed_in(administrator).get(
        reverse("assessments:cycle_opening_status", args=[queued.pk])
    )
    html = partial.content.decode()
    assert "hx-trigger" not in html
    assert 'value="100"' in html
    assert "2 penilaian dibuka, 0 di antaranya terisi dari penilaian sebelumnya." in html


def test_a_failed_job_shows_its_error_and_a_retry_that_runs_it_again(
    queued, administrator, django_capture_on_commit_callbacks
):
    jobs.job_fail(job=queued, error=jobs.TIME_LIMIT_ERROR)
    client = signed_in(administrator)
    html = client.get(
        reverse("assessments:cycle_opening_status", args=[queued.pk])
    ).content.decode()
    retry_url = reverse("assessments:cycle_opening_retry", args=[queued.pk])
    assert "Proses berjalan terlalu lama dan dihentikan." in html
    assert f'hx-post="{retry_url}"' in html and "hx-trigger" not in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url)
    assert response.status_code == 302
    queued.refresh_from_db()
    assert (queued.status, queued.error, queued.assessments) == (JobStatus.DONE, "", 2)


def test_retry_is_a_post_and_does_nothing_to_a_job_that_has_not_failed(queued, administrator):
    client = signed_in(administrator)
    retry_url = reverse("assessments:cycle_opening_retry", args=[queued.pk])
    assert client.get(retry_url).status_code == 405
    assert client.post(retry_url).status_code == 302
    assert OutboxMessage.objects.count() == 1  # only the opening's own message


@pytest.mark.parametrize("persona", ["official", "other_official", "facilitator", "outsider"])
def test_only_administrators_follow_or_retry_a_cycle_opening(queued, persona, request):
    jobs.job_fail(job=queued, error=jobs.SERVER_ERROR)
    client = signed_in(request.getfixturevalue(persona))
    assert (
        client.get(reverse("assessments:cycle_opening_status", args=[queued.pk])).status_code == 404
    )
    assert (
        client.post(reverse("assessments:cycle_opening_retry", args=[queued.pk])).status_code == 404
    )
    queued.refresh_from_db()
    assert queued.status == JobStatus.FAILED


def test_the_status_of_an_unknown_job_is_404(administrator):
    client = signed_in(administrator)
    assert client.get(reverse("assessments:cycle_opening_status", args=[999])).status_code == 404
