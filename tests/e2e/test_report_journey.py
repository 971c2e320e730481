"""In a real browser, in Indonesian: the facilitator approves an assessment, its gap report is
built by the job the approval queued, and the report's charts are drawn as SVG by Plotly under the
strict CSP, each beside a table that matches the snapshot rows. Then an administrator recomputes
the cycle's scores from the cycle's page and follows the job to its summary."""

import re

import pytest
from playwright.sync_api import Page, expect

from assessments.models import (
    Assessment,
    AssessmentStatus,
    CycleScoresJob,
    GapReport,
    ScoreSnapshot,
)
from smartcity.models import Region
from tests.assessments.conftest import open_cycle
from tests.assessments.reports_helpers import fill
from tests.e2e.test_assessment_loop import sign_in, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHARTS = (
    "radar-dimensions",
    "radar-readiness",
    "gap-bars",
    "level-heatmap",
    "trend-lines",
    "peer-position",
)


@pytest.fixture
def submitted(official, facilitator, administrator, region) -> Assessment:
    open_cycle(administrator, Region.objects.filter(pk=region.pk))
    return fill(Assessment.objects.get(region=region), status=AssessmentStatus.SUBMITTED)


def test_an_approval_leads_to_a_drawn_report_whose_tables_match_the_snapshot(
    page: Page, live_server, submitted
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "fasilitator")
    page.goto(f"{live_server.url}/assessments/{submitted.pk}/review/")
    page.get_by_role("button", name="Setujui…").click()
    dialog = page.get_by_role("dialog", name="Setujui penilaian ini?")
    dialog.get_by_role("button", name="Setujui dan kunci").click()
    expect(page.get_by_text("level terverifikasinya kini final")).to_be_visible()

    page.goto(f"{live_server.url}/assessments/{submitted.pk}/")
    page.get_by_role("link", name="Laporan kesenjangan").click()
    report = GapReport.objects.get(assessment=submitted)
    expect(page).to_have_url(re.compile(rf"/assessments/reports/{report.pk}/$"))
    # The job ran after the approval's commit; a page opened earlier would poll until it is done.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Laporan kesenjangan")
    expect(page.locator(".predikat-badge")).to_be_visible()
    expect(page.locator(".preliminary-mark")).to_have_count(0)
    for chart in CHARTS:
        expect(page.locator(f"#{chart} svg.main-svg").first).to_be_attached()
    # The gap bars: one bar per element with a gap.
    expect(page.locator("#gap-bars g.point")).to_have_count(27)

    rows = ScoreSnapshot.objects.filter(assessment=submitted)
    scores = page.locator('table[data-table="scores"]')
    for table, code in (("scores", "GOV"), ("scores", "ENV"), ("readiness", "STR")):
        pillar = rows.get(scope="pillar", code=code)
        row = page.locator(f'table[data-table="{table}"]').get_by_role(
            "row", name=re.compile(rf"^{code} ")
        )
        expect(row.locator("td").first).to_have_text(_number(pillar.current))
        expect(row).to_contain_text(pillar.predikat)
    index = rows.get(scope="smart_city_index")
    expect(scores.get_by_role("row", name=re.compile("^Indeks kota cerdas"))).to_contain_text(
        _number(index.current)
    )
    levels = page.locator('table[data-table="levels"] tbody tr')
    expect(levels).to_have_count(rows.filter(scope="indicator").count())
    sign_out(page, "fasilitator")

    _recompute_the_cycle(page, live_server, submitted)
    assert not errors, errors


def _recompute_the_cycle(page: Page, live_server, approved: Assessment) -> None:
    """The administrator opens the cycle, recomputes its scores and waits for the summary."""
    sign_in(page, live_server, "admin-nasional")
    page.goto(f"{live_server.url}/assessments/cycles/{approved.cycle_id}/")
    section = page.locator(".cycle-recompute")
    expect(section).to_contain_text("memperbarui semua angka perbandingan antardaerah")
    section.get_by_role("button", name="Hitung ulang skor").click()
    job = CycleScoresJob.objects.get(cycle_id=approved.cycle_id)
    expect(page).to_have_url(re.compile(rf"/assessments/cycles/recomputations/{job.pk}/$"))
    expect(page.locator(".job-status")).to_have_attribute("data-job-status", "done")
    job.refresh_from_db()
    expect(page.locator(".job-status")).to_contain_text(
        f"1 laporan dihitung ulang dan {job.snapshots} baris skor ditulis"
    )
    page.get_by_role("link", name="Kembali ke siklus").click()
    expect(section.locator(".cycle-recompute-latest")).to_contain_text("Selesai")
    expect(section.locator(".cycle-recompute-latest")).to_contain_text("oleh admin-nasional")


def _number(value: float) -> str:
    """A table cell's number as Django prints it in Indonesian (decimal comma)."""
    text = f"{round(value, 2)}"
    return text.replace(".", ",")
