"""In a real browser: an official finds the framework, reads an indicator, then in English."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.helpers import PROJECT_ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEFAULT_FILE = PROJECT_ROOT / "fixtures" / "frameworks" / "kota-cerdas-v1.yaml"


def test_official_reads_an_indicator_in_indonesian_then_english(page: Page, live_server, official):
    call_command("load_framework", DEFAULT_FILE, publish=True)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Nama pengguna").fill("pejabat")
    page.get_by_label("Kata sandi").fill("sandi-uji-yang-panjang")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Selamat datang, pejabat")).to_be_visible()

    navigation = page.get_by_role("navigation", name="Navigasi utama")
    toggler = navigation.get_by_role("button", name="Buka/tutup navigasi")
    if toggler.is_visible():  # a narrow window collapses the menu
        toggler.click()
    navigation.get_by_role("link", name="Kerangka", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/framework/")
    expect(page.get_by_role("heading", name="Kerangka kematangan", exact=True)).to_be_visible()

    page.get_by_role("link", name="Kerangka Kematangan Kota Cerdas").click()
    expect(page).to_have_url(f"{live_server.url}/framework/kota-cerdas/1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kerangka Kematangan Kota Cerdas")

    page.get_by_role("navigation", name="Daftar isi").get_by_role(
        "link", name="GOV Smart Governance"
    ).click()
    indicator = page.locator('[id="GOV.G1.1"]')
    expect(indicator.get_by_role("heading")).to_have_text("GOV.G1.1 Layanan publik digital")
    descriptors = indicator.get_by_role("table", name="Deskriptor level GOV.G1.1")
    expect(descriptors.get_by_role("row")).to_have_count(6)  # header + levels 1..5
    expect(descriptors.get_by_role("rowheader").first).to_have_text("1 Rintisan")
    expect(descriptors.get_by_role("rowheader").last).to_have_text("5 Optimum")
    guidance = descriptors.locator("details").first
    expect(guidance.get_by_text("Tetapkan daftar layanan prioritas")).to_be_hidden()
    guidance.get_by_text("Cara mencapai level 2").click()
    expect(guidance.get_by_text("Tetapkan daftar layanan prioritas")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/framework/kota-cerdas/1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Smart City Maturity Framework")
    indicator = page.locator('[id="GOV.G1.1"]')
    expect(indicator.get_by_role("heading")).to_have_text("GOV.G1.1 Digital public services")
    descriptors = indicator.get_by_role("table", name="Level descriptors of GOV.G1.1")
    expect(descriptors.get_by_role("rowheader").first).to_have_text("1 Initial")
    expect(indicator).to_contain_text("evidence required from level 2")
    expect(page.get_by_role("navigation", name="Main navigation")).to_contain_text("Framework")
