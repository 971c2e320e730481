"""Trend against earlier cycles, across a framework version change and a scale change."""

import pandas as pd
import pytest

from assessments.analysis import frame as f
from assessments.analysis.scores import score_tables
from assessments.analysis.trend import (
    CHANGE,
    EARLIER_CYCLE,
    MARKER,
    NORMALISED,
    PREVIOUS,
    RELATED,
    EarlierFramework,
    trend,
)
from tests.assessments.analysis.frames import SCALE_0_5, Row, responses

CURRENT_ROWS = [
    Row("GOV.G1.1", 3),
    Row("GOV.G1.2a", 4),  # split from GOV.G1.2
    Row("GOV.G1.2b", 1),  # split from GOV.G1.2
    Row("GOV.G2.1", 2),  # new
    Row("ECO.E1.1", 5),
    Row("ECO.E1.2", 2),  # N/A in the earlier cycle
]
CODE_MAP = {
    "GOV.G1.1": ["GOV.G1.1"],
    "GOV.G1.2": ["GOV.G1.2a", "GOV.G1.2b"],
    "ECO.E1.1": ["ECO.E1.1"],
    "ECO.E1.2": ["ECO.E1.2"],
}  # GOV.G2.9 has no successor: dropped


def earlier(label, levels, region="19.71"):
    return pd.DataFrame(
        [(label, region, code, level) for code, level in levels.items()],
        columns=[EARLIER_CYCLE, f.REGION, f.INDICATOR, f.CURRENT],
    )


def change(result, scope, code, cycle="2025"):
    rows = result.changes
    match = rows[(rows[f.SCOPE] == scope) & (rows[f.CODE] == code) & (rows[EARLIER_CYCLE] == cycle)]
    assert len(match) == 1, rows
    return match.iloc[0]


def test_trend_across_a_framework_version_with_a_split_indicator():
    tables = score_tables(responses(CURRENT_ROWS), scale=SCALE_0_5)
    history = earlier(
        "2025",
        {"GOV.G1.1": 1, "GOV.G1.2": 2, "GOV.G2.9": 3, "ECO.E1.1": 4, "ECO.E1.2": float("nan")},
    )
    result = trend(
        tables, history, {"2025": EarlierFramework(SCALE_0_5, CODE_MAP)}, scale=SCALE_0_5
    )
    # GOV.G1: only GOV.G1.1 is comparable (1 -> 3); the split pair and the new one are not.
    assert change(result, "element", "GOV.G1")[[PREVIOUS, f.CURRENT, CHANGE]].tolist() == [1, 3, 2]
    assert not (result.changes[f.CODE] == "GOV.G2").any()  # nothing comparable there
    # ECO.E1: ECO.E1.2 was N/A then, so only ECO.E1.1 counts, in both cycles (4 -> 5).
    assert change(result, "element", "ECO.E1")[[PREVIOUS, f.CURRENT]].tolist() == [4, 5]
    index = change(result, "smart_city_index", "INDEX")
    assert index[[PREVIOUS, f.CURRENT, CHANGE]].tolist() == [2.5, 4, 1.5]  # (1 + 4)/2 -> (3 + 5)/2
    assert not index[NORMALISED]
    markers = {
        (m, code, related)
        for m, code, related in result.markers[[MARKER, f.INDICATOR, RELATED]].itertuples(
            index=False
        )
    }
    assert markers == {
        ("split", "GOV.G1.2", "GOV.G1.2a, GOV.G1.2b"),
        ("dropped", "GOV.G2.9", ""),
        ("new", "GOV.G2.1", ""),
    }
    assert result.markers.set_index(f.INDICATOR).loc["GOV.G2.1", f.ELEMENT] == "GOV.G2"


def test_merged_indicators_are_not_comparable():
    tables = score_tables(responses([Row("GOV.G1.1", 3), Row("GOV.G1.2", 2)]), scale=SCALE_0_5)
    history = earlier("2025", {"GOV.G1.1": 1, "GOV.G1.8": 1, "GOV.G1.9": 2})
    code_map = {"GOV.G1.1": ["GOV.G1.1"], "GOV.G1.8": ["GOV.G1.2"], "GOV.G1.9": ["GOV.G1.2"]}
    result = trend(
        tables, history, {"2025": EarlierFramework(SCALE_0_5, code_map)}, scale=SCALE_0_5
    )
    assert result.markers[[MARKER, f.INDICATOR, RELATED]].values.tolist() == [
        ["merged", "GOV.G1.2", "GOV.G1.8, GOV.G1.9"]
    ]
    assert change(result, "element", "GOV.G1")[CHANGE] == 2


def test_a_changed_scale_is_compared_on_percent_of_scale_and_marked():
    tables = score_tables(responses([Row("GOV.G1.1", 3)]), scale=SCALE_0_5)
    history = earlier("2024", {"GOV.G1.1": 3})
    result = trend(tables, history, {"2024": EarlierFramework(f.Scale(1, 5))}, scale=SCALE_0_5)
    row = change(result, "smart_city_index", "INDEX", cycle="2024")
    assert row[PREVIOUS] == 50  # 3 on 1-5
    assert row[f.CURRENT] == 60  # 3 on 0-5
    assert row[CHANGE] == pytest.approx(10)
    assert row[NORMALISED]


def test_trend_of_a_whole_cycle_against_several_earlier_cycles():
    frame = pd.concat(
        [
            responses([Row("GOV.G1.1", 3)], assessment=1, region="19.71"),
            responses([Row("GOV.G1.1", 2)], assessment=2, region="19.04"),
        ]
    )
    history = pd.concat(
        [
            earlier("2024", {"GOV.G1.1": 1}, region="19.71"),
            earlier("2025", {"GOV.G1.1": 2}, region="19.71"),
            earlier("2025", {"GOV.G1.1": 4}, region="19.04"),
        ]
    )
    frameworks = {"2024": EarlierFramework(SCALE_0_5), "2025": EarlierFramework(SCALE_0_5)}
    result = trend(score_tables(frame, scale=SCALE_0_5), history, frameworks, scale=SCALE_0_5)
    index = result.changes[result.changes[f.SCOPE] == "smart_city_index"]
    assert index[[f.REGION, EARLIER_CYCLE, CHANGE]].values.tolist() == [
        ["19.71", "2024", 2.0],
        ["19.71", "2025", 1.0],
        ["19.04", "2025", -2.0],
    ]
    assert result.markers.empty


def test_no_earlier_cycle_gives_empty_tables():
    tables = score_tables(responses([Row("GOV.G1.1", 3)]), scale=SCALE_0_5)
    result = trend(tables, earlier("2025", {}), {}, scale=SCALE_0_5)
    assert result.changes.empty and result.markers.empty
