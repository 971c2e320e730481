"""Priorities, strengths, self versus verified and the consistency checks."""

import pandas as pd
import pytest

from assessments.analysis import frame as f
from assessments.analysis.checks import (
    LARGEST_DIFFERENCE,
    LARGEST_INDICATOR,
    MEAN_DIFFERENCE,
    REVIEWED,
    consistency_checks,
    self_versus_verified,
)
from assessments.analysis.priorities import PRIORITY, priorities, top_gaps, top_strengths
from assessments.analysis.scores import score_tables
from tests.assessments.analysis.frames import SCALE_0_5, Row, responses


def indicators_of(rows, **kwargs):
    return score_tables(responses(rows, **kwargs), scale=SCALE_0_5).indicators


def test_priority_multiplies_gap_and_weights_and_raises_readiness():
    ranked = priorities(
        indicators_of(
            [
                Row("GOV.G1.1", 1, target=3, weight=2, element_weight=1.5),  # 2 x 2 x 1.5 = 6
                Row("GOV.G1.2", 2, target=3),  # 1
                Row("ECO.E1.1", 1, target=4, pillar_weight=0.5),  # 3 x 0.5 = 1.5
                Row("STR.S1.1", 2, target=3, kind=f.READINESS),  # 1 x 2 (readiness) = 2
                Row("STR.S1.2", 3, target=3, kind=f.READINESS),  # no gap: not listed
                Row("GOV.G2.1", 2),  # no target: not listed
            ]
        )
    )
    assert list(ranked[f.INDICATOR]) == ["GOV.G1.1", "STR.S1.1", "ECO.E1.1", "GOV.G1.2"]
    assert list(ranked[PRIORITY]) == [6, 2, 1.5, 1]


def test_readiness_multiplier_and_enablers_are_parameters():
    indicators = indicators_of(
        [
            Row("STR.S1.1", 2, target=3, kind=f.READINESS),
            Row("STR.S1.2", 2, target=3, kind=f.READINESS),
            Row("GOV.G1.1", 1, target=3),
        ]
    )
    ranked = priorities(indicators, readiness_multiplier=3.0, enablers={"STR.S1.2"})
    assert list(zip(ranked[f.INDICATOR], ranked[PRIORITY], strict=True)) == [
        ("STR.S1.2", 3.0),
        ("GOV.G1.1", 2.0),
        ("STR.S1.1", 1.0),
    ]


def test_ties_are_broken_by_code_whatever_the_input_order():
    rows = [Row(code, 1, target=3) for code in ("SOC.S1.2", "BRA.B1.1", "SOC.S1.1", "ECO.E2.1")]
    forward = top_gaps(indicators_of(rows))
    backward = top_gaps(indicators_of(list(reversed(rows))))
    expected = ["BRA.B1.1", "ECO.E2.1", "SOC.S1.1", "SOC.S1.2"]
    assert list(forward[f.INDICATOR]) == list(backward[f.INDICATOR]) == expected


def test_top_ten_gaps_and_top_five_strengths_per_assessment():
    rows = [Row(f"GOV.G{n // 4}.{n}", n % 6, target=5) for n in range(14)]
    frame = pd.concat([responses(rows, assessment=1), responses(rows[:3], assessment=2)])
    indicators = score_tables(frame, scale=SCALE_0_5).indicators
    gaps = top_gaps(indicators)
    assert gaps.groupby(f.ASSESSMENT).size().to_dict() == {1: 10, 2: 3}
    assert list(gaps.loc[gaps[f.ASSESSMENT] == 2, f.INDICATOR]) == [
        "GOV.G0.0",
        "GOV.G0.1",
        "GOV.G0.2",
    ]
    strengths = top_strengths(indicators, scale=SCALE_0_5)
    first = strengths[strengths[f.ASSESSMENT] == 1]
    # Levels 5 (n=5, 11), 4 (n=4, 10), 3 (n=3, 9): the top five, ties by code.
    assert list(first[f.INDICATOR]) == [
        "GOV.G1.5",
        "GOV.G2.11",
        "GOV.G1.4",
        "GOV.G2.10",
        "GOV.G0.3",
    ]
    # Level 0 is no strength: assessment 2 has levels 0, 1, 2.
    assert list(strengths.loc[strengths[f.ASSESSMENT] == 2, f.INDICATOR]) == [
        "GOV.G0.2",
        "GOV.G0.1",
    ]


def test_self_versus_verified_per_pillar():
    table = self_versus_verified(
        indicators_of(
            [
                Row("GOV.G1.1", 4, verified=2, state=f.ADJUSTED),  # +2
                Row("GOV.G1.2", 3, verified=3, state=f.ACCEPTED),  # 0
                Row("GOV.G2.1", 1, verified=4, state=f.ADJUSTED),  # -3: the largest
                Row("GOV.G2.2", 5),  # not reviewed
                Row("ECO.E1.1", 2, verified=1, state=f.ADJUSTED),  # +1
                Row("ECO.E1.2", na=True, state=f.ACCEPTED),  # N/A: no difference
                Row("SOC.S1.1", 2),  # nothing reviewed: no row
            ]
        )
    ).set_index(f.PILLAR)
    assert list(table.index) == ["ECO", "GOV"]
    assert table.loc["GOV", REVIEWED] == 3
    assert table.loc["GOV", MEAN_DIFFERENCE] == pytest.approx(-1 / 3)
    assert table.loc["GOV", LARGEST_DIFFERENCE] == -3
    assert table.loc["GOV", LARGEST_INDICATOR] == "GOV.G2.1"
    assert table.loc["ECO", REVIEWED] == 1
    assert table.loc["ECO", LARGEST_DIFFERENCE] == 1


def test_consistency_checks():
    found = consistency_checks(
        indicators_of(
            [
                Row("GOV.G1.1", 3, evidence=0, evidence_from=2),  # no evidence
                Row("GOV.G1.2", 3, evidence=1, evidence_from=2),  # has evidence
                Row("GOV.G1.3", 1, evidence=0, evidence_from=2),  # below the rule's level
                Row("GOV.G1.4", 4, evidence=0, evidence_from=None),  # rule: never
                Row("GOV.G2.1", 4, verified=2, state=f.ADJUSTED),  # far below
                Row("GOV.G2.2", 4, verified=3, state=f.ADJUSTED),  # one level: fine
                Row("GOV.G3.1", 3, target=2),  # target below
                Row("GOV.G3.2", 4, verified=1, state=f.ADJUSTED, target=2),  # target above used
                Row("GOV.G3.3", na=True, target=0),
            ]
        )
    )
    assert list(zip(found["check"], found[f.INDICATOR], strict=True)) == [
        ("no_evidence", "GOV.G1.1"),
        ("verified_far_below_self", "GOV.G2.1"),
        ("verified_far_below_self", "GOV.G3.2"),
        ("target_below_current", "GOV.G3.1"),
    ]
    assert consistency_checks(
        indicators_of([Row("GOV.G1.1", 4, verified=3, state=f.ADJUSTED)]), far_below=1
    )["check"].tolist() == ["verified_far_below_self"]


def test_no_checks_give_an_empty_table():
    assert consistency_checks(indicators_of([Row("GOV.G1.1", 1)])).empty
