"""In a real browser, in Indonesian: what the second review walk-through asked of the element and
overview pages (issue 9): one element order, targets that follow the level, uploads checked in
the browser first."""

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Assessment
from smartcity.models import Region
from tests.assessments.conftest import open_cycle
from tests.e2e.test_assessment_loop import sign_in
from tests.helpers import response_of

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


def test_the_default_target_follows_the_level_until_a_target_is_chosen(
    page: Page, live_server, official, draft
):
    response = response_of(draft, "GOV.G1.1")
    sign_in(page, live_server, official.username)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/elements/GOV.G1/")
    page.wait_for_load_state()
    card = page.locator('[id="indicator-GOV.G1.1"]')
    state = card.locator(f"#save-state-{response.pk}")
    target = card.get_by_label("Level target")

    card.locator("label.level-card").filter(has_text="4 – Terpadu dan Terukur").click()
    expect(state).to_contain_text("Tersimpan pukul")
    expect(target.locator("option:checked")).to_have_text("Bawaan siklus: 5 – Optimum")
    card.locator("label.level-card").filter(has_text="1 – Rintisan").click()
    expect(target.locator("option:checked")).to_have_text("Bawaan siklus: 2 – Terkelola")
    response.refresh_from_db()
    assert (response.self_level, response.target_level, response.target_is_default) == (
        1, 2, True,
    )  # fmt: skip

    target.select_option(label="4 – Terpadu dan Terukur")
    expect(state).to_contain_text("Tersimpan pukul")
    with page.expect_response(lambda reply: reply.request.method == "POST"):
        card.locator("label.level-card").filter(has_text="3 – Terdefinisi").click()
    page.reload()
    card = page.locator('[id="indicator-GOV.G1.1"]')
    expect(card.get_by_label("Level target").locator("option:checked")).to_have_text(
        "4 – Terpadu dan Terukur"
    )
    with page.expect_response(lambda reply: reply.request.method == "POST"):
        card.get_by_label("Level target").select_option(label="Bawaan siklus")
    page.reload()
    expect(
        page.locator('[id="indicator-GOV.G1.1"]')
        .get_by_label("Level target")
        .locator("option:checked")
    ).to_have_text("Bawaan siklus: 4 – Terpadu dan Terukur")


def test_a_file_over_the_limit_is_refused_before_it_is_sent(
    page: Page, live_server, official, draft, settings
):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    response = response_of(draft, "GOV.G1.1")
    sign_in(page, live_server, official.username)
    posts = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    page.goto(f"{live_server.url}/assessments/{draft.pk}/elements/GOV.G1/")
    page.wait_for_load_state()
    upload = page.locator(f"#file-{response.pk}")
    upload.set_input_files(
        files=[{"name": "Laporan besar.pdf", "mimeType": "application/pdf",
                "buffer": b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024)}]
    )  # fmt: skip
    alert = page.locator(f"#file-{response.pk} + .upload-limit-feedback")
    expect(alert).to_have_text(
        "Laporan besar.pdf berukuran 2,0 MB; ukuran berkas paling besar 1,0 MB."
    )
    assert upload.evaluate("input => input.files.length") == 0
    # Sending the emptied form is stopped by the browser's own check of the required file.
    upload.locator("xpath=..").get_by_role("button", name="Unggah", exact=True).click()
    assert upload.evaluate("input => input.validity.valueMissing")
    assert not [url for url in posts if "/evidence/" in url]
    assert not response.evidence.exists()
