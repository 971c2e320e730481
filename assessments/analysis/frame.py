"""The input of the analysis: one frame of responses, its schema, its validator, and the scale.

A frame holds one row per (assessment, indicator) of a cycle, for one assessment or for a whole
cycle. Column names live here and nowhere else; the selector that builds the frame from one
`.values()` query and every function of this package use these constants.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# --- Columns of the response frame ---
ASSESSMENT = "assessment"
REGION = "region"
PILLAR = "pillar"
PILLAR_KIND = "pillar_kind"
PILLAR_WEIGHT = "pillar_weight"
ELEMENT = "element"
ELEMENT_WEIGHT = "element_weight"
INDICATOR = "indicator"
INDICATOR_WEIGHT = "indicator_weight"
SELF_LEVEL = "self_level"
VERIFIED_LEVEL = "verified_level"
REVIEW_STATE = "review_state"
TARGET = "target_level"
NOT_APPLICABLE = "not_applicable"
EVIDENCE_COUNT = "evidence_count"
EVIDENCE_FROM = "evidence_from_level"

COLUMNS = (
    ASSESSMENT,
    REGION,
    PILLAR,
    PILLAR_KIND,
    PILLAR_WEIGHT,
    ELEMENT,
    ELEMENT_WEIGHT,
    INDICATOR,
    INDICATOR_WEIGHT,
    SELF_LEVEL,
    VERIFIED_LEVEL,
    REVIEW_STATE,
    TARGET,
    NOT_APPLICABLE,
    EVIDENCE_COUNT,
    EVIDENCE_FROM,
)
LEVEL_COLUMNS = (SELF_LEVEL, VERIFIED_LEVEL, TARGET)
WEIGHT_COLUMNS = (PILLAR_WEIGHT, ELEMENT_WEIGHT, INDICATOR_WEIGHT)

# --- Columns of the score rows (ScoreSnapshot-shaped output) ---
SCOPE = "scope"
CODE = "code"
CURRENT = "current"
TARGET_SCORE = "target"
GAP = "gap"
BASIS = "basis"
PREDIKAT = "predikat"
SNAPSHOT_COLUMNS = (ASSESSMENT, REGION, SCOPE, CODE, CURRENT, TARGET_SCORE, GAP, BASIS, PREDIKAT)

SCOPE_INDICATOR = "indicator"
SCOPE_ELEMENT = "element"
SCOPE_PILLAR = "pillar"
SCOPE_INDEX = "smart_city_index"
SCOPE_READINESS = "readiness_index"
SCOPES = (SCOPE_INDICATOR, SCOPE_ELEMENT, SCOPE_PILLAR, SCOPE_INDEX, SCOPE_READINESS)
INDEX_CODE = "INDEX"
READINESS_CODE = "READINESS"

# --- Values (the same strings as the models' choices) ---
READINESS = "readiness"
DIMENSION = "dimension"
PILLAR_KINDS = frozenset({READINESS, DIMENSION})
PENDING = "pending"
ACCEPTED = "accepted"
ADJUSTED = "adjusted"
REVIEW_STATES = frozenset({PENDING, ACCEPTED, ADJUSTED})
REVIEWED_STATES = (ACCEPTED, ADJUSTED)

# --- Level basis ---
BASIS_VERIFIED = "verified"
BASIS_SELF = "self"
BASIS_MIXED = "mixed"


@dataclass(frozen=True)
class Scale:
    """A framework's level scale: `lowest..highest`, starting at 0 or 1, with 2 to 10 levels."""

    lowest: int
    highest: int

    def __post_init__(self) -> None:
        if self.lowest not in (0, 1):
            raise ValueError(f"a scale starts at 0 or 1, not {self.lowest}")
        if not 2 <= self.highest - self.lowest + 1 <= 10:
            raise ValueError(f"a scale has 2 to 10 levels, not {self.highest - self.lowest + 1}")

    @property
    def span(self) -> int:
        return self.highest - self.lowest

    def percent(self, values: pd.Series) -> pd.Series:
        """Values on this scale as 0-100% of the scale (lowest = 0%, highest = 100%)."""
        return (values - self.lowest) / self.span * 100.0


