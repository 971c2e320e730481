"""In a real browser: an official fills in an indicator, autosave keeps it, an upload lands, and a
save made while the server is unreachable is retried until it succeeds."""

import re

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Assessment, Evidence
from smartcity.models import Region
from tests.assessments.conftest import open_cycle
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_assessment(official, administrator, region) -> Assessment:
    """Data made inside the test: transaction tests start from an empty database."""
    open_cycle(administrator, Region.objects.filter(pk=region.pk))
    return Assessment.objects.get(region=region)


def test_official_fills_an_indicator_with_autosave_upload_and_retry(
    page: Page, live_server, open_assessment, tmp_path
):
    assessment = open_assessment
    response = assessment.responses.get(indicator__code="GOV.G1.1")
    logs = []
    page.on("console", lambda message: logs.append(message.text))
    page.on("pageerror", lambda error: logs.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill("pejabat")
    page.get_by_label("Kata sandi").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kota Pangkal Pinang")
    page.get_by_role("link", name="GOV.G1 ", exact=False).first.click()
    expect(page).to_have_url(re.compile(r"/elements/GOV\.G1/$"))
    page.wait_for_load_state()  # htmx and autosave.js are set up on load

    card = page.locator('[id="indicator-GOV.G1.1"]')
    state = card.locator(f"#save-state-{response.pk}")
    card.locator("label.level-card").filter(has_text="2 – Terkelola").click()
    expect(state).to_contain_text("Tersimpan pukul")
    expect(card.get_by_text("Cara mencapai level 3")).to_be_visible()

    narrative = card.get_by_label("Narasi")
    narrative.fill("Layanan perizinan daring berjalan di DPMPTSP.")
    expect(state).to_contain_text("Tersimpan pukul")
    page.wait_for_function(
        "id => !localStorage.getItem('autosave:response:' + id)", arg=response.pk
    )
    response.refresh_from_db()
    assert (response.self_level, response.narrative) == (
        2,
        "Layanan perizinan daring berjalan di DPMPTSP.",
    )

    page.reload()
    page.wait_for_load_state()
    card = page.locator('[id="indicator-GOV.G1.1"]')
    expect(card.locator(f"#level-{response.pk}-2")).to_be_checked()
    expect(card.get_by_label("Narasi")).to_have_value(
        "Layanan perizinan daring berjalan di DPMPTSP."
    )

    pdf = tmp_path / "SK Tim Smart City.pdf"
    pdf.write_bytes(pdf_bytes())
    card.get_by_label("Unggah berkas").set_input_files(str(pdf))
    card.get_by_role("button", name="Unggah", exact=True).click()
    expect(card.locator(f"#evidence-{response.pk}")).to_contain_text("SK Tim Smart City.pdf")
    assert Evidence.objects.filter(response=response, content_type="application/pdf").exists()

    # The server becomes unreachable while the official types: the page says so and keeps trying.
    page.route("**/responses/**", lambda route: route.abort())
    card.get_by_label("Narasi").fill("Ditulis saat koneksi terputus.")
    state = card.locator(f"#save-state-{response.pk}")
    expect(state).to_contain_text("Belum tersimpan – mencoba lagi")
    stored = page.evaluate("id => localStorage.getItem('autosave:response:' + id)", response.pk)
    assert "Ditulis saat koneksi terputus." in stored
    response.refresh_from_db()
    assert response.narrative == "Layanan perizinan daring berjalan di DPMPTSP."

    page.unroute("**/responses/**")
    expect(state).to_contain_text("Tersimpan pukul", timeout=20_000)
    response.refresh_from_db()
    assert response.narrative == "Ditulis saat koneksi terputus."


def test_text_typed_while_offline_survives_closing_the_page(
    page: Page, live_server, open_assessment
):
    assessment = open_assessment
    response = assessment.responses.get(indicator__code="GOV.G1.2")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill("pejabat")
    page.get_by_label("Kata sandi").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    element = f"{live_server.url}/assessments/{assessment.pk}/elements/GOV.G1/"
    page.goto(element)
    page.wait_for_load_state()

    page.route("**/responses/**", lambda route: route.abort())
    page.locator(f"#narrative-{response.pk}").fill("Ditulis sebelum peramban ditutup.")
    expect(page.locator(f"#save-state-{response.pk}")).to_contain_text("Belum tersimpan")
    page.close()  # the browser tab is closed before any save got through

    again = page.context.new_page()
    again.goto(element)
    again.wait_for_load_state()
    state = again.locator(f"#save-state-{response.pk}")
    expect(state).to_contain_text("Peramban ini menyimpan perubahan")
    expect(again.locator(f"#narrative-{response.pk}")).to_have_value("")
    state.get_by_role("button", name="Pulihkan dan simpan").click()
    expect(state).to_contain_text("Tersimpan pukul")
    expect(again.locator(f"#narrative-{response.pk}")).to_have_value(
        "Ditulis sebelum peramban ditutup."
    )
    response.refresh_from_db()
    assert response.narrative == "Ditulis sebelum peramban ditutup."
