"""The dashboards as facilitators and administrators use them: scoped totals, charts and exports,
a fixed number of queries whatever the number of regions, and a cache that never shows old data."""

import csv
import io
import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    EventKind,
    IndicatorResponse,
)
from smartcity.models import Indicator, Region
from tests.dashboards.builders import assess, cycle_of, national, program, snapshot
from tests.helpers import signed_in


def figure(response, element_id: str) -> dict:
    html = response.content.decode()
    found = re.search(
        rf'<script type="application/json" id="{element_id}-figure">(.*?)</script>', html, re.S
    )
    assert found, f"no figure {element_id}"
    return json.loads(found.group(1))


@pytest.fixture
def world(facilitator, administrator):
    """Ten regions in province 19 (the facilitator's) and 33 over three cycles."""
    return national(10)


# --- Scope ----------------------------------------------------------------------------------------
def test_facilitator_progress_counts_only_their_province(world, facilitator, administrator):
    newest = world[-1]
    mine = signed_in(facilitator).get(reverse("dashboards:progress"), {"cycle": newest.pk})
    everything = signed_in(administrator).get(reverse("dashboards:progress"), {"cycle": newest.pk})
    assert mine.status_code == everything.status_code == 200
    assert mine.context["data"].total == 5
    assert everything.context["data"].total == 10
    assert sum(row["count"] for row in mine.context["data"].counts) == 5
    assert {row["province_code"] for row in mine.context["data"].provinces} == {"19"}
    assert sum(figure(mine, "status-chart")["data"][0]["x"]) == 5
    assert figure(mine, "province-chart")["data"][0]["y"] == ["Kepulauan Bangka Belitung"]
    assert {row["region_code"][:2] for row in mine.context["data"].rows} == {"19"}


