"""Scores, targets, gaps and the level basis, against hand-computed results."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.analysis import frame as f
from assessments.analysis.scores import assessment_basis, score_tables, snapshot_rows
from tests.assessments.analysis.frames import SCALE_0_5, SPBE_BANDS, Row, responses, scored


def rows_of(rows, scale=SCALE_0_5, bands=SPBE_BANDS):
    return snapshot_rows(responses(rows), scale=scale, bands=bands)


def test_weights_at_every_level():
    snapshots = rows_of(
        [
            Row("GOV.G1.1", 3, weight=2),
            Row("GOV.G1.2", 1),
            Row("GOV.G2.1", 4, element_weight=3),
            Row("ECO.E1.1", 2, pillar_weight=2),
        ]
    )
    assert scored(snapshots, "element", "GOV.G1") == pytest.approx(7 / 3)  # (3*2 + 1) / 3
    assert scored(snapshots, "element", "GOV.G2") == 4
    assert scored(snapshots, "pillar", "GOV") == pytest.approx((7 / 3 + 4 * 3) / 4)
    index = ((7 / 3 + 12) / 4 * 1 + 2 * 2) / 3
    assert scored(snapshots, "smart_city_index", "INDEX") == pytest.approx(index)
    assert scored(snapshots, "pillar", "GOV", f.PREDIKAT) == "Sangat Baik"  # 3.58
    assert scored(snapshots, "pillar", "ECO", f.PREDIKAT) == "Cukup"  # 2.0
    assert scored(snapshots, "smart_city_index", "INDEX", f.PREDIKAT) == "Cukup"  # 2.53
    assert pd.isna(scored(snapshots, "element", "GOV.G1", f.PREDIKAT))
    assert pd.isna(scored(snapshots, "indicator", "GOV.G1.1", f.PREDIKAT))


def test_snapshot_rows_have_the_schema_and_a_stable_order():
    snapshots = rows_of(
        [Row("GOV.G1.2", 1), Row("GOV.G1.1", 2), Row("STR.S1.1", 3, kind="readiness")]
    )
    assert tuple(snapshots.columns) == f.SNAPSHOT_COLUMNS
    assert list(zip(snapshots[f.SCOPE], snapshots[f.CODE], strict=True)) == [
        ("indicator", "GOV.G1.1"),
        ("indicator", "GOV.G1.2"),
        ("indicator", "STR.S1.1"),
        ("element", "GOV.G1"),
        ("element", "STR.S1"),
        ("pillar", "GOV"),
        ("pillar", "STR"),
        ("smart_city_index", "INDEX"),
        ("readiness_index", "READINESS"),
    ]
    # Readiness pillars stay out of the smart-city index and make their own.
    assert scored(snapshots, "smart_city_index", "INDEX") == 1.5
    assert scored(snapshots, "readiness_index", "READINESS") == 3


def test_not_applicable_drops_out_of_its_element():
    snapshots = rows_of([Row("GOV.G1.1", 4), Row("GOV.G1.2", na=True, target=5)])
    assert scored(snapshots, "element", "GOV.G1") == 4  # not (4 + 0) / 2
    assert pd.isna(scored(snapshots, "indicator", "GOV.G1.2"))
    assert pd.isna(scored(snapshots, "indicator", "GOV.G1.2", f.TARGET_SCORE))
    assert pd.isna(scored(snapshots, "indicator", "GOV.G1.2", f.GAP))


def test_element_with_everything_na_is_no_data_and_drops_out_of_the_pillar():
    snapshots = rows_of(
        [
            Row("GOV.G1.1", na=True),
            Row("GOV.G1.2", na=True),
            Row("GOV.G2.1", 2),
            Row("ECO.E1.1", na=True),
            Row("SOC.S1.1", 4),
        ]
    )
    assert math.isnan(scored(snapshots, "element", "GOV.G1"))
    assert pd.isna(scored(snapshots, "element", "GOV.G1", f.BASIS))
    assert scored(snapshots, "pillar", "GOV") == 2  # not (0 + 2) / 2
    assert math.isnan(scored(snapshots, "pillar", "ECO"))
    assert pd.isna(scored(snapshots, "pillar", "ECO", f.PREDIKAT))
    assert scored(snapshots, "smart_city_index", "INDEX") == 3  # (2 + 4) / 2, ECO left out


def test_everything_na_gives_an_index_of_no_data():
    snapshots = rows_of([Row("GOV.G1.1", na=True)])
    assert math.isnan(scored(snapshots, "smart_city_index", "INDEX"))
    assert pd.isna(scored(snapshots, "smart_city_index", "INDEX", f.PREDIKAT))


def test_framework_of_levels_1_to_5_without_readiness_pillars():
    scale = f.Scale(1, 5)
    bands = (f.Band(1, 3, "Rendah", "Low"), f.Band(3, 5, "Tinggi", "High"))
    snapshots = rows_of([Row("GOV.G1.1", 1), Row("GOV.G1.2", 5), Row("ECO.E1.1", 5)], scale, bands)
    assert set(snapshots[f.SCOPE]) == {"indicator", "element", "pillar", "smart_city_index"}
    assert scored(snapshots, "smart_city_index", "INDEX") == 4  # (3 + 5) / 2
    assert scored(snapshots, "smart_city_index", "INDEX", f.PREDIKAT) == "Tinggi"
    assert scored(snapshots, "pillar", "ECO", f.PREDIKAT) == "Tinggi"  # top band includes 5
    with pytest.raises(f.ResponseFrameError, match="outside the scale 1-5"):
        rows_of([Row("GOV.G1.1", 0)], scale, bands)


def test_scale_of_0_to_9():
    scale = f.Scale(0, 9)
    bands = (f.Band(0, 4.5, "Bawah", "Lower"), f.Band(4.5, 9, "Atas", "Upper"))
    snapshots = rows_of([Row("GOV.G1.1", 9, target=9), Row("GOV.G1.2", 0, target=7)], scale, bands)
    assert scored(snapshots, "element", "GOV.G1") == 4.5
    assert scored(snapshots, "element", "GOV.G1", f.GAP) == 3.5  # (0 + 7) / 2
    assert scored(snapshots, "pillar", "GOV", f.PREDIKAT) == "Atas"
    with pytest.raises(f.ResponseFrameError, match="target_level: levels outside the scale 0-9"):
        rows_of([Row("GOV.G1.1", 9, target=10)], scale, bands)


@pytest.mark.parametrize(("lowest", "highest"), [(2, 5), (0, 0), (1, 11), (0, 10)])
def test_impossible_scales_are_refused(lowest, highest):
    with pytest.raises(ValueError):
        f.Scale(lowest, highest)


def test_level_used_and_its_basis():
    snapshots = rows_of(
        [
            Row("GOV.G1.1", 4, verified=2, state=f.ADJUSTED),
            Row("GOV.G1.2", 3, verified=3, state=f.ACCEPTED),
            Row("GOV.G2.1", 5),  # not reviewed: the self level
            Row("GOV.G2.2", na=True, verified=2, state=f.ADJUSTED),  # N/A given a level
            Row("GOV.G3.1", na=True, state=f.ACCEPTED),  # N/A accepted
        ]
    )
    assert scored(snapshots, "indicator", "GOV.G1.1") == 2
    assert scored(snapshots, "indicator", "GOV.G1.1", f.BASIS) == "verified"
    assert scored(snapshots, "indicator", "GOV.G2.1", f.BASIS) == "self"
    assert scored(snapshots, "indicator", "GOV.G2.2") == 2
    assert pd.isna(scored(snapshots, "indicator", "GOV.G3.1"))
    assert scored(snapshots, "element", "GOV.G1", f.BASIS) == "verified"
    assert scored(snapshots, "element", "GOV.G2") == 3.5
    assert scored(snapshots, "element", "GOV.G2", f.BASIS) == "mixed"
    assert scored(snapshots, "pillar", "GOV", f.BASIS) == "mixed"
    assert scored(snapshots, "smart_city_index", "INDEX", f.BASIS) == "mixed"


def test_assessment_basis_summarises_each_assessment():
    frame = pd.concat(
        [
            responses([Row("GOV.G1.1", 2)], assessment=1),
            responses([Row("GOV.G1.1", 2, verified=2, state=f.ACCEPTED)], assessment=2),
            responses(
                [Row("GOV.G1.1", 2, verified=1, state=f.ADJUSTED), Row("GOV.G1.2", 3)],
                assessment=3,
            ),
        ]
    )
    basis = assessment_basis(score_tables(frame, scale=SCALE_0_5))
    assert basis.to_dict() == {1: "self", 2: "verified", 3: "mixed"}


def test_gaps_roll_up_from_the_gaps_below_so_one_above_target_hides_nothing():
    snapshots = rows_of(
        [
            Row("GOV.G1.1", 4, target=2),  # above target: gap 0
            Row("GOV.G1.2", 1, target=3),  # gap 2
            Row("GOV.G1.3", 2),  # no target: no gap, drops out
            Row("GOV.G2.1", 1, target=4, weight=3),  # gap 3
        ]
    )
    assert scored(snapshots, "indicator", "GOV.G1.1", f.GAP) == 0
    assert pd.isna(scored(snapshots, "indicator", "GOV.G1.3", f.GAP))
    assert scored(snapshots, "element", "GOV.G1", f.TARGET_SCORE) == 2.5  # (2 + 3) / 2
    assert scored(snapshots, "element", "GOV.G1") == pytest.approx(7 / 3)
    assert scored(snapshots, "element", "GOV.G1", f.GAP) == 1  # (0 + 2) / 2, not 2.5 - 2.33
    assert scored(snapshots, "pillar", "GOV", f.GAP) == 2  # (1 + 3) / 2
    assert scored(snapshots, "smart_city_index", "INDEX", f.GAP) == 2


def test_validator_lists_every_problem():
    frame = responses([Row("GOV.G1.1", 7, state="maybe", weight=0), Row("GOV.G1.1", 1)])
    with pytest.raises(f.ResponseFrameError) as raised:
        rows_of_frame = snapshot_rows(frame, scale=SCALE_0_5, bands=SPBE_BANDS)
        del rows_of_frame
    problems = " | ".join(raised.value.problems)
    assert "self_level: levels outside the scale 0-5 (GOV.G1.1)" in problems
    assert "indicator_weight" in problems
    assert "review_state" in problems
    assert "twice" in problems
    with pytest.raises(f.ResponseFrameError, match="missing columns: target_level"):
        snapshot_rows(frame.drop(columns=f.TARGET), scale=SCALE_0_5, bands=SPBE_BANDS)


def test_band_for_returns_both_languages():
    assert f.band_for(1.8, SPBE_BANDS).label_en == "Fair"
    assert f.band_for(5.0, SPBE_BANDS).label_id == "Memuaskan"
    assert f.band_for(float("nan"), SPBE_BANDS) is None
    assert f.band_for(5.1, SPBE_BANDS) is None


def _cycle(assessments: int, seed: int) -> pd.DataFrame:
    import numpy as np

    rng = np.random.default_rng(seed)
    codes = [f"{p}.{p[0]}{e}.{i}" for p in ("GOV", "ECO", "STR") for e in (1, 2) for i in (1, 2, 3)]
    frames = []
    for number in range(1, assessments + 1):
        rows = []
        for code in codes:
            level = int(rng.integers(0, 6))
            reviewed = rng.random() < 0.5
            rows.append(
                Row(
                    code,
                    level,
                    verified=max(0, level - int(rng.integers(0, 3))) if reviewed else None,
                    state=f.ADJUSTED if reviewed else f.PENDING,
                    target=min(5, level + int(rng.integers(0, 3))) if rng.random() < 0.8 else None,
                    na=bool(rng.random() < 0.15),
                    weight=float(rng.integers(1, 4)),
                    kind="readiness" if code.startswith("STR") else "dimension",
                    element_weight=2.0 if ".E2." in code or ".S2." in code else 1.0,
                    pillar_weight=1.5 if code.startswith("ECO") else 1.0,
                )
            )
        frames.append(responses(rows, assessment=number, region=f"19.{number:02d}"))
    return pd.concat(frames, ignore_index=True)


def test_cycle_wide_pass_equals_one_pass_per_assessment():
    cycle = _cycle(12, seed=7)
    together = snapshot_rows(cycle, scale=SCALE_0_5, bands=SPBE_BANDS)
    one_by_one = pd.concat(
        [
            snapshot_rows(part, scale=SCALE_0_5, bands=SPBE_BANDS)
            for _, part in cycle.groupby(f.ASSESSMENT)
        ],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(together, one_by_one)
    assert together[f.ASSESSMENT].nunique() == 12


@st.composite
def frameworks_and_answers(draw):
    """A scale (from 0 or 1, 2 to 10 levels) and up to 12 answers on it, in two pillars, one of
    them readiness, with random weights, reviews, targets and N/A."""
    lowest = draw(st.sampled_from([0, 1]))
    scale = f.Scale(lowest, lowest + draw(st.integers(1, 9)))
    level = st.one_of(st.none(), st.integers(scale.lowest, scale.highest))
    answers = draw(
        st.lists(
            st.tuples(level, level, st.booleans(), level, st.booleans(), st.integers(1, 5)),
            min_size=1,
            max_size=12,
        )
    )
    rows = [
        Row(
            f"{'GOV' if n % 2 else 'STR'}.X{n % 3}.{n}",
            own,
            verified=checked,
            state=f.ADJUSTED if reviewed else f.PENDING,
            target=target,
            na=na,
            weight=weight,
            kind=f.DIMENSION if n % 2 else f.READINESS,
            element_weight=1 + n % 3,
        )
        for n, (own, checked, reviewed, target, na, weight) in enumerate(answers)
    ]
    return scale, rows


@settings(max_examples=30, deadline=None)
@given(frameworks_and_answers())
def test_scores_stay_within_the_scale_and_gaps_never_go_negative(drawn):
    scale, rows = drawn
    bands = (f.Band(scale.lowest, scale.highest, "Semua", "All"),)
    snapshots = rows_of(rows, scale, bands)
    assert snapshots[f.CURRENT].dropna().between(scale.lowest, scale.highest).all()
    assert snapshots[f.TARGET_SCORE].dropna().between(scale.lowest, scale.highest).all()
    assert snapshots[f.GAP].dropna().between(0, scale.span).all()
    # Every score with data has a basis and, on pillar and index rows, a predikat.
    scored_rows = snapshots[snapshots[f.CURRENT].notna()]
    assert scored_rows[f.BASIS].notna().all()
    banded = scored_rows[scored_rows[f.SCOPE] != "indicator"]
    assert banded.loc[banded[f.SCOPE] != "element", f.PREDIKAT].eq("Semua").all()
