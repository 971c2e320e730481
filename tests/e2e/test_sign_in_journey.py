"""In a real browser: the app speaks Indonesian, switches to English, lets a person sign in."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_in_in_indonesian_then_english(page: Page, live_server, official):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    page.get_by_label("Username").fill("pejabat")
    page.get_by_label("Password").fill("sandi-uji-yang-panjang")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome, pejabat")).to_be_visible()
    # Bootstrap is served by the app itself: its styles apply without any network.
    navbar_display = page.locator("nav.navbar").evaluate("e => getComputedStyle(e).display")
    assert navbar_display == "flex"
