"""The pure pre-computation of a round, on hand-made frames (no database)."""

import math

import pandas as pd
import pytest

from evaluations import scoring
from evaluations.scoring import Dimension, Frames, RoundParams

pytestmark = pytest.mark.usefixtures("english")  # the formulas are checked in English

ITEMS = [
    # item, region, title, pillar, horizon, start, end, budget
    (1, 10, "Perwal Satu Data", "SUP", "quick_win", 2026, 2026, 100),
    (2, 10, "Tim Pelaksana aktif", "STR", "medium", 2026, 2027, 100),
    (3, 10, "Aplikasi layanan", "GOV", "medium", 2026, 2028, 600),
    (4, 10, "Portal wisata", "BRA", "quick_win", 2026, 2026, 200),
    (5, 10, "Sensor banjir", "ENV", "long", 2029, 2033, 5000),  # not planned yet in 2026
    (6, 10, "Kios pasar", "ECO", "medium", 2026, 2027, 300),
    (7, 20, "Lain", "GOV", "medium", 2026, 2027, 0),
]
PROGRESS = [
    (1, "done", 100, 2026),
    (2, "in_progress", 50, None),
    (3, "in_progress", 40, None),
    (4, "delayed", 20, None),
    (6, "cancelled", 0, None),
]


def frames(indexes=(), readiness=(), items=ITEMS, progress=PROGRESS) -> Frames:
    return Frames(
        pd.DataFrame(list(indexes), columns=scoring.INDEX_COLUMNS),
        pd.DataFrame(list(readiness), columns=scoring.READINESS_COLUMNS),
        pd.DataFrame(list(items), columns=scoring.ITEM_COLUMNS),
        pd.DataFrame(list(progress), columns=scoring.PROGRESS_COLUMNS),
    )


def test_baseline_is_the_change_between_the_last_two_approved_cycles():
    indexes = [
        (10, 2024, 2.5),
        (10, 2025, 3.06),
        (10, 2026, 3.31),
        (10, 2027, 4.0),
        (20, 2026, 3.0),
    ]
    result = scoring.precompute(frames(indexes), RoundParams(year=2026), [10, 20, 30])
    baseline = result[10][Dimension.BASELINE]
    assert baseline["inputs"] == {
        "year_now": 2026, "index_now": 3.31, "year_before": 2025, "index_before": 3.06,
        "change": 0.25,
    }  # fmt: skip
    assert baseline["score"] == 3.5  # 3 + 2 x 0.25
    # one cycle only, or none: missing, never 0
    assert result[20][Dimension.BASELINE]["score"] is None
    assert result[30][Dimension.BASELINE]["score"] is None


def test_baseline_stays_on_the_scale():
    indexes = [(10, 2025, 1.0), (10, 2026, 4.0)]
    result = scoring.precompute(frames(indexes), RoundParams(year=2026), [10])
    assert result[10][Dimension.BASELINE]["score"] == 5.0


def test_outcome_is_the_budget_weighted_share_of_planned_programs_running():
    result = scoring.precompute(frames(), RoundParams(year=2026), [10, 20])
    outcome = result[10][Dimension.OUTCOME]
    # planned in 2026 and not cancelled: items 1-4 (budget 1000); running or done: 1, 2, 3 (800)
    assert outcome["inputs"]["planned"] == 4
    assert outcome["inputs"]["running"] == 3
    assert outcome["inputs"]["weighted_by"] == "budget"
    assert outcome["inputs"]["share"] == 0.8
    assert outcome["score"] == pytest.approx(1 + 4 * 0.8)
    # region 20: nothing budgeted, nothing reported: by count, 0 of 1 running
    assert result[20][Dimension.OUTCOME]["inputs"]["weighted_by"] == "count"
    assert result[20][Dimension.OUTCOME]["score"] == 1.0


def test_programs_are_counted_per_dimension():
    result = scoring.precompute(frames(), RoundParams(year=2026), [10])
    programs = {row["pillar"]: row for row in result[10]["programs"]}
    assert set(programs) == {"SUP", "STR", "GOV", "BRA", "ECO"}  # ENV starts in 2029
    assert programs["BRA"] == {
        "pillar": "BRA", "planned": 1, "running": 0, "done": 0, "delayed": 1, "cancelled": 0,
        "share": 0.0,
    }  # fmt: skip
    assert programs["ECO"]["planned"] == 0 and programs["ECO"]["cancelled"] == 1
    assert programs["ECO"]["share"] is None


def test_nine_of_ten_programs_running():
    items = [(i, 1, f"P{i}", "LIV", "medium", 2026, 2028, 10) for i in range(10)]
    progress = [(i, "in_progress" if i < 9 else "not_started", 10, None) for i in range(10)]
    result = scoring.precompute(frames(items=items, progress=progress), RoundParams(year=2026), [1])
    [line] = result[1]["programs"]
    assert (line["running"], line["planned"], line["share"]) == (9, 10, 0.9)


def test_output_from_foundation_readiness_and_governance_items():
    readiness = [(10, "SUP", 3.0), (10, "STR", 2.0), (10, "INF", 5.0)]
    result = scoring.precompute(frames(readiness=readiness), RoundParams(year=2026), [10, 20])
    output = result[10][Dimension.OUTPUT]
    # readiness mean of SUP and STR = 2.5; governance items 1 (done) and 2 (50 %): 0.75 -> 4.0
    assert output["inputs"]["readiness"] == 2.5
    assert output["inputs"]["governance"] == 4.0
    assert output["inputs"]["governance_done"] == 1
    assert output["score"] == 3.25
    assert result[20][Dimension.OUTPUT]["score"] is None