@dataclass(frozen=True)
class Band:
    """A predikat band: `lower <= score < upper`; the top band also includes its `upper`."""

    lower: float
    upper: float
    label_id: str
    label_en: str


def band_for(score: float | None, bands: Sequence[Band]) -> Band | None:
    """The band a score falls in, or None for no data or a score outside every band."""
    if score is None or pd.isna(score):
        return None
    ordered = sorted(bands, key=lambda band: band.lower)
    for band in ordered:
        if band.lower <= score < band.upper:
            return band
    if ordered and score == ordered[-1].upper:
        return ordered[-1]
    return None


def predikat_labels(scores: pd.Series, bands: Sequence[Band]) -> pd.Series:
    """The Indonesian predikat label of every score (NA for no data), vectorised."""
    ordered = sorted(bands, key=lambda band: band.lower)
    if not ordered:
        return pd.Series(pd.NA, index=scores.index, dtype="str")
    conditions = [(scores >= b.lower) & (scores < b.upper) for b in ordered]
    conditions[-1] = conditions[-1] | (scores == ordered[-1].upper)
    labels = np.select(conditions, [b.label_id for b in ordered], default="")
    return pd.Series(labels, index=scores.index, dtype="str").replace("", pd.NA)


class ResponseFrameError(ValueError):
    """The response frame does not follow the schema; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def validate_responses(frame: pd.DataFrame, scale: Scale) -> pd.DataFrame:
    """A checked copy of the response frame with normalised types (levels and weights float,
    N/A bool, evidence count int); raises `ResponseFrameError` listing every problem."""
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise ResponseFrameError([f"missing columns: {', '.join(missing)}"])
    out = frame.loc[:, list(COLUMNS)].copy()
    problems: list[str] = []
    for column in (*LEVEL_COLUMNS, *WEIGHT_COLUMNS, EVIDENCE_FROM):
        out[column] = pd.to_numeric(out[column].astype(object), errors="coerce").astype(float)
        unreadable = frame[column].notna() & out[column].isna()
        if unreadable.any():
            problems.append(f"{column}: values that are not numbers")
    out[EVIDENCE_COUNT] = (
        pd.to_numeric(out[EVIDENCE_COUNT], errors="coerce").fillna(0).astype("int64")
    )
    out[NOT_APPLICABLE] = out[NOT_APPLICABLE].fillna(False).astype(bool)
    for column in LEVEL_COLUMNS:
        outside = out[column].notna() & ~out[column].between(scale.lowest, scale.highest)
        if outside.any():
            problems.append(
                f"{column}: levels outside the scale {scale.lowest}-{scale.highest}"
                f" ({', '.join(sorted(out.loc[outside, INDICATOR].astype(str).unique()))})"
            )
    for column in WEIGHT_COLUMNS:
        if not (out[column] > 0).all():
            problems.append(f"{column}: every weight must be a positive number")
    if not out[PILLAR_KIND].isin(PILLAR_KINDS).all():
        problems.append(f"{PILLAR_KIND}: only {', '.join(sorted(PILLAR_KINDS))}")
    if not out[REVIEW_STATE].isin(REVIEW_STATES).all():
        problems.append(f"{REVIEW_STATE}: only {', '.join(sorted(REVIEW_STATES))}")
    if out.duplicated([ASSESSMENT, INDICATOR]).any():
        problems.append("an indicator appears twice in one assessment")
    if out[[ASSESSMENT, REGION, PILLAR, ELEMENT, INDICATOR]].isna().any().any():
        problems.append("assessment, region, pillar, element and indicator are required")
    if problems:
        raise ResponseFrameError(problems)
    return out
