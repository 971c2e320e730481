"""The dashboards' pure pieces, without a database: the progress and maturity arithmetic and the
figures drawn from it."""

import datetime
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from django.utils import translation

from dashboards import analysis, charts
from dashboards.analysis import ProgressFilters

NOW = pd.Timestamp("2026-05-01 10:00", tz="UTC")


def progress_rows(*rows: tuple) -> pd.DataFrame:
    """(region code, province, status, touched, index, predikat) per row."""
    return pd.DataFrame(
        [
            {
                "assessment": number,
                "region": number,
                "region_code": code,
                "region_name": f"Kota {code}",
                "province_code": province,
                "province_name": f"Provinsi {province}",
                "cohort_year": 2022,
                "status": status,
                "touched": touched,
                "updated_at": NOW,
                "last_response": NOW + pd.Timedelta(hours=number),
                "last_event": None,
                "index": index,
                "predikat": predikat,
                "preliminary": False,
            }
            for number, (code, province, status, touched, index, predikat) in enumerate(rows)
        ]
    )


ROWS = progress_rows(
    ("19.01", "19", "draft", False, None, ""),
    ("19.02", "19", "draft", True, None, ""),
    ("19.03", "19", "approved", True, 2.1, "Baik"),
    ("33.01", "33", "submitted", True, None, ""),
    ("33.02", "33", "returned", True, 1.2, "Cukup"),
)


@pytest.mark.parametrize(
    ("today", "overdue"), [(datetime.date(2026, 6, 30), 0), (datetime.date(2026, 7, 1), 3)]
)
def test_overdue_counts_what_is_not_reported_after_the_deadline(today, overdue):
    table = analysis.progress_table(ROWS, today=today, deadline=datetime.date(2026, 6, 30))
    assert int(table["overdue"].sum()) == overdue
    assert list(table["status"]) == ["not_started", "draft", "approved", "submitted", "returned"]
    assert table["last_activity"].iloc[4] == NOW + pd.Timedelta(hours=4)


def test_status_counts_name_every_status_with_its_share():
    table = analysis.progress_table(
        ROWS, today=datetime.date(2026, 7, 1), deadline=datetime.date(2026, 6, 30)
    )
    counts = analysis.status_counts(table).set_index("status")
    assert list(counts.index) == list(analysis.PROGRESS_STATUSES)
    assert counts.loc["in_review", "count"] == 0
    assert counts.loc["draft", "share"] == pytest.approx(0.2)
    assert counts.loc["returned", "overdue"] == 1
    assert counts["count"].sum() == 5


def test_province_completion_rates():
    table = analysis.progress_table(
        ROWS, today=datetime.date(2026, 5, 1), deadline=datetime.date(2026, 6, 30)
    )
    provinces = analysis.province_completion(table).set_index("province_code")
    assert provinces.loc["19", "reported_rate"] == pytest.approx(1 / 3)
    assert provinces.loc["19", "approved_rate"] == pytest.approx(1 / 3)
    assert provinces.loc["33", "reported"] == 1
    assert list(provinces.index) == ["33", "19"]  # the better reporting province first


@pytest.mark.parametrize(
    ("filters", "codes"),
    [
        (ProgressFilters(province="33"), ["33.01", "33.02"]),
        (ProgressFilters(status="not_started"), ["19.01"]),
        (ProgressFilters(predikat="Baik"), ["19.03"]),
        (
            ProgressFilters(sort="index", descending=True),
            ["19.03", "33.02", "19.01", "19.02", "33.01"],
        ),
        (
            ProgressFilters(overdue=True, sort="activity", descending=True),
            ["33.02", "19.02", "19.01"],
        ),
    ],
)
def test_filters_and_order(filters, codes):
    table = analysis.progress_table(
        ROWS, today=datetime.date(2026, 7, 1), deadline=datetime.date(2026, 6, 30)
    )
    assert list(analysis.filter_progress(table, filters)["region_code"]) == codes


PILLARS = pd.DataFrame(
    [
        ("KES", "Kesiapan", "readiness", 1),
        ("LAY", "Layanan", "dimension", 2),
        ("EKO", "Ekonomi", "dimension", 3),
    ],
    columns=["code", "name", "kind", "position"],
)
ELEMENTS = pd.DataFrame(
    [("LAY.A1", "A1", "LAY", 1), ("EKO.E1", "E1", "EKO", 1)],
    columns=["code", "name", "pillar", "position"],
)


def region_scores() -> pd.DataFrame:
    """Two regions' scores as `selectors.region_scores` reads them: a row per region."""
    return pd.DataFrame(
        [
            {
                "region": region,
                "region_code": f"19.0{region}",
                "region_name": name,
                "province_code": "19",
                "province_name": "P19",
                "index": index,
                "predikat": "Cukup" if index < 2 else "Baik",
                "preliminary": False,
                "LAY": lay,
                "EKO": eko,
            }
            for region, name, index, lay, eko in (
                (1, "Kota A", 2.0, 2.5, 1.5),
                (2, "Kota B", 1.0, 0.5, 1.5),
            )
        ]
    )


