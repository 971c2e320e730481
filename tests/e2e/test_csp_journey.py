"""In a real browser, under the strict CSP: the main pages load and work without one violation.

The autouse `csp_violations` fixture (tests/e2e/conftest.py) fails any journey that causes one;
here each page is checked as it is visited, so a failure names the page.
"""

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from assessments.models import Assessment, AssessmentStatus
from smartcity.models import Region
from tests.assessments.conftest import answer_everything, open_cycle
from tests.e2e.test_assessment_loop import submit_assessment
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def visit(page: Page, url: str, violations: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    assert not violations, f"{url}:\n" + "\n".join(violations)


def test_the_violation_report_works_under_our_policy(page: Page, live_server, csp_violations):
    """A check that can fail: an inline style added to a real page is reported."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_function("document.querySelector('p[style]') !== null")
    page.wait_for_timeout(200)
    assert any("style-src" in found for found in csp_violations), csp_violations
    csp_violations.clear()


def test_main_pages_load_without_csp_violations(
    page: Page, live_server, official, facilitator, administrator, region, other_region,
    csp_violations, tmp_path,
):  # fmt: skip
    open_cycle(administrator, Region.objects.filter(pk__in=[region.pk, other_region.pk]))
    assessment = Assessment.objects.get(region=region)
    answer_everything(assessment, official, except_element="GOV.G1")
    response = assessment.responses.get(indicator__code="GOV.G1.1")
    base = live_server.url

    sign_in(page, live_server, "pejabat")
    for url in ("/", "/framework/", "/assessments/", f"/assessments/{assessment.pk}/"):
        visit(page, base + url, csp_violations)

    # The element page autosaves (htmx without eval, triggers from autosave.js).
    visit(page, f"{base}/assessments/{assessment.pk}/elements/GOV.G1/", csp_violations)
    card = page.locator('[id="indicator-GOV.G1.1"]')
    card.locator("label.level-card").filter(has_text="2 – Terkelola").click()
    expect(card.locator(f"#save-state-{response.pk}")).to_contain_text("Tersimpan pukul")
    card.get_by_label("Narasi").fill("Perwako tentang layanan daring sudah terbit.")
    page.wait_for_function(  # kept locally until saved, 800 ms after the last key
        "id => !localStorage.getItem('autosave:response:' + id)", arg=response.pk
    )
    response.refresh_from_db()
    assert response.self_level == 2
    assert response.narrative == "Perwako tentang layanan daring sudah terbit."

    # The Excel round trip: download the workbook, fill one narrative, upload it.
    visit(page, f"{base}/assessments/{assessment.pk}/excel/upload/", csp_violations)
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh").first.click()
    workbook_path = tmp_path / "penilaian.xlsx"
    download.value.save_as(workbook_path)
    workbook = openpyxl.load_workbook(workbook_path)
    assert workbook.sheetnames
    page.locator("input[type=file][name=workbook]").set_input_files(str(workbook_path))
    page.get_by_role("button", name="Periksa").click()
    page.wait_for_load_state("load")
    assert not csp_violations, csp_violations

    answer_everything(assessment, official)
    visit(page, f"{base}/assessments/{assessment.pk}/", csp_violations)
    submit_assessment(page)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    # The facilitator's review page: verify one indicator with a keyboard shortcut (review.js).
    sign_in(page, live_server, "fasilitator")
    visit(page, f"{base}/assessments/review/", csp_violations)
    visit(page, f"{base}/assessments/{assessment.pk}/review/", csp_violations)
    first = page.locator(".review-item").first
    first.focus()
    page.keyboard.press("a")
    expect(page.locator("#review-summary")).to_contain_text("Terverifikasi 1 dari")
    assert not csp_violations, csp_violations

    # Cycles (administrator).
    sign_in(page, live_server, "admin-nasional")
    for url in ("/assessments/cycles/", f"/assessments/cycles/{assessment.cycle_id}/",
                "/assessments/cycles/new/"):  # fmt: skip
        visit(page, base + url, csp_violations)


def test_a_plotly_figure_draws_under_the_strict_csp(page: Page, live_server, settings,
                                                   csp_violations):  # fmt: skip
    """The chart helper's page: Plotly's strict bundle draws, its styles apply, none refused."""
    settings.ROOT_URLCONF = "tests.e2e.chart_urls"
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    visit(page, f"{live_server.url}/test-chart/", csp_violations)
    chart = page.locator("#sample-chart")
    expect(chart.locator(".main-svg").first).to_be_visible()
    expect(chart.locator(".bars .point")).to_have_count(6)
    expect(chart.locator(".scatterlayer .point")).to_have_count(6)
    # Plotly's own stylesheet (its empty <style>, filled through the CSSOM) is in force.
    position = chart.locator(".modebar").evaluate("e => getComputedStyle(e).position")
    assert position == "absolute"
    bar = chart.locator(".bars .point path").first.bounding_box()
    page.mouse.move(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    expect(chart.locator(".hoverlayer .hovertext").first).to_be_visible()
    assert not errors, errors
    assert not csp_violations, csp_violations