def test_facilitator_exports_only_their_regions(world, facilitator):
    client = signed_in(facilitator)
    csv_response = client.get(reverse("dashboards:progress_export"), {"format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert len(lines) == 1 + 5
    assert {line[0][:2] for line in lines[1:]} == {"19"}
    xlsx = client.get(reverse("dashboards:progress_export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == sorted(line[0] for line in lines[1:])


def test_export_holds_exactly_what_is_filtered(world, administrator):
    client = signed_in(administrator)
    query = {"status": "approved", "province": "33"}
    page = client.get(reverse("dashboards:progress"), query)
    shown = [row["region_code"] for row in page.context["data"].rows]
    assert shown and all(code.startswith("33.") for code in shown)
    exported = client.get(reverse("dashboards:progress_export"), {**query, "format": "csv"})
    lines = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == shown


def test_facilitator_maturity_means_only_their_province(world, facilitator, administrator):
    mine = signed_in(facilitator).get(reverse("dashboards:maturity"))
    everything = signed_in(administrator).get(reverse("dashboards:maturity"))
    # The newest cycle: every third region approved.
    assert mine.context["data"].regions == 2
    assert everything.context["data"].regions == 4
    assert {row["province_code"] for row in mine.context["data"].indices} == {"19"}
    first = mine.context["data"].indices[0]
    assert f'href="/dashboards/regions/{first["region"]}/"' in mine.content.decode()
    assert "," in first["score"]  # two decimals, Indonesian separator
    heatmap = figure(mine, "heatmap-chart")["data"][0]
    assert all(name.startswith("Kota Uji 19") for name in heatmap["y"])
    trend = mine.context["data"].trend
    assert {row["regions"] for row in trend if row["scope"] == "smart_city_index"} <= {2, 5}


def test_maturity_trend_rises_over_three_cycles(world, administrator):
    data = signed_in(administrator).get(reverse("dashboards:maturity")).context["data"]
    means = [row["mean"] for row in data.trend if row["scope"] == "smart_city_index"]
    assert len(means) == 3 and means == sorted(means)


def test_preliminary_results_only_with_the_toggle_and_marked(world, administrator):
    newest = world[-1]
    submitted = Assessment.objects.filter(cycle=newest, status=AssessmentStatus.SUBMITTED).first()
    snapshot(submitted, index=2.9, preliminary=True)
    client = signed_in(administrator)
    plain = client.get(reverse("dashboards:maturity")).context["data"]
    with_preliminary = client.get(reverse("dashboards:maturity"), {"preliminary": "on"})
    assert with_preliminary.context["data"].regions == plain.regions + 1
    marked = [row for row in with_preliminary.context["data"].indices if row["preliminary"]]
    assert [row["region"] for row in marked] == [submitted.region_id]
    assert b'id="preliminary-note"' in with_preliminary.content


def test_map_colours_only_the_scope_and_lists_regions_without_a_shape(facilitator):
    program(2)  # 19.01, 33.02
    program(1, provinces=("19",), start=99)  # 19.99 has no shape in the map file
    cycle = cycle_of(2026)
    assess(cycle, list(Region.objects.all()), [AssessmentStatus.SUBMITTED])
    response = signed_in(facilitator).get(reverse("dashboards:map"), {"colour": "status"})
    assert response.status_code == 200
    locations = [
        code for trace in figure(response, "region-map")["data"] for code in trace["locations"]
    ]
    assert sorted(locations) == ["19.01", "19.71", "19.99"]
    assert [area["code"] for area in response.context["data"].missing] == ["19.99"]
    assert figure(response, "region-map")["data"][0]["geojson"].endswith("geo/regencies.geojson")
    provinces = signed_in(facilitator).get(
        reverse("dashboards:map"), {"colour": "status", "level": "province"}
    )
    assert figure(provinces, "region-map")["data"][0]["locations"] == ["19"]


# --- What the progress dashboard counts ---------------------------------------------------------
def test_not_started_and_overdue_against_the_deadline(administrator, official, region):
    cycle = cycle_of(2024)  # closed on 30 June 2024: past
    regions = program(3)
    draft, touched, submitted = assess(
        cycle, regions, [AssessmentStatus.DRAFT, AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED]
    )
    IndicatorResponse.objects.create(
        assessment=touched, indicator=Indicator.objects.first(), self_level=1, updated_by=official
    )
    data = signed_in(administrator).get(reverse("dashboards:progress")).context["data"]
    counts = {row["status"]: (row["count"], row["overdue"]) for row in data.counts}
    assert counts["not_started"] == (1, 1)
    assert counts["draft"] == (1, 1)
    assert counts["submitted"] == (1, 0)
    assert data.overdue == 2
    assert set(counts) == {"not_started", "draft", "submitted", "in_review", "returned", "approved"}


def test_last_activity_is_the_latest_event(administrator):
    cycle = cycle_of(2026)
    (assessment,) = assess(cycle, program(1), [AssessmentStatus.SUBMITTED])
    event = AssessmentEvent.objects.create(assessment=assessment, kind=EventKind.SUBMITTED)
    row = signed_in(administrator).get(reverse("dashboards:progress")).context["data"].rows[:1][0]
    assert row["last_activity"] >= event.created_at


def test_sorting_filters_and_pages(administrator):
    cycle = cycle_of(2026)
    assess(cycle, program(30), [AssessmentStatus.DRAFT, AssessmentStatus.APPROVED])
    client = signed_in(administrator)
    first = client.get(reverse("dashboards:progress"), {"sort": "region", "desc": "on"})
    names = [row["region_name"] for row in first.context["page"]]
    assert len(names) == 25 and names == sorted(names, reverse=True)
    second = client.get(reverse("dashboards:progress"), {"sort": "region", "desc": "on", "page": 2})
    assert len(second.context["page"]) == 5
    cohort = client.get(reverse("dashboards:progress"), {"cohort": "2023"}).context["data"]
    assert cohort.total == 15


def test_a_wrong_filter_is_named_and_ignored(administrator):
    cycle_of(2026)
    assess(cycle_of(2025), program(2), [AssessmentStatus.DRAFT])
    response = signed_in(administrator).get(reverse("dashboards:progress"), {"cohort": "tahun"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert b"alert-warning" in response.content


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_an_unknown_cycle_is_404(administrator, value):
    assess(cycle_of(2026), program(1), [AssessmentStatus.DRAFT])
    for name in ("dashboards:progress", "dashboards:maturity", "dashboards:map"):
        assert signed_in(administrator).get(reverse(name), {"cycle": value}).status_code == 404


def test_no_cycle_yet_shows_a_note(administrator):
    response = signed_in(administrator).get(reverse("dashboards:progress"))
    assert response.status_code == 200 and "data" not in response.context


def test_officials_and_outsiders_get_404(official):
    for name in (
        "dashboards:progress",
        "dashboards:maturity",
        "dashboards:map",
        "dashboards:progress_export",
    ):
        assert signed_in(official).get(reverse(name)).status_code == 404


# --- Fixed number of queries --------------------------------------------------------------------
# Session, user, scope, cycles, then each page's own reads (progress: its frame and the last
# answers; maturity: see below).
PAGES = [
    ("dashboards:progress", {}, 6),
    ("dashboards:progress", {"province": "19", "sort": "index"}, 6),
    ("dashboards:progress_export", {"format": "xlsx"}, 6),
    # pillars, elements, bands, scale, the region scores, pillar and element means, the trend
    ("dashboards:maturity", {"preliminary": "on"}, 11),
    ("dashboards:map", {}, 6),
    ("dashboards:map", {"colour": "status", "level": "province"}, 6),
]


@pytest.mark.parametrize("size", [3, 60])
@pytest.mark.parametrize(("name", "query", "queries"), PAGES)
def test_a_fixed_number_of_queries_whatever_the_number_of_regions(
    size, name, query, queries, facilitator, administrator, django_assert_num_queries
):
    national(size)
    for user in (facilitator, administrator):
        client = signed_in(user)
        cache.clear()
        with django_assert_num_queries(queries):
            assert client.get(reverse(name), query).status_code == 200