# What `selectors.score_means` averages in the database: the pillars' and elements' means.
MEANS = pd.DataFrame(
    [
        ("pillar", "LAY", 1.5, 1.0, 2),
        ("pillar", "EKO", 1.5, 1.0, 2),
        ("element", "LAY.A1", 1.5, 0.8, 2),
        ("element", "EKO.E1", 1.5, 1.6, 2),
    ],
    columns=["scope", "code", "mean", "gap", "regions"],
)


def heatmap_order(scores: pd.DataFrame, sort: str) -> list[str]:
    result = analysis.maturity(
        scores, means=MEANS, pillars=PILLARS, elements=ELEMENTS, bands=[], heatmap_sort=sort
    )
    return list(result.heatmap.index)


def test_maturity_distribution_means_heatmap_and_gaps():
    result = analysis.maturity(
        region_scores(),
        means=MEANS,
        pillars=PILLARS,
        elements=ELEMENTS,
        bands=["Kurang", "Cukup", "Baik"],
    )
    assert list(result.predikat["count"]) == [0, 1, 1]
    assert list(result.indices["current"]) == [2.0, 1.0]
    assert result.pillars.set_index("code").loc["LAY", "mean"] == pytest.approx(1.5)
    assert list(result.heatmap.columns) == ["LAY", "EKO", "index"]
    assert list(result.heatmap.index) == ["Kota A", "Kota B"]
    assert list(result.heatmap["LAY"]) == [2.5, 0.5]
    assert list(result.gaps["code"]) == ["EKO.E1", "LAY.A1"]
    by_lay = heatmap_order(region_scores().assign(LAY=[0.5, 2.5]), "LAY")
    assert by_lay == ["Kota B", "Kota A"]
    by_region = heatmap_order(region_scores().iloc[::-1], "region")
    assert by_region == ["Kota A", "Kota B"]


def test_maturity_leaves_out_of_the_heatmap_a_region_without_dimension_scores():
    scores = region_scores()
    scores.loc[1, ["LAY", "EKO"]] = np.nan
    result = analysis.maturity(
        scores, means=MEANS, pillars=PILLARS, elements=ELEMENTS, bands=["Cukup", "Baik"]
    )
    assert list(result.heatmap.index) == ["Kota A"]
    assert list(result.indices["region_name"]) == ["Kota A", "Kota B"]


def test_charts_carry_the_numbers_of_their_tables():
    table = analysis.progress_table(
        ROWS, today=datetime.date(2026, 7, 1), deadline=datetime.date(2026, 6, 30)
    )
    counts = analysis.status_counts(table)
    labels = {status: status.upper() for status in analysis.PROGRESS_STATUSES}
    bar = charts.status_bar(counts, labels)["data"][0]
    assert bar["type"] == "bar"
    assert bar["x"] == list(counts["count"])
    assert bar["y"][0] == "NOT_STARTED"
    areas = pd.DataFrame(
        {"code": ["19.01", "33.01"], "name": ["A", "B"], "status": ["draft", "approved"]}
    )
    status_map = charts.status_map(areas, labels, "/static/geo/regencies.geojson", "Status")
    assert [trace["name"] for trace in status_map["data"]] == ["DRAFT", "APPROVED"]
    assert status_map["layout"]["geo"]["fitbounds"] == "locations"
    score = charts.score_map(["19.01"], [2.0], ["A"], "/static/geo/regencies.geojson", 3.0)
    assert score["data"][0]["type"] == "choropleth"
    assert score["data"][0]["geojson"] == "/static/geo/regencies.geojson"
    assert score["data"][0]["featureidkey"] == "properties.code"


