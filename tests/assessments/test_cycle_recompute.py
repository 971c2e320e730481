"""Recomputing a cycle's scores from its page: the button, the job's page, one at a time, scope."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import CycleScoresJob, GapReport, ScoreSnapshot
from smartcity import jobs
from smartcity.jobs import JobStatus
from smartcity.models import OutboxMessage
from tests.assessments.reports_helpers import fill
from tests.services import postgresql_problem, require_service

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_url(cycle) -> str:
    return reverse("assessments:cycle_detail", args=[cycle.pk])


def recompute_url(cycle) -> str:
    return reverse("assessments:cycle_recompute", args=[cycle.pk])


def job_url(job) -> str:
    return reverse("assessments:cycle_scores", args=[job.pk])


@pytest.fixture
def approved(assessment, other_assessment):
    """Both regions of the cycle approved (no report built yet)."""
    fill(assessment, level=3)
    fill(other_assessment, level=1)
    return assessment, other_assessment


@pytest.fixture
def queued(approved, administrator) -> CycleScoresJob:
    """A recomputation asked for by the administrator; its commit callbacks never ran."""
    return services.cycle_scores_request(cycle=approved[0].cycle, user=administrator)


# --- The cycle page ------------------------------------------------------------------------------
def test_administrators_see_the_button_with_what_it_does(approved, administrator):
    html = signed_in(administrator).get(detail_url(approved[0].cycle)).content.decode()
    assert f'<form method="post" action="{recompute_url(approved[0].cycle)}"' in html
    assert "Hitung ulang skor</button>" in html
    assert "memperbarui semua angka perbandingan antardaerah" in html
    assert "2 penilaian disetujui" in html
    assert "cycle-recompute-latest" not in html  # never recomputed


def test_facilitators_do_not_see_it(approved, facilitator):
    html = signed_in(facilitator).get(detail_url(approved[0].cycle)).content.decode()
    assert "cycle-recompute" not in html
    assert recompute_url(approved[0].cycle) not in html


def test_without_an_approved_assessment_there_is_nothing_to_recompute(cycle, administrator):
    html = signed_in(administrator).get(detail_url(cycle)).content.decode()
    assert "Belum ada penilaian yang disetujui dalam siklus ini" in html
    assert recompute_url(cycle) not in html


def test_a_queued_recomputation_replaces_the_button_by_a_link_to_it(queued, administrator):
    html = signed_in(administrator).get(detail_url(queued.cycle)).content.decode()
    assert recompute_url(queued.cycle) not in html
    assert f'href="{job_url(queued)}">Penghitungan ulang sedang berjalan' in html
    assert "Dalam antrean</span>" in html
    assert f"oleh {administrator.username}." in html


def test_the_latest_finished_recomputation_is_shown_with_its_summary(
    queued, administrator, django_capture_on_commit_callbacks
):
    jobs.run_inline(job=queued, work=services.cycle_scores_run)
    html = signed_in(administrator).get(detail_url(queued.cycle)).content.decode()
    assert "Selesai</span>" in html
    assert "2 laporan dihitung ulang dan" in html
    assert f'href="{job_url(queued)}">Lihat penghitungan ulang ini' in html
    assert recompute_url(queued.cycle) in html  # done: another may start


@pytest.mark.parametrize(("who", "queries"), [("administrator", 7), ("facilitator", 5)])
def test_the_cycle_page_reads_the_latest_recomputation_in_one_query(
    request, queued, who, queries, django_assert_num_queries
):
    client = signed_in(request.getfixturevalue(who))
    client.get(detail_url(queued.cycle))
    # session, user, memberships, cycle, rows, [opening, latest recomputation: administrators]
    with django_assert_num_queries(queries):
        client.get(detail_url(queued.cycle))


# --- Asking for it -------------------------------------------------------------------------------
def test_the_button_queues_the_job_and_its_page_shows_what_it_wrote(
    approved, administrator, django_capture_on_commit_callbacks
):
    client = signed_in(administrator)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs in-process (eager)
        response = client.post(recompute_url(approved[0].cycle))
    job = CycleScoresJob.objects.get()
    assert response["Location"] == job_url(job)
    assert OutboxMessage.objects.get().task == "assessments.recompute_cycle"
    assert (job.status, job.requested_by, job.reports) == (JobStatus.DONE, administrator, 2)
    assert job.snapshots == ScoreSnapshot.objects.count() > 0
    assert GapReport.objects.filter(requested_by=administrator, preliminary=False).count() == 2

    html = client.get(job_url(job)).content.decode()
    assert "Menghitung ulang skor Penilaian Mandiri 2026" in html
    assert f"2 laporan dihitung ulang dan {job.snapshots} baris skor ditulis" in html
    assert 'data-job-status="done"' in html and "hx-trigger" not in html
    assert f'href="{detail_url(job.cycle)}">Lihat hasilnya' in html


def test_a_second_request_while_one_is_queued_is_refused_with_a_message(queued, administrator):
    response = signed_in(administrator).post(recompute_url(queued.cycle), follow=True)
    assert response.redirect_chain == [(detail_url(queued.cycle), 302)]
    assert "Skor siklus ini sedang dihitung ulang (diminta oleh admin-nasional)" in (
        response.content.decode()
    )
    assert CycleScoresJob.objects.get() == queued


def test_the_service_allows_one_recomputation_at_a_time_per_cycle(queued, administrator, english):
    with pytest.raises(services.WrongState, match="already being recomputed"):
        services.cycle_scores_request(cycle=queued.cycle, user=administrator)
    jobs.job_claim(model=CycleScoresJob, pk=queued.pk)  # running: still refused
    with pytest.raises(services.WrongState, match="asked for by admin-nasional"):
        services.cycle_scores_request(cycle=queued.cycle, user=administrator)
    jobs.job_fail(job=queued, error=jobs.SERVER_ERROR)  # failed: a new one may start
    again = services.cycle_scores_request(cycle=queued.cycle, user=administrator)
    assert again.status == JobStatus.QUEUED and again.pk != queued.pk


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_take_turns_and_the_second_is_refused(
    approved, administrator, monkeypatch
):
    require_service("PostgreSQL", postgresql_problem())  # SQLite has no row locks to take turns
    monkeypatch.setattr(jobs, "outbox_publish", lambda *, message: False)  # the job stays queued
    cycle = approved[0].cycle
    second: list[str] = []

    def ask_again() -> None:
        try:
            services.cycle_scores_request(cycle=cycle, user=administrator)
            second.append("queued")
        except services.WrongState:
            second.append("refused")
        finally:
            connection.close()

    with transaction.atomic():
        first = services.cycle_scores_request(cycle=cycle, user=administrator)
        other = threading.Thread(target=ask_again)
        other.start()
        other.join(timeout=1)
        assert other.is_alive()  # waiting for the first request's lock on the cycle
    other.join(timeout=10)
    assert second == ["refused"]
    assert list(CycleScoresJob.objects.values_list("pk", flat=True)) == [first.pk]


def test_the_job_page_polls_while_the_job_is_queued(queued, administrator):
    html = signed_in(administrator).get(job_url(queued)).content.decode()
    status_url = reverse("assessments:cycle_scores_status", args=[queued.pk])
    assert f'hx-get="{status_url}" hx-trigger="every 2s"' in html
    assert "Dalam antrean" in html
    assert "Diminta pada" in html and f"oleh {queued.requested_by.username}." in html
    assert f'href="{detail_url(queued.cycle)}">Kembali ke siklus' in html


def test_a_failed_job_shows_its_message_and_a_retry_that_runs_it_again(
    queued, administrator, django_capture_on_commit_callbacks
):
    jobs.job_fail(job=queued, error=jobs.TIME_LIMIT_ERROR)
    client = signed_in(administrator)
    html = client.get(job_url(queued)).content.decode()
    retry_url = reverse("assessments:cycle_scores_retry", args=[queued.pk])
    assert "Proses berjalan terlalu lama dan dihentikan." in html
    assert f'hx-post="{retry_url}"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url)
    assert response["Location"] == job_url(queued)  # queued again when the view answered
    queued.refresh_from_db()
    assert (queued.status, queued.error, queued.reports) == (JobStatus.DONE, "", 2)


def test_the_job_page_reads_in_a_fixed_number_of_queries(
    queued, administrator, django_assert_num_queries
):
    client = signed_in(administrator)
    client.get(job_url(queued))
    with django_assert_num_queries(4):  # session, user, memberships, the job with its cycle
        client.get(job_url(queued))


# --- Who may ------------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["official", "other_official", "facilitator", "outsider"])
def test_only_administrators_recompute_and_follow_it(request, queued, persona):
    client = signed_in(request.getfixturevalue(persona))
    assert client.post(recompute_url(queued.cycle)).status_code == 404
    assert client.get(job_url(queued)).status_code == 404
    status_url = reverse("assessments:cycle_scores_status", args=[queued.pk])
    assert client.get(status_url).status_code == 404
    retry_url = reverse("assessments:cycle_scores_retry", args=[queued.pk])
    assert client.post(retry_url).status_code == 404
    assert CycleScoresJob.objects.get() == queued


def test_the_recompute_address_is_an_action(approved, administrator, facilitator):
    """A GET names the action and links onward (405); for a facilitator the address does not
    exist, as for closing the cycle."""
    reply = signed_in(administrator).get(recompute_url(approved[0].cycle))
    assert reply.status_code == 405 and "POST" in reply["Allow"]
    assert b"Alamat ini menjalankan sebuah tindakan" in reply.content
    assert signed_in(facilitator).get(recompute_url(approved[0].cycle)).status_code == 404
    assert not CycleScoresJob.objects.exists()
