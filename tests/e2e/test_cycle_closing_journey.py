"""In a real browser: an administrator closes a cycle, the official can no longer change or
submit, the facilitator gives the region a new date, and the official submits."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments.models import Assessment, AssessmentStatus
from smartcity.models import Region
from tests.assessments.conftest import answer_everything, open_cycle
from tests.e2e.test_assessment_loop import REGION, sign_in, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_closing_a_cycle_and_a_regions_new_deadline(
    page: Page, live_server, official, facilitator, administrator, region
):
    cycle = open_cycle(administrator, Region.objects.filter(pk=region.pk))
    assessment = Assessment.objects.get(region=region)
    answer_everything(assessment, official)

    sign_in(page, live_server, administrator.username)
    page.goto(f"{live_server.url}/assessments/cycles/{cycle.pk}/")
    page.get_by_text("Tutup siklus", exact=True).click()
    page.get_by_label("Setelah siklus ditutup", exact=False).check()
    page.get_by_role("button", name="Tutup siklus sekarang").click()
    expect(page.locator(".cycle-closed")).to_contain_text("Ditutup pada")
    sign_out(page, administrator.username)

    sign_in(page, live_server, official.username)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    expect(page.get_by_text("Siklus ditutup pada", exact=False)).to_be_visible()
    expect(page.get_by_text("Ajukan penilaian", exact=True)).to_have_count(0)
    sign_out(page, official.username)

    sign_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    until = timezone.localdate() + datetime.timedelta(days=5)
    page.get_by_label("Tenggat baru").fill(until.isoformat())
    page.get_by_role("button", name="Tetapkan tenggat baru").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text(
        f"{REGION} dapat mengubah dan mengajukan jawabannya sampai"
    )
    sign_out(page, facilitator.username)

    sign_in(page, live_server, official.username)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    page.get_by_text("Ajukan penilaian", exact=True).click()
    page.get_by_role("button", name="Ya, ajukan sekarang").click()
    expect(page.locator("header .badge[class*=status-]")).to_have_text("Diajukan")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