def test_maturity_charts_draw_the_analysis_with_missing_scores_as_null():
    scores = region_scores()
    scores.loc[1, "LAY"] = np.nan  # Kota B has no LAY score
    means = MEANS.copy()
    means.loc[0, "mean"] = 2.5  # the database averages the LAY score of Kota A alone
    result = analysis.maturity(
        scores, means=means, pillars=PILLARS, elements=ELEMENTS, bands=["Cukup", "Baik"]
    )
    heatmap = charts.heatmap(result.heatmap, 5.0)["data"][0]
    assert (heatmap["type"], heatmap["x"], heatmap["y"]) == (
        "heatmap",
        ["LAY", "EKO"],
        ["Kota A", "Kota B"],
    )
    assert heatmap["z"] == [[2.5, 1.5], [None, 1.5]]
    pillars = charts.pillar_means_bar(result.pillars, 5.0)["data"][0]
    assert pillars["x"] == ["LAY Layanan", "EKO Ekonomi", "KES Kesiapan"]
    assert pillars["y"] == [2.5, 1.5, None]  # no readiness rows: no mean, not 0
    gaps = charts.gap_bar(result.gaps)["data"][0]
    assert (gaps["x"], gaps["y"]) == ([1.6, 0.8], ["EKO.E1 E1", "LAY.A1 A1"])
    histogram = charts.index_histogram(result.indices, 5.0)["data"][0]
    assert (histogram["type"], histogram["x"]) == ("histogram", [2.0, 1.0])
    assert charts.predikat_bar(result.predikat)["data"][0]["y"] == [1, 1]
    trend = pd.DataFrame(
        {
            "scope": ["smart_city_index", "smart_city_index", "readiness_index"],
            "title": ["2025", "2026", "2026"],
            "mean": [1.234, 2.0, 1.5],
        }
    )
    lines = charts.trend_line(trend, 5.0)["data"]
    assert [(line["type"], line["x"], line["y"]) for line in lines] == [
        ("scatter", ["2025", "2026"], [1.23, 2.0]),
        ("scatter", ["2026"], [1.5]),
    ]


def test_chart_titles_and_names_are_translated():
    trend = pd.DataFrame({"scope": ["smart_city_index"], "title": ["2026"], "mean": [1.0]})
    with translation.override("id"):
        figure = charts.trend_line(trend, 5.0)
        assert figure["layout"]["title"]["text"] == "Rata-rata antarsiklus"
        assert figure["data"][0]["name"] == "Indeks kota cerdas"
        assert figure["layout"]["yaxis"]["title"]["text"] == "Nilai rata-rata"
    with translation.override("en"):
        assert charts.trend_line(trend, 5.0)["layout"]["title"]["text"] == "Mean over cycles"


def every_chart() -> dict[str, dict]:
    counts = pd.DataFrame({"status": list(analysis.PROGRESS_STATUSES), "count": [1, 0, 2, 0, 1, 3]})
    labels = {status: status for status in analysis.PROGRESS_STATUSES}
    provinces = pd.DataFrame(
        {"province_name": ["A"], "reported_rate": [0.5], "approved_rate": [0.25]}
    )
    matrix = pd.DataFrame({"LAY": [1.0, np.nan], "index": [1.0, 2.0]}, index=["Kota A", "Kota B"])
    pillars = pd.DataFrame(
        {"code": ["LAY"], "name": ["Layanan"], "kind": ["dimension"], "mean": [np.nan]}
    )
    gaps = pd.DataFrame({"code": ["LAY.A1"], "name": ["A1"], "gap": [1.0]})
    trend = pd.DataFrame({"scope": ["readiness_index"], "title": ["2026"], "mean": [1.0]})
    scores = pd.DataFrame({"scope": ["smart_city_index"], "year": [2026], "current": [np.nan]})
    dimensions = pd.DataFrame({"year": [2026], "code": ["LAY"], "current": [1.0]})
    areas = pd.DataFrame({"code": ["19.01"], "name": ["A"], "status": ["draft"]})
    groups = pd.DataFrame({"name": ["A"], "mean": [2.0], "evaluated": [1]})
    url = "/static/geo/regencies.geojson"
    return {
        "status_bar": charts.status_bar(counts, labels),
        "province_completion_bar": charts.province_completion_bar(provinces),
        "index_histogram": charts.index_histogram(pd.DataFrame({"current": [1.0]}), 5.0),
        "predikat_bar": charts.predikat_bar(pd.DataFrame({"predikat": ["Baik"], "count": [1]})),
        "pillar_means_bar": charts.pillar_means_bar(pillars, 5.0),
        "heatmap": charts.heatmap(matrix, 5.0),
        "gap_bar": charts.gap_bar(gaps),
        "trend_line": charts.trend_line(trend, 5.0),
        "region_trend": charts.region_trend(scores, 5.0),
        "region_dimensions": charts.region_dimensions(dimensions, 5.0),
        "score_map": charts.score_map(["19.01"], [np.nan], ["A"], url, 5.0),
        "status_map": charts.status_map(areas, labels, url, "Status"),
        "rate_map": charts.rate_map(["19"], [50.0], ["A"], url),
        "achievement_bar": charts.achievement_bar(groups, 5.0, "Achievement"),
    }


@pytest.mark.parametrize("name", list(every_chart()))
def test_every_chart_is_a_figure_plotly_accepts_in_strict_json(name):
    """The builders skip plotly.py's validation; here it checks every property name and value
    (an unknown one raises), and the figure is JSON without NaN, as the page sends it."""
    figure = every_chart()[name]
    go.Figure(figure)
    assert json.loads(json.dumps(figure, allow_nan=False)) == figure
    assert figure["layout"]["template"] == charts.TEMPLATE
