"""The master plan on a final gap report's page (`settings.REPORT_PANELS`): its officials draft
the plan from the report, then the page links to the plan; nobody else is offered the form."""

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import AssessmentStatus
from masterplan.models import MasterPlan, MasterPlanDraftJob
from smartcity import jobs
from smartcity.jobs import JobStatus
from tests.assessments.conftest import answer_everything
from tests.helpers import signed_in


def report_of(assessment):
    report = assessment_services.gap_report_queue(assessment=assessment, user=None)
    jobs.run_inline(job=report, work=assessment_services.gap_report_build)
    return report


def test_the_official_drafts_the_plan_from_the_final_report_then_the_report_links_to_it(
    official, approved, django_capture_on_commit_callbacks
):
    report = report_of(approved)
    client = signed_in(official)
    url = reverse("assessments:gap_report", args=[report.pk])
    page = client.get(url).content.decode()
    assert 'id="draft-form"' in page and f'value="{approved.pk}" selected' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("masterplan:draft_start"), {"assessment": approved.pk})
    assert MasterPlanDraftJob.objects.get().status == JobStatus.DONE
    plan = MasterPlan.objects.get(assessment=approved)
    page = client.get(url).content.decode()
    assert 'id="draft-form"' not in page
    assert reverse("masterplan:plan_detail", args=[plan.pk]) in page
    assert "Buka masterplan" in page


@pytest.mark.parametrize("persona", ["facilitator", "administrator"])
def test_readers_of_the_report_are_not_offered_the_draft(request, persona, approved):
    report = report_of(approved)
    page = signed_in(request.getfixturevalue(persona)).get(
        reverse("assessments:gap_report", args=[report.pk])
    )
    assert page.status_code == 200 and 'id="draft-form"' not in page.content.decode()


def test_a_preliminary_report_offers_no_plan(official, assessment):
    answer_everything(assessment, official, level=1)
    assessment_services.assessment_submit(assessment=assessment, user=official)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    report = report_of(assessment)
    assert report.preliminary
    page = signed_in(official).get(reverse("assessments:gap_report", args=[report.pk]))
    assert 'id="draft-form"' not in page.content.decode()
