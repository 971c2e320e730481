"""In a real browser: an action's address opened as a page explains itself and links onward, and
the sign-out address asks to confirm."""

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Assessment
from smartcity.models import Region
from tests.assessments.conftest import open_cycle
from tests.e2e.test_assessment_loop import REGION, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_reloaded_submit_address_and_the_sign_out_address_are_pages(
    page: Page, live_server, official, administrator, region
):
    open_cycle(administrator, Region.objects.filter(pk=region.pk))
    assessment = Assessment.objects.get(region=region)
    sign_in(page, live_server, official.username)

    page.goto(f"{live_server.url}/assessments/{assessment.pk}/submit/")
    heading = page.get_by_role("heading", name="Alamat ini menjalankan sebuah tindakan")
    expect(heading).to_be_visible()
    expect(page.get_by_text("Tidak ada yang diubah.")).to_be_visible()
    page.get_by_role("link", name="Buka halaman tempat tindakan ini berada").click()
    expect(page).to_have_url(f"{live_server.url}/assessments/{assessment.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(REGION)

    page.goto(f"{live_server.url}/accounts/logout/")
    expect(page.get_by_role("heading", name="Keluar?")).to_be_visible()
    page.get_by_role("main").get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
