"""The report's Plotly figures: the data they carry, their texts in both languages, and the
peer chart's privacy."""

import json

import pandas as pd
import pytest
from django.utils import translation

from assessments import charts
from assessments.analysis import frame as f
from assessments.analysis.peers import peer_medians, peer_positions, peer_standing
from assessments.analysis.scores import score_tables, snapshot_rows
from tests.assessments.analysis.frames import SCALE_0_5, SPBE_BANDS, Row, responses
from tests.assessments.analysis.test_peers import cycle

ROWS = [
    Row("GOV.G1.1", 3, target=4),
    Row("GOV.G1.2", 1, target=3),
    Row("GOV.G2.1", 2, target=2),
    Row("ECO.E1.1", 4, target=5),
    Row("SOC.S1.1", na=True),
]
NAMES = {"GOV": "Tata Kelola", "ECO": "Ekonomi", "SOC": "Sosial"}


@pytest.fixture
def snapshots():
    return snapshot_rows(responses(ROWS), scale=SCALE_0_5, bands=SPBE_BANDS)


def test_radar_carries_current_target_and_median(snapshots):
    axes = charts.pillar_axes(
        snapshots, codes=["GOV", "ECO", "SOC"], names=NAMES, medians={"GOV": 2.5, "ECO": 3.0}
    )
    with translation.override("en"):
        figure = charts.radar(axes, scale=SCALE_0_5, title="Dimensions")
    current, target, median = figure.data
    assert [trace.name for trace in figure.data] == ["Current level", "Target", "National median"]
    assert list(current.theta) == ["Tata Kelola", "Ekonomi", "Sosial", "Tata Kelola"]
    assert list(current.r) == [2.0, 4.0, None, 2.0]  # GOV: ((3 + 1) / 2 + 2) / 2
    assert list(target.r) == [2.75, 5.0, None, 2.75]  # GOV: ((4 + 3) / 2 + 2) / 2
    assert list(median.r) == [2.5, 3.0, None, 2.5]
    assert figure.layout.polar.radialaxis.range == (0, 5)


def test_radar_without_medians_has_no_median_trace_and_speaks_indonesian(snapshots):
    axes = charts.pillar_axes(snapshots, codes=["GOV", "ECO"], names=NAMES, medians={})
    with translation.override("id"):
        figure = charts.radar(axes, scale=SCALE_0_5, title="Kesiapan")
    assert [trace.name for trace in figure.data] == ["Level saat ini", "Target"]
    assert "Level saat ini" in figure.data[0].hovertemplate


def test_gap_bars_are_sorted_largest_on_top(snapshots):
    elements = snapshots[snapshots[f.SCOPE] == "element"]
    rows = pd.DataFrame({charts.LABEL: elements[f.CODE], f.GAP: elements[f.GAP]})
    with translation.override("en"):
        figure = charts.gap_bars(rows, scale=SCALE_0_5, title="Gaps")
    (bars,) = figure.data
    # Horizontal bars are drawn bottom-up: the largest gap comes last.
    assert list(bars.y) == ["GOV.G2", "ECO.E1", "GOV.G1"]  # SOC.S1 has no gap (N/A)
    assert list(bars.x) == [0.0, 1.0, 1.5]
    assert figure.layout.xaxis.title.text == "Gap (levels)"


def test_heatmap_has_one_row_per_element_and_empty_cells_for_na():
    indicators = score_tables(responses(ROWS), scale=SCALE_0_5).indicators
    figure = charts.level_heatmap(
        indicators,
        element_names={"GOV.G1": "Birokrasi"},
        indicator_names={"GOV.G1.1": "Layanan"},
        scale=SCALE_0_5,
        title="Levels",
    )
    (cells,) = figure.data
    assert list(figure.layout.yaxis.categoryarray) == ["Birokrasi", "GOV.G2", "ECO.E1", "SOC.S1"]
    # One square per indicator with a level; SOC.S1.1 (N/A) has none, so its cell stays empty.
    assert list(zip(cells.y, cells.x, cells.marker.color, strict=True)) == [
        ("Birokrasi", 1, 3.0),
        ("Birokrasi", 2, 1.0),
        ("GOV.G2", 1, 2.0),
        ("ECO.E1", 1, 4.0),
    ]
    assert cells.customdata[0] == "GOV.G1.1 Layanan"
    assert (cells.marker.cmin, cells.marker.cmax) == (0, 5)


def test_trend_lines_one_per_label_and_a_percent_axis_when_normalised():
    series = pd.DataFrame(
        [("2024", "Indeks", 40.0), ("2025", "Indeks", 55.0), ("2024", "GOV", 30.0)],
        columns=list(charts.TREND_COLUMNS),
    )
    with translation.override("id"):
        figure = charts.trend_lines(series, scale=SCALE_0_5, normalised=True, title="Tren")
    assert [(t.name, list(t.x), list(t.y)) for t in figure.data] == [
        ("Indeks", ["2024", "2025"], [40.0, 55.0]),
        ("GOV", ["2024"], [30.0]),
    ]
    assert figure.layout.yaxis.title.text == "Persen dari skala"
    assert figure.layout.yaxis.range == (0, 100)


def test_peer_position_shows_the_region_alone_and_no_other_region():
    names = [f"19.{n:02d}" for n in range(1, 5)] + [f"32.{n:02d}" for n in range(1, 27)]
    scores = {name: n / 10 + 0.013 for n, name in enumerate(names, start=1)}
    snapshots, regions = cycle(scores, {n: n[:2] for n in names}, dict.fromkeys(names, 2022))
    standing = peer_standing(
        peer_positions(snapshots, regions),
        peer_medians(snapshots, regions),
        regions,
        region="19.02",
    )
    with translation.override("en"):
        figure = charts.peer_position(standing, title="Kota Pangkalpinang")
    (marker,) = figure.data
    assert list(marker.y) == ["Cohort", "Nation"]  # province 19 has only 4 regions
    assert list(marker.x) == [pytest.approx(1.5 / 30 * 100)] * 2
    assert [a.text for a in figure.layout.annotations] == ["Too few regions to compare"]
    assert len(figure.layout.shapes) == 4  # the quartile bands
    text = json.dumps(figure.to_plotly_json(), default=str)
    assert not [code for code in names if code != "19.02" and code in text]
    others = {score for region, score in scores.items() if region != "19.02"}
    assert not others & set(_numbers(figure.to_plotly_json()["data"]))


def _numbers(node):
    """Every number anywhere in a figure's JSON-like structure."""
    if isinstance(node, bool):
        return
    if isinstance(node, int | float):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _numbers(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _numbers(value)
