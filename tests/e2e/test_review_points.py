"""In a real browser, in Indonesian: what the second review walk-through asked of the element and
overview pages (issue 9): one element order, targets that follow the level, uploads checked in
the browser first."""

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Assessment
from smartcity.models import Region
from tests.assessments.conftest import open_cycle
from tests.e2e.test_assessment_loop import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(official, administrator, region) -> Assessment:
    open_cycle(administrator, Region.objects.filter(pk=region.pk))
    return Assessment.objects.get(region=region)


def test_overview_and_element_pages_go_readiness_first(page: Page, live_server, official, draft):
    sign_in(page, live_server, official.username)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/")
    headings = page.locator("main h2.h4").all_inner_texts()
    assert headings[:2] == ["Kesiapan", "Dimensi"]
    links = page.locator("ul.element-progress a").all_inner_texts()
    assert links[0].startswith("STR.") and links[-1].startswith("ENV.")
    page.locator("ul.element-progress a").filter(has_text="GOV.G1").click()
    expect(page.get_by_text("elemen 10 dari 27")).to_be_visible()
    previous = page.locator("nav.element-nav").first.locator("a[rel=prev]")
    expect(previous).to_contain_text("SUP.P3")
    previous.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SUP.P3")
