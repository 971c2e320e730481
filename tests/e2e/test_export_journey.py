"""In a real browser, in Indonesian: the official exports the PDF book from the plan page, the
job page follows the export until it is done, and the file downloads as a real PDF."""

import subprocess

import pytest
from playwright.sync_api import Page, expect

from masterplan import services
from tests.e2e.test_assessment_loop import sign_in
from tests.masterplan.conftest import approved, assessment, cycle, framework, library

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
__all__ = ["approved", "assessment", "cycle", "framework", "library"]  # fixtures used here


def test_the_official_exports_the_pdf_book_and_downloads_it(
    page: Page, live_server, approved, official, tmp_path
):
    plan = services.masterplan_draft(assessment=approved, user=official, start_year=2027)
    sign_in(page, live_server, official.username)
    page.goto(f"{live_server.url}/masterplan/{plan.pk}/")
    panel = page.locator("#export-panel")
    expect(panel.get_by_role("heading", name="Ekspor masterplan")).to_be_visible()
    panel.get_by_label("Format").select_option("pdf")
    panel.get_by_label("Buku").select_option("all")
    panel.get_by_label("Bahasa").select_option("id")
    panel.get_by_role("button", name="Ekspor").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Ekspor masterplan")
    status = page.locator("[data-job-status]")
    expect(status).to_have_attribute("data-job-status", "done", timeout=120_000)
    page.reload()  # the finished job's page offers its file
    with page.expect_download() as download:
        page.locator("#export-download").click()
    assert download.value.suggested_filename.endswith("-id.pdf")
    path = tmp_path / "masterplan.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    assert plan.region.name in text.decode() and "Buku 2 Masterplan" in text.decode()
