"""In a real browser, in Indonesian: the whole loop of one assessment.

The official fills an element by hand, uploads evidence, is refused on submit with the gap list,
completes the gap and submits; the facilitator adjusts a level with a reason and returns the
assessment; the official sees the note, fixes the flagged indicator and resubmits; the facilitator
approves; the timeline shows every step, and each step sent its e-mail.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import Locator, Page, expect

from assessments.models import Assessment, AssessmentStatus, IndicatorResponse, ReviewState
from smartcity.models import Region
from tests.assessments.conftest import answer_everything, open_cycle
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import pdf_bytes, response_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BY_HAND = "GOV.G1"  # the element the official fills in the browser; the rest is pre-answered
REGION = "Kota Pangkal Pinang"
SAVED = "Tersimpan pukul"
ADJUST_REASON = "SK tim belum ditetapkan; layanan daring baru berjalan di satu OPD."
RETURN_NOTE = "Mohon lengkapi narasi GOV.G1.1 sesuai hasil verifikasi."
FLAG_NOTE = "Sebutkan OPD yang sudah menjalankan layanan daring."
FLAG_REPLY = "Narasi kini menyebut DPMPTSP sebagai OPD pelaksana."
FIXED_NARRATIVE = "Layanan perizinan daring berjalan di DPMPTSP; OPD lain menyusul tahun 2026."
LINK = "https://jdih.pangkalpinangkota.go.id/perwako-pengaduan-2025"


# --- Data made inside the test: transactional tests start from an empty database -------------
@pytest.fixture
def open_assessment(official, facilitator, administrator, region) -> Assessment:
    """A cycle opened by an administrator for `region`, every indicator answered through the
    services except those of BY_HAND."""
    assert official.email and facilitator.email  # both are notified along the way
    open_cycle(administrator, Region.objects.filter(pk=region.pk))
    assessment = Assessment.objects.get(region=region)
    answer_everything(assessment, official, except_element=BY_HAND)
    return assessment


# --- Small steps of the journey ------------------------------------------------------------------
def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name=f"Selamat datang, {username}")).to_be_visible()


def navbar(page: Page) -> Locator:
    navigation = page.get_by_role("navigation", name="Navigasi utama")
    toggler = navigation.get_by_role("button", name="Buka/tutup navigasi")
    if toggler.is_visible():  # a narrow window collapses the menu
        toggler.click()
    return navigation


def sign_out(page: Page, username: str) -> None:
    menu = navbar(page)
    menu.get_by_role("button", name=username).click()
    menu.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()


def open_overview(page: Page) -> None:
    """From anywhere: the navbar's assessment list, then the region's assessment."""
    navbar(page).get_by_role("link", name="Penilaian", exact=True).click()
    page.get_by_role("link", name=REGION).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REGION)


def status_badge(page: Page) -> Locator:
    return page.locator("header .badge[class*=status-]")


def indicator(page: Page, code: str) -> Locator:
    """The card (element page) or review block (review page) of one indicator, by its title."""
    return page.get_by_role("article", name=re.compile(rf"^{re.escape(code)} "))


def save_state(page: Page, response: IndicatorResponse) -> Locator:
    return page.locator(f"#save-state-{response.pk}")


def autosaved(page: Page, response: IndicatorResponse, action) -> None:
    """Do `action` on the card and wait until the server has saved it ("Tersimpan pukul …")."""
    with page.expect_response(
        lambda reply: (
            reply.request.method == "POST" and reply.url.endswith(f"/responses/{response.pk}/")
        )
    ) as saving:
        action()
    assert saving.value.status == 200, saving.value.text()
    expect(save_state(page, response)).to_contain_text(SAVED)


def choose_level(page: Page, response: IndicatorResponse, level: int) -> None:
    card = indicator(page, response.indicator.code)
    radio = card.get_by_role("radio", name=re.compile(rf"^{level} – "))
    autosaved(page, response, radio.check)
    expect(radio).to_be_checked()


def write_narrative(page: Page, response: IndicatorResponse, text: str) -> None:
    narrative = indicator(page, response.indicator.code).get_by_label("Narasi")
    autosaved(page, response, lambda: narrative.fill(text))
    expect(narrative).to_have_value(text)


def submit_assessment(page: Page) -> None:
    page.get_by_text("Ajukan penilaian", exact=True).click()  # opens the confirmation
    page.get_by_role("button", name="Ya, ajukan sekarang").click()


def open_review(page: Page) -> None:
    navbar(page).get_by_role("link", name="Antrean verifikasi").click()
    expect(page.get_by_role("heading", name="Antrean verifikasi")).to_be_visible()
    page.get_by_role("link", name=REGION).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(REGION)


# --- The journey ---------------------------------------------------------------------------------
def test_official_and_facilitator_go_round_the_whole_loop(
    page: Page, live_server, open_assessment, official, facilitator, tmp_path
):
    assessment = open_assessment
    online, complaints, satisfaction = (
        response_of(assessment, code) for code in ("GOV.G1.1", "GOV.G1.2", "GOV.G1.3")
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # 1. The official fills GOV.G1 by hand.
    sign_in(page, live_server, "pejabat")
    open_overview(page)
    expect(status_badge(page)).to_have_text("Draf")
    page.get_by_role("link", name=f"{BY_HAND} Pelayanan publik").click()
    expect(page).to_have_url(re.compile(rf"/elements/{re.escape(BY_HAND)}/$"))
    page.wait_for_load_state()  # htmx and autosave.js are set up on load

    # GOV.G1.1 at level 2 with a narrative and a PDF as evidence.
    choose_level(page, online, 2)
    write_narrative(page, online, "Layanan perizinan daring berjalan di DPMPTSP.")
    pdf = tmp_path / "SK Tim Layanan Digital.pdf"
    pdf.write_bytes(pdf_bytes())
    card = indicator(page, "GOV.G1.1")
    card.get_by_label("Unggah berkas").set_input_files(str(pdf))
    card.get_by_role("button", name="Unggah", exact=True).click()
    expect(card.get_by_text("SK Tim Layanan Digital.pdf diunggah ke GOV.G1.1.")).to_be_visible()
    expect(card.get_by_role("link", name="SK Tim Layanan Digital.pdf")).to_be_visible()

    # GOV.G1.2 at level 3, which needs evidence: none yet.
    choose_level(page, complaints, 3)
    write_narrative(page, complaints, "Pengaduan ditangani lewat SP4N-LAPOR! oleh semua OPD.")
    # GOV.G1.3 at level 1, which needs none.
    choose_level(page, satisfaction, 1)
    write_narrative(page, satisfaction, "Survei kepuasan baru diuji coba di satu unit layanan.")

    # 2. Submitting is refused, with exactly the missing evidence of GOV.G1.2 and its link.
    page.get_by_role("link", name=REGION).click()
    submit_assessment(page)
    expect(page.get_by_role("heading", name="Penilaian belum diajukan")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("1 butir perlu dilengkapi lebih dulu")
    gaps = page.locator(".gap-list").get_by_role("listitem")
    expect(gaps).to_have_count(1)
    expect(gaps).to_contain_text(
        "Level 3 memerlukan bukti dukung: unggah berkas atau tambahkan tautan."
    )
    gap_link = gaps.get_by_role("link", name="GOV.G1.2 Pengelolaan pengaduan")
    expect(gap_link).to_have_attribute(
        "href", f"/assessments/{assessment.pk}/elements/GOV.G1/#indicator-GOV.G1.2"
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert mail.outbox == []

    # 3. The link leads to the card; a link as evidence closes the gap; now it is submitted.
    gap_link.click()
    expect(page).to_have_url(re.compile(r"/elements/GOV\.G1/#indicator-GOV\.G1\.2$"))
    page.wait_for_load_state()
    card = indicator(page, "GOV.G1.2")
    card.get_by_label("Atau tambahkan tautan").fill(LINK)
    card.get_by_role("button", name="Tambahkan tautan").click()
    expect(card.get_by_text("Tautan ditambahkan ke GOV.G1.2.")).to_be_visible()
    expect(card.get_by_role("link", name=LINK)).to_be_visible()
    page.get_by_role("link", name=REGION).click()
    expect(page.get_by_text("Semua sudah lengkap.", exact=True)).to_be_visible()
    submit_assessment(page)
    expect(page.get_by_text("Penilaian telah diajukan kepada fasilitator.")).to_be_visible()
    expect(status_badge(page)).to_have_text("Diajukan")
    assert [m.to for m in mail.outbox] == [[facilitator.email]]
    sign_out(page, "pejabat")

    # 4. The facilitator adjusts GOV.G1.1 with a reason, then returns it flagged, with a note.
    sign_in(page, live_server, "fasilitator")
    open_review(page)
    block = indicator(page, "GOV.G1.1")
    expect(block.get_by_role("link", name="SK Tim Layanan Digital.pdf")).to_be_visible()
    picker = block.get_by_role("group", name="Level terverifikasi")
    picker.get_by_text("1 Rintisan", exact=True).click()  # the picker's button-styled label
    expect(picker.get_by_role("radio", name="1 Rintisan")).to_be_checked()
    block.get_by_label("Alasan").fill(ADJUST_REASON)
    block.get_by_role("button", name="Tetapkan level terverifikasi").click()
    block = indicator(page, "GOV.G1.1")  # htmx swapped the block
    expect(block.get_by_text("Disesuaikan", exact=True)).to_be_visible()
    expect(block.get_by_text(f"Alasan: {ADJUST_REASON}")).to_be_visible()

    page.get_by_role("link", name="Kembalikan untuk perbaikan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kembalikan untuk perbaikan")
    page.get_by_label("Catatan untuk daerah").fill(RETURN_NOTE)
    page.get_by_label("GOV.G1.1 Layanan publik digital", exact=True).check()
    page.get_by_label("Catatan untuk GOV.G1.1").fill(FLAG_NOTE)
    page.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    expect(
        page.get_by_text(f"{REGION} dikembalikan untuk perbaikan dengan 1 indikator ditandai.")
    ).to_be_visible()
    expect(page.get_by_text("Tidak ada penilaian yang menunggu verifikasi Anda.")).to_be_visible()
    assert [m.to for m in mail.outbox][1:] == [[official.email]]
    sign_out(page, "fasilitator")

    # 5. The official sees the note and the flagged indicator first, fixes it and resubmits.
    sign_in(page, live_server, "pejabat")
    open_overview(page)
    expect(status_badge(page)).to_have_text("Dikembalikan untuk perbaikan")
    returned = page.get_by_role("region", name="Dikembalikan untuk perbaikan")
    expect(returned).to_contain_text(RETURN_NOTE)
    expect(returned).to_contain_text("1 indikator perlu diperbaiki")
    flagged = returned.get_by_role("listitem")
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text(FLAG_NOTE)
    # Both reasons, in the list: the adjusted level's and the flag's.
    expect(flagged).to_contain_text("Level terverifikasi: 1 – Rintisan")
    expect(flagged).to_contain_text(f"Alasan fasilitator: {ADJUST_REASON}")
    returned_box = returned.bounding_box()
    elements_box = page.get_by_role("link", name="GOV.G1 Pelayanan publik").bounding_box()
    assert returned_box and elements_box and returned_box["y"] < elements_box["y"]

    flagged.get_by_role("link", name="GOV.G1.1 Layanan publik digital").click()
    expect(page).to_have_url(re.compile(r"/elements/GOV\.G1/#indicator-GOV\.G1\.1$"))
    page.wait_for_load_state()
    card = indicator(page, "GOV.G1.1")
    flag = card.get_by_role("note", name="Perlu diperbaiki")
    expect(flag).to_contain_text(f"Perlu diperbaiki: {FLAG_NOTE}")
    verification = card.get_by_role("note", name="Verifikasi")
    expect(verification).to_contain_text("Level terverifikasi: 1 – Rintisan")
    expect(verification).to_contain_text(f"Alasan fasilitator: {ADJUST_REASON}")
    expect(verification).to_contain_text("Diverifikasi oleh fasilitator")
    expect(save_state(page, online)).to_contain_text("Terakhir disimpan oleh pejabat")
    # The reply marks the flag addressed (htmx swaps the notes in place).
    flag.get_by_label("Balasan untuk fasilitator").fill(FLAG_REPLY)
    flag.get_by_role("button", name="Tandai sudah ditindaklanjuti").click()
    flag = indicator(page, "GOV.G1.1").get_by_role("note", name="Perlu diperbaiki")
    expect(flag).to_contain_text("Ditandai sudah ditindaklanjuti.")
    expect(flag).to_contain_text(f"Balasan Anda: {FLAG_REPLY}")
    # Fixing the answer sets the verification aside, shown as the previous one.
    write_narrative(page, online, FIXED_NARRATIVE)
    previous = indicator(page, "GOV.G1.1").get_by_role("note", name="Verifikasi sebelumnya")
    expect(previous).to_contain_text("Verifikasi sebelumnya: 1 – Rintisan")
    expect(previous).to_contain_text(ADJUST_REASON)
    page.get_by_role("link", name=REGION).click()
    submit_assessment(page)
    expect(status_badge(page)).to_have_text("Diajukan")
    expect(page.get_by_role("region", name="Dikembalikan untuk perbaikan")).to_have_count(0)
    assert [m.to for m in mail.outbox][2:] == [[facilitator.email]]
    sign_out(page, "pejabat")

    # 6. The facilitator sees the fix, which needs a new look (the earlier verification no longer
    #    holds), accepts it, and approves through the confirmation dialog.
    sign_in(page, live_server, "fasilitator")
    navbar(page).get_by_role("link", name="Antrean verifikasi").click()
    row = page.get_by_role("row", name=re.compile(REGION))
    expect(row).to_contain_text("diajukan ulang")
    expect(row).to_contain_text("putaran 2")
    row.get_by_role("link", name=REGION).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(REGION)
    page.get_by_role("link", name=re.compile(r"^Berubah sejak dikembalikan \/ ditandai")).click()
    expect(page).to_have_url(re.compile(r"\?show=changed$"))
    expect(page.locator("article.review-item")).to_have_count(1)
    block = indicator(page, "GOV.G1.1")
    expect(block).to_contain_text(FIXED_NARRATIVE)
    expect(block.get_by_text("Belum diverifikasi", exact=True)).to_be_visible()
    change = block.get_by_role("group", name="Berubah sejak dikembalikan")
    expect(change).to_contain_text("Narasi diubah.")
    expect(change.locator("del")).to_contain_text("Layanan perizinan daring berjalan di DPMPTSP.")
    flag = block.get_by_role("note", name="Tanda")
    expect(flag).to_contain_text(FLAG_NOTE)
    expect(flag).to_contain_text("Sudah ditindaklanjuti")
    expect(flag).to_contain_text(f"Balasan daerah: {FLAG_REPLY}")
    expect(block).to_contain_text(f"Verifikasi sebelumnya: 1 – Rintisan · {ADJUST_REASON}")
    # A comment updates the discussion count in the block's summary without a reload.
    discussion = block.locator("details.review-discussion")
    expect(discussion.locator("summary")).to_contain_text("Diskusi 0")
    discussion.locator("summary").click()
    discussion.get_by_label("Tambahkan komentar").fill("Terima kasih, sudah jelas.")
    discussion.get_by_role("button", name="Kirim komentar").click()
    expect(discussion.locator("summary")).to_contain_text("Diskusi 1")
    block.get_by_role("button", name="Terima level mandiri").click()
    expect(indicator(page, "GOV.G1.1").get_by_text("Diterima", exact=True)).to_be_visible()
    page.get_by_role("button", name="Setujui…").click()
    dialog = page.get_by_role("dialog", name="Setujui penilaian ini?")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Catatan untuk daerah (opsional)").fill("Terima kasih.")
    dialog.get_by_role("button", name="Setujui dan kunci").click()
    expect(
        page.get_by_text(
            f"{REGION}, Penilaian Mandiri 2026 disetujui; level terverifikasinya kini final."
        )
    ).to_be_visible()
    assert [m.to for m in mail.outbox][3:] == [[official.email]]
    sign_out(page, "fasilitator")

    # 7. The official's overview: approved, and the timeline tells the whole story in order.
    sign_in(page, live_server, "pejabat")
    open_overview(page)
    expect(status_badge(page)).to_have_text("Disetujui")
    timeline = page.locator("ol.timeline > li")
    expect(timeline.locator("strong")).to_have_text(
        [
            "Dibuka",
            "Diajukan",
            "Verifikasi dimulai",
            "Dikembalikan untuk perbaikan",
            "Diajukan ulang",
            "Verifikasi dimulai",
            "Disetujui",
        ]
    )
    expect(timeline.nth(3)).to_contain_text(RETURN_NOTE)
    expect(timeline.nth(3)).to_contain_text("Ditandai: GOV.G1.1")
    expect(timeline.nth(6)).to_contain_text("Terima kasih.")

    # And in the database.
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED
    assert assessment.approved_by == facilitator
    online.refresh_from_db()
    assert (online.self_level, online.narrative) == (2, FIXED_NARRATIVE)
    assert (online.review_state, online.verified_level) == (ReviewState.ACCEPTED, 2)
    # The first round's adjustment is kept in the answer's history.
    assert online.history.filter(
        review_state=ReviewState.ADJUSTED, verified_level=1, verification_reason=ADJUST_REASON
    ).exists()
    assert not online.flagged  # the approval ends the round's flags
    assert online.evidence.get().content_type == "application/pdf"
    assert complaints.evidence.get().url == LINK
    assert not assessment.responses.filter(review_state=ReviewState.PENDING).exists()
    assert [m.to for m in mail.outbox] == [
        [facilitator.email],  # submitted
        [official.email],  # returned
        [facilitator.email],  # resubmitted
        [official.email],  # approved
    ]
    assert all(REGION in m.subject for m in mail.outbox)
    assert errors == []
