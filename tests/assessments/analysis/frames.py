"""Compact builders of response frames for the analysis tests."""

from dataclasses import dataclass, field

import pandas as pd

from assessments.analysis import frame as f


@dataclass
class Row:
    """One response; the element and pillar come from the indicator code (`P.E.n`)."""

    indicator: str
    self_level: float | None = None
    verified: float | None = None
    state: str = f.PENDING
    target: float | None = None
    na: bool = False
    weight: float = 1.0
    kind: str = f.DIMENSION
    element_weight: float = 1.0
    pillar_weight: float = 1.0
    evidence: int = 1
    evidence_from: float | None = None
    extra: dict = field(default_factory=dict)


def responses(rows: list[Row], *, assessment: int = 1, region: str = "19.71") -> pd.DataFrame:
    records = []
    for row in rows:
        pillar, element_suffix, _ = row.indicator.split(".")
        records.append(
            {
                f.ASSESSMENT: assessment,
                f.REGION: region,
                f.PILLAR: pillar,
                f.PILLAR_KIND: row.kind,
                f.PILLAR_WEIGHT: row.pillar_weight,
                f.ELEMENT: f"{pillar}.{element_suffix}",
                f.ELEMENT_WEIGHT: row.element_weight,
                f.INDICATOR: row.indicator,
                f.INDICATOR_WEIGHT: row.weight,
                f.SELF_LEVEL: row.self_level,
                f.VERIFIED_LEVEL: row.verified,
                f.REVIEW_STATE: row.state,
                f.TARGET: row.target,
                f.NOT_APPLICABLE: row.na,
                f.EVIDENCE_COUNT: row.evidence,
                f.EVIDENCE_FROM: row.evidence_from,
                **row.extra,
            }
        )
    return pd.DataFrame.from_records(records, columns=list(f.COLUMNS))


def scored(snapshots: pd.DataFrame, scope: str, code: str, column: str = f.CURRENT):
    """One value of the snapshot rows (asserts there is exactly one such row)."""
    match = snapshots[(snapshots[f.SCOPE] == scope) & (snapshots[f.CODE] == code)]
    assert len(match) == 1, match
    return match.iloc[0][column]


SCALE_0_5 = f.Scale(0, 5)
SPBE_BANDS = (
    f.Band(0, 1.8, "Kurang", "Poor"),
    f.Band(1.8, 2.6, "Cukup", "Fair"),
    f.Band(2.6, 3.5, "Baik", "Good"),
    f.Band(3.5, 4.2, "Sangat Baik", "Very Good"),
    f.Band(4.2, 5, "Memuaskan", "Excellent"),
)
