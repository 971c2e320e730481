"""Drafting a plan as a tracked job from the plan list: queued through the outbox, run by the
Celery task (eager here; a real worker in tests/test_celery_worker.py style), followed on the
job's page, and refused where the person may not draft."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from masterplan import services, tasks
from masterplan.models import MasterPlan, MasterPlanDraftJob, PlanStatus
from smartcity.jobs import JobStatus
from tests.services import postgresql_problem, require_service


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_official_drafts_a_plan_from_the_plan_list(
    django_capture_on_commit_callbacks, official, approved
):
    client = client_of(official)
    page = client.get(reverse("masterplan:plan_list")).content.decode()
    assert 'id="draft-form"' in page and str(approved) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("masterplan:draft_start"),
            {"assessment": approved.pk, "start_year": 2027, "ceiling": ""},
        )
    job = MasterPlanDraftJob.objects.get()
    assert response["Location"] == reverse("masterplan:draft_job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.requested_by == official
    plan = MasterPlan.objects.get()
    assert job.plan == plan and plan.start_year == 2027 and plan.items.exists()
    status = client.get(reverse("masterplan:draft_job_status", args=[job.pk])).content.decode()
    assert reverse("masterplan:plan_detail", args=[plan.pk]) in status
    # the region now has a plan in progress: nothing left to draft from
    assert 'id="draft-form"' not in client.get(reverse("masterplan:plan_list")).content.decode()


def test_a_second_draft_while_a_plan_is_in_progress_fails_with_the_reason(official, approved):
    first = services.masterplan_draft_job_start(assessment=approved, user=official)
    tasks.draft_masterplan(first.pk)  # a repeated delivery does nothing
    assert MasterPlan.objects.count() == 1
    job = MasterPlanDraftJob.objects.create(assessment=approved, requested_by=official)
    assert tasks.draft_masterplan(job.pk) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.error == "The region already has a plan in progress; regenerate it instead."
    page = client_of(official).get(reverse("masterplan:draft_job", args=[job.pk]))
    assert "sedang disusun" in page.content.decode()  # shown in the reader's language


@pytest.mark.parametrize("persona", ["facilitator", "other_official", "outsider"])
def test_only_the_regions_officials_draft(request, persona, approved):
    client = client_of(request.getfixturevalue(persona))
    response = client.post(reverse("masterplan:draft_start"), {"assessment": approved.pk})
    assert response.status_code == 302 and not MasterPlanDraftJob.objects.exists()
    assert 'id="draft-form"' not in client.get(reverse("masterplan:plan_list")).content.decode()


def test_the_job_page_is_404_outside_scope(official, other_official, approved):
    job = services.masterplan_draft_job_start(assessment=approved, user=official)
    for name in ("masterplan:draft_job", "masterplan:draft_job_status"):
        assert client_of(other_official).get(reverse(name, args=[job.pk])).status_code == 404


def test_a_wrong_ceiling_is_refused_on_the_form(official, approved):
    client = client_of(official)
    response = client.post(
        reverse("masterplan:draft_start"), {"assessment": approved.pk, "ceiling": "-5"}, follow=True
    )
    assert not MasterPlanDraftJob.objects.exists()
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not MasterPlan.objects.filter(status=PlanStatus.DRAFT).exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_draft_runs_in_a_real_worker(celery_worker, official, approved):
    # The worker is another process: it reads the job from the shared PostgreSQL test database.
    require_service("PostgreSQL", postgresql_problem())
    job = services.masterplan_draft_job_start(assessment=approved, user=official)
    deadline = time.monotonic() + 60
    while job.is_active and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.plan.items.exists() and job.plan.created_by == official


def test_the_plan_list_needs_a_fixed_number_of_queries(
    django_assert_num_queries, official, approved
):
    client = client_of(official)
    client.get(reverse("masterplan:plan_list"))  # warms the session's scope cache
    services.masterplan_draft(assessment=approved, user=official, start_year=2027)
    with django_assert_num_queries(5):
        assert client.get(reverse("masterplan:plan_list")).status_code == 200
