"""In a real browser, in Indonesian: an evaluation round from opening to the exported letter.

The administrator opens the 2026 round; the region's official reports progress on two plan items
(a delayed one refused without its reason); the administrator pre-computes again; the
facilitator reads the formulas, judges Impact and the quick wins' quality, picks a suggested
recommendation and finalises; the letter is made and downloaded, and read back through pdftotext;
the recommendation is an item of the region's master plan.
"""

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from evaluations.models import RegionEvaluation
from tests.e2e.test_assessment_loop import navbar, sign_in, sign_out
from tests.evaluations.conftest import program_region_with_plan

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REGION = "Kota Pangkal Pinang"
DELAY = "Lelang pengadaan diulang karena peserta kurang."


@pytest.fixture
def plan(region, official, facilitator, administrator):
    return program_region_with_plan(region)


def test_a_round_from_opening_to_the_letter(page: Page, live_server, plan, tmp_path):
    # The administrator opens the round with the year's weights and stages.
    sign_in(page, live_server, "admin-nasional")
    navbar(page).get_by_role("link", name="Evaluasi", exact=True).click()
    page.get_by_role("link", name="Buka putaran").click()
    page.get_by_label("Tahun").fill("2026")
    page.get_by_label("Judul").fill("Evaluasi Smart City 2026")
    page.get_by_label("Evaluasi dokumen mulai").fill("2026-06-01")
    page.get_by_label("Evaluasi dokumen selesai").fill("2026-06-30")
    page.get_by_label("Verifikasi lapangan mulai").fill("2026-10-01")
    page.get_by_label("Verifikasi lapangan selesai").fill("2026-11-15")
    page.get_by_label("Bobot Dampak (%)").fill("40")
    page.get_by_role("button", name="Buka putaran").click()
    expect(page.get_by_role("alert")).to_contain_text("jumlahnya harus 100")
    page.get_by_label("Bobot Dampak (%)").fill("30")
    page.get_by_role("button", name="Buka putaran").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluasi Smart City 2026")
    expect(page.locator("#round-evaluations")).to_contain_text(REGION)
    sign_out(page, "admin-nasional")

    # The official reports: the quick win done with a link, the medium item delayed.
    sign_in(page, live_server, "pejabat")
    navbar(page).get_by_role("link", name="Kemajuan masterplan").click()
    page.get_by_role("link", name=REGION).click()
    page.locator(f"tr[data-item='{plan.quick.pk}']").get_by_role("link", name="Laporkan").click()
    page.get_by_label("Status").select_option(label="selesai")
    page.get_by_label("Tautan bukti dukung").fill("https://jdih.pangkalpinangkota.go.id/perwal")
    page.get_by_role("button", name="Simpan laporan").click()
    expect(page.get_by_text("Kemajuan tersimpan.")).to_be_visible()
    expect(page.locator("#progress-history")).to_contain_text("jdih.pangkalpinangkota.go.id")
    page.get_by_role("link", name="Semua butir masterplan").click()
    page.locator(f"tr[data-item='{plan.medium.pk}']").get_by_role("link", name="Laporkan").click()
    page.get_by_label("Status").select_option(label="terlambat")
    page.get_by_label("Persentase selesai").fill("20")
    page.get_by_role("button", name="Simpan laporan").click()
    expect(
        page.get_by_text("Jelaskan mengapa butir ini terlambat atau dibatalkan.")
    ).to_be_visible()
    page.get_by_label("Alasan (wajib bila terlambat atau dibatalkan)").fill(DELAY)
    page.get_by_role("button", name="Simpan laporan").click()
    expect(page.locator("#progress-history")).to_contain_text(DELAY)
    sign_out(page, "pejabat")

    # The administrator pre-computes the round again, now with the reports.
    sign_in(page, live_server, "admin-nasional")
    navbar(page).get_by_role("link", name="Evaluasi", exact=True).click()
    page.get_by_role("link", name="Evaluasi Smart City 2026").click()
    page.get_by_role("button", name="Hitung ulang").click()
    expect(page.get_by_text("1 evaluasi dihitung ulang.")).to_be_visible()
    sign_out(page, "admin-nasional")

    # The facilitator judges, recommends and finalises.
    sign_in(page, live_server, "fasilitator")
    navbar(page).get_by_role("link", name="Evaluasi", exact=True).click()
    page.get_by_role("link", name="Evaluasi Smart City 2026").click()
    page.get_by_role("link", name=REGION).click()
    scores = page.locator("#dimension-scores")
    expect(scores.locator("[data-dimension=BASELINE]")).to_contain_text("indeks 2026 3,31")
    expect(scores.locator("[data-dimension=OUTCOME]")).to_contain_text("Rp100 dari Rp400")
    expect(scores.locator("[data-dimension=IMPACT]")).to_contain_text("belum dinilai")
    for dimension, score, reason in (
        ("Dampak", "3.5", "Survei kepuasan warga terhadap layanan daring."),
        ("Kualitas quick win", "4", "Perwal Satu Data ditetapkan tepat waktu."),
    ):
        form = page.locator("#judgement-form")
        form.get_by_label("Dimensi").select_option(label=dimension)
        form.get_by_label("Nilai").fill(score)
        form.get_by_label("Alasan").fill(reason)
        page.get_by_role("button", name="Simpan nilai").click()
        expect(page.get_by_text("Nilai tersimpan.")).to_be_visible()
    expect(scores.locator("[data-dimension=IMPACT]")).to_contain_text("Survei kepuasan warga")
    page.get_by_label("Atasi hambatan program “Layanan perizinan daring”", exact=False).check()
    page.get_by_role("button", name="Tambahkan rekomendasi").click()
    expect(page.locator("#recommendations")).to_contain_text("Layanan perizinan daring")
    page.get_by_role("button", name="Finalkan evaluasi").click()
    expect(page.get_by_text("Evaluasi sudah final.")).to_be_visible()
    evaluation = RegionEvaluation.objects.get()
    expect(page.locator("#result-achievement")).to_have_text(
        f"{evaluation.achievement:.2f}".replace(".", ",")
    )

    # The letter, made by the worker, downloaded and read.
    page.get_by_role("button", name="Buat surat").click()
    expect(page.locator("[data-job-status=done]")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh surat (PDF)").click()
    path = tmp_path / "surat.pdf"
    download.value.save_as(path)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "Hasil evaluasi smart city 2026" in text
    assert "Layanan perizinan daring" in text

    # The recommendation is a tracked item of the region's plan.
    page.goto(f"{live_server.url}/masterplan/{plan.plan.pk}/")
    # the plan page lists it (and its roadmap draws it): the item's link
    expect(page.get_by_role("link", name=re.compile("Tindak lanjut evaluasi 2026"))).to_be_visible()
