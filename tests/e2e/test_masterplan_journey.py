"""In a real browser, in Indonesian: the official drafts the master plan from the approved
assessment (a tracked job), edits one action, sees the roadmap and the totals change, approves
the plan as final, and can no longer edit it."""

import json

import pytest
from playwright.sync_api import Page, expect

from masterplan.models import MasterPlan, PlanStatus
from masterplan.planning import Horizon
from tests.e2e.test_assessment_loop import navbar, sign_in
from tests.masterplan.conftest import (  # noqa: F401 (fixtures)
    approved,
    assessment,
    cycle,
    framework,
    library,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def roadmap_bars(page: Page) -> dict:
    """The roadmap's bars as drawn data: item label -> (start, years)."""
    figure = json.loads(page.locator("#roadmap-chart-figure").text_content())
    labels = figure["layout"]["yaxis"]["ticktext"]
    bars = {}
    for trace in figure["data"]:
        if trace["type"] != "bar":
            continue
        for row, base, years in zip(trace["y"], trace["base"], trace["x"], strict=True):
            bars[labels[row]] = (base + 0.5, years)
    return bars


def total(page: Page) -> str:
    return page.locator("#plan-total").text_content()


def test_draft_edit_and_finalise_a_master_plan(page: Page, live_server, official, approved):  # noqa: F811
    sign_in(page, live_server, official.username)
    navbar(page).get_by_role("link", name="Masterplan", exact=True).click()
    page.get_by_label("Tahun pertama masterplan").fill("2027")
    page.get_by_role("button", name="Susun draf masterplan").click()
    page.locator(".job-status").get_by_role("link", name="Lihat hasilnya").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2027–2036")
    expect(page.locator("#roadmap-chart .main-svg").first).to_be_visible()
    expect(page.locator("#budget-chart .main-svg").first).to_be_visible()
    before_total, before_bars = total(page), roadmap_bars(page)

    plan = MasterPlan.objects.get()
    item = (
        plan.items.filter(horizon=Horizon.MEDIUM, dependants=None, start_year__lt=2036)
        .order_by("pk")
        .first()
    )
    page.locator(f"#item-{item.pk} a").first.click()
    page.get_by_label("Tahun selesai").fill(str(item.start_year + 1))
    page.get_by_label("Anggaran (Rp)").fill(str(item.budget + 1_000_000_000))
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Aksi tersimpan.")).to_be_visible()
    expect(page.locator("#plan-total")).not_to_have_text(before_total)
    label = item.title if len(item.title) <= 40 else item.title[:39] + "…"
    assert roadmap_bars(page)[label] == (item.start_year, 2) != before_bars[label]
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("diubah")

    page.get_by_role("button", name="Setujui sebagai final").click()
    expect(page.get_by_text("Final: hanya baca")).to_be_visible()
    expect(page.get_by_role("link", name="Tambah aksi")).to_have_count(0)
    page.locator(f"#item-{item.pk} a").first.click()
    expect(page.locator("#item-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Simpan")).to_have_count(0)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FINAL