def test_quick_wins_delivered_on_time():
    progress = [(1, "done", 100, 2026), (4, "done", 100, 2027)]
    result = scoring.precompute(frames(progress=progress), RoundParams(year=2027), [10])
    quick = result[10][Dimension.QUICK_WIN]
    assert quick["inputs"] == {"due": 2, "on_time": 1}  # item 4 was done a year late
    assert quick["score"] == 3.0
    early = scoring.precompute(frames(progress=progress), RoundParams(year=2025), [10])
    assert early[10][Dimension.QUICK_WIN]["score"] is None  # nothing due yet


def test_impact_is_never_pre_computed():
    result = scoring.precompute(frames(), RoundParams(year=2026), [10])
    assert result[10][Dimension.IMPACT]["score"] is None


def test_weights_read_from_the_round_change_the_index():
    scores = {"BASELINE": 4.0, "OUTPUT": 3.0, "OUTCOME": 2.0, "IMPACT": 3.0, "QUICK_WIN": 5.0}
    one_year = {"BASELINE": 10, "OUTPUT": 20, "OUTCOME": 30, "IMPACT": 30, "QUICK_WIN": 10}
    other_year = {"BASELINE": 15, "OUTPUT": 15, "OUTCOME": 30, "IMPACT": 20, "QUICK_WIN": 20}
    assert scoring.achievement_index(scores, one_year) == (3.0, list(scoring.DIMENSIONS))
    assert scoring.achievement_index(scores, other_year)[0] == 3.25


def test_missing_dimensions_drop_out_of_the_index_instead_of_counting_as_zero():
    scores = {"BASELINE": None, "OUTPUT": 3.0, "OUTCOME": 2.0, "IMPACT": None, "QUICK_WIN": None}
    index, used = scoring.achievement_index(scores, scoring.DEFAULT_WEIGHTS)
    assert used == ["OUTPUT", "OUTCOME"]
    assert index == pytest.approx((3 * 20 + 2 * 30) / 50, abs=0.01)
    assert scoring.achievement_index(
        dict.fromkeys(scoring.DIMENSIONS), scoring.DEFAULT_WEIGHTS
    ) == (None, [])


def test_judgements_replace_computed_scores_and_quality_joins_quick_win_delivery():
    computed = {"OUTCOME": {"score": 2.0}, "QUICK_WIN": {"score": 3.0}, "IMPACT": {"score": None}}
    scores = scoring.final_scores(
        computed, {"OUTCOME": 2.5, "IMPACT": 4.0, "QUICK_WIN_QUALITY": 5.0}
    )
    assert scores == {
        "BASELINE": None,
        "OUTPUT": None,
        "OUTCOME": 2.5,
        "IMPACT": 4.0,
        "QUICK_WIN": 4.0,
    }


def test_vectorised_index_matches_the_row_by_row_one():
    table = pd.DataFrame(
        [[4.0, 3.0, math.nan, 3.0, 5.0], [math.nan] * 5], columns=scoring.DIMENSIONS
    )
    weights = pd.DataFrame([list(scoring.DEFAULT_WEIGHTS.values())] * 2, columns=scoring.DIMENSIONS)
    index = scoring.achievement_frame(table, weights)
    expected = scoring.achievement_index(
        {"BASELINE": 4.0, "OUTPUT": 3.0, "OUTCOME": None, "IMPACT": 3.0, "QUICK_WIN": 5.0},
        scoring.DEFAULT_WEIGHTS,
    )[0]
    assert index[0] == expected
    assert math.isnan(index[1])


def test_stage_reached_is_the_band_of_the_index():
    params = RoundParams(year=2026)
    assert scoring.stage_of(3.31, params) == "Terdefinisi"
    assert scoring.stage_of(1.2, params) == "Rintisan"
    assert scoring.stage_of(None, params) is None
    assert (
        scoring.stage_of(3.31, RoundParams(year=2026, scale_min=0, scale_max=4))
        == "Terpadu dan Terukur"
    )


def test_formulas_show_their_numbers_and_missing_is_said():
    indexes = [(10, 2025, 3.06), (10, 2026, 3.31)]
    params = RoundParams(year=2026)
    result = scoring.precompute(frames(indexes), params, [10, 99])
    text = scoring.formula_text(Dimension.BASELINE, result[10][Dimension.BASELINE], params)
    assert "3.31" in text and "3.06" in text and text.endswith("= 3.5")
    outcome = scoring.formula_text(Dimension.OUTCOME, result[10][Dimension.OUTCOME], params)
    assert "Rp800 of Rp1.000" in outcome
    assert scoring.formula_text(
        Dimension.BASELINE, result[99][Dimension.BASELINE], params
    ).startswith("Missing")


def test_lagging_items_are_listed_for_the_suggestions():
    result = scoring.precompute(frames(), RoundParams(year=2028), [10])
    lagging = {row["item_id"]: row for row in result[10]["lagging"]}
    # 2 is past its end year unfinished, 4 delayed and past it; 3 runs until 2028, 1 is done
    assert set(lagging) == {2, 4}
    assert lagging[4]["overdue"] and lagging[4]["status"] == "delayed"
    assert lagging[2]["overdue"] and lagging[2]["status"] == "in_progress"
