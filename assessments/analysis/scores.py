"""Scores, targets and gaps of indicators, elements, pillars and the two indices.

Every function here works on any number of assessments at once: the groupbys carry the
assessment, so one call over a whole cycle's frame equals one call per assessment.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from assessments.analysis.frame import (
    ASSESSMENT,
    BASIS,
    BASIS_MIXED,
    BASIS_SELF,
    BASIS_VERIFIED,
    CODE,
    CURRENT,
    DIMENSION,
    ELEMENT,
    ELEMENT_WEIGHT,
    GAP,
    INDEX_CODE,
    INDICATOR,
    INDICATOR_WEIGHT,
    NOT_APPLICABLE,
    PILLAR,
    PILLAR_KIND,
    PILLAR_WEIGHT,
    PREDIKAT,
    READINESS,
    READINESS_CODE,
    REGION,
    REVIEW_STATE,
    REVIEWED_STATES,
    SCOPE,
    SCOPE_ELEMENT,
    SCOPE_INDEX,
    SCOPE_INDICATOR,
    SCOPE_PILLAR,
    SCOPE_READINESS,
    SCOPES,
    SELF_LEVEL,
    SNAPSHOT_COLUMNS,
    TARGET,
    TARGET_SCORE,
    VERIFIED_LEVEL,
    Band,
    Scale,
    predikat_labels,
    validate_responses,
)

IS_NA = "is_na"
VERIFIED_COUNT = "verified_count"
SELF_COUNT = "self_count"
_VALUES = (CURRENT, TARGET_SCORE, GAP)


def with_levels_used(responses: pd.DataFrame) -> pd.DataFrame:
    """The validated responses plus the level used and what follows from it, per indicator.

    Reviewed (accepted or adjusted): the verified level, basis `verified`; else the self level,
    basis `self`. A facilitator may give an N/A answer a level, which then counts; an N/A left
    standing, or an unanswered indicator, has no current level ("no data").
    `target` is the target where there is a current level; `gap` = max(0, target - current),
    NaN without a target.
    """
    out = responses.copy()
    reviewed = out[REVIEW_STATE].isin(REVIEWED_STATES)
    level = out[VERIFIED_LEVEL].where(reviewed, out[SELF_LEVEL])
    out[IS_NA] = out[NOT_APPLICABLE] & ~(reviewed & out[VERIFIED_LEVEL].notna())
    out[CURRENT] = level.where(~out[IS_NA])
    out[BASIS] = np.where(reviewed, BASIS_VERIFIED, BASIS_SELF)
    out[TARGET_SCORE] = out[TARGET].where(out[CURRENT].notna())
    out[GAP] = (out[TARGET_SCORE] - out[CURRENT]).clip(lower=0)
    counted = out[CURRENT].notna()
    out[VERIFIED_COUNT] = (counted & reviewed).astype("int64")
    out[SELF_COUNT] = (counted & ~reviewed).astype("int64")
    return out


def weighted_means(
    rows: pd.DataFrame,
    keys: Sequence[str],
    *,
    weight: str,
    values: Sequence[str],
    carry: Sequence[str] = (),
    sums: Sequence[str] = (),
) -> pd.DataFrame:
    """Per group of `keys`: the weighted mean of each of `values`, the first of `carry`, the sum
    of `sums`. A missing value drops out with its weight, and a group with nothing left is NaN
    (no data), never 0."""
    keys, carry, sums = list(keys), list(carry), list(sums)
    parts = rows[keys + carry + sums].copy()
    fractions = []
    for value in values:
        counted_weight = rows[weight].where(rows[value].notna(), 0.0)
        parts[f"{value}_num"] = rows[value].fillna(0.0) * counted_weight
        parts[f"{value}_den"] = counted_weight
        fractions += [f"{value}_num", f"{value}_den"]
    grouped = parts.groupby(keys, sort=True, observed=True)
    out = grouped[fractions + sums].sum()
    if carry:
        out = out.join(grouped[carry].first())
    for value in values:
        den = out[f"{value}_den"]
        out[value] = (out[f"{value}_num"] / den.where(den > 0)).astype(float)
    return out.drop(columns=fractions).reset_index()


def roll_up(
    indicators: pd.DataFrame,
    *,
    values: Sequence[str],
    sums: Sequence[str] = (),
    by: Sequence[str] = (ASSESSMENT, REGION),
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Elements, pillars and indices (`code` INDEX / READINESS) of indicator rows: element =
    weighted mean of its indicators, pillar = of its elements, smart-city index = of the
    dimension pillars, readiness index = of the readiness pillars (none without any)."""
    by = list(by)
    elements = weighted_means(
        indicators,
        [*by, PILLAR, ELEMENT],
        weight=INDICATOR_WEIGHT,
        values=values,
        carry=[PILLAR_KIND, PILLAR_WEIGHT, ELEMENT_WEIGHT],
        sums=sums,
    )
    pillars = weighted_means(
        elements,
        [*by, PILLAR],
        weight=ELEMENT_WEIGHT,
        values=values,
        carry=[PILLAR_KIND, PILLAR_WEIGHT],
        sums=sums,
    )
    indices = [
        weighted_means(
            pillars[pillars[PILLAR_KIND] == kind],
            by,
            weight=PILLAR_WEIGHT,
            values=values,
            sums=sums,
        ).assign(**{CODE: code})
        for kind, code in ((DIMENSION, INDEX_CODE), (READINESS, READINESS_CODE))
    ]
    return elements, pillars, pd.concat(indices, ignore_index=True)


def basis_summary(verified_count: pd.Series, self_count: pd.Series) -> pd.Series:
    """`verified`, `self` or `mixed` from the counts of indicators behind a score; NA if none."""
    summary = np.select(
        [(verified_count > 0) & (self_count > 0), verified_count > 0, self_count > 0],
        [BASIS_MIXED, BASIS_VERIFIED, BASIS_SELF],
        default="",
    )
    return pd.Series(summary, index=verified_count.index, dtype="str").replace("", pd.NA)


@dataclass(frozen=True)
class ScoreTables:
    """The scores at every level, one row per assessment and part, with the counts behind them.

    `indicators` is `with_levels_used` of the responses; `elements` and `pillars` carry their
    weights and kind; `indices` has one row per assessment and index (`code` INDEX or READINESS;
    no READINESS row where the framework has no readiness pillars).
    """

    indicators: pd.DataFrame
    elements: pd.DataFrame
    pillars: pd.DataFrame
    indices: pd.DataFrame


def score_tables(responses: pd.DataFrame, *, scale: Scale) -> ScoreTables:
    """Validate the response frame and roll it up: indicator -> element -> pillar -> index."""
    indicators = with_levels_used(validate_responses(responses, scale))
    elements, pillars, indices = roll_up(
        indicators, values=_VALUES, sums=(VERIFIED_COUNT, SELF_COUNT)
    )
    return ScoreTables(indicators, elements, pillars, indices)


SCOPE_ORDER = {scope: position for position, scope in enumerate(SCOPES)}


def snapshot_rows_of(tables: ScoreTables, *, bands: Sequence[Band]) -> pd.DataFrame:
    """ScoreSnapshot-shaped rows of every assessment in the tables (see `snapshot_rows`)."""
    parts = [
        tables.indicators.assign(**{SCOPE: SCOPE_INDICATOR, CODE: tables.indicators[INDICATOR]}),
        tables.elements.assign(**{SCOPE: SCOPE_ELEMENT, CODE: tables.elements[ELEMENT]}),
        tables.pillars.assign(**{SCOPE: SCOPE_PILLAR, CODE: tables.pillars[PILLAR]}),
        tables.indices.assign(
            **{SCOPE: np.where(tables.indices[CODE] == INDEX_CODE, SCOPE_INDEX, SCOPE_READINESS)}
        ),
    ]
    for part in parts[1:]:
        part[BASIS] = basis_summary(part[VERIFIED_COUNT], part[SELF_COUNT])
    rows = pd.concat([part[list(SNAPSHOT_COLUMNS[:-1])] for part in parts], ignore_index=True)
    banded = rows[SCOPE].isin([SCOPE_PILLAR, SCOPE_INDEX, SCOPE_READINESS])
    rows[PREDIKAT] = predikat_labels(rows[CURRENT], bands).where(banded)
    order = rows[SCOPE].map(SCOPE_ORDER)
    rows = rows.assign(_order=order).sort_values(
        [ASSESSMENT, "_order", CODE], kind="stable", ignore_index=True
    )
    return rows.drop(columns="_order")


def snapshot_rows(responses: pd.DataFrame, *, scale: Scale, bands: Sequence[Band]) -> pd.DataFrame:
    """The cycle-wide pass: ScoreSnapshot-shaped rows for every assessment of the frame, in one
    vectorised pass (one frame, groupbys, no loop over regions).

    Columns `SNAPSHOT_COLUMNS`: assessment, region, scope (indicator, element, pillar,
    smart_city_index, readiness_index), code (INDEX / READINESS on index rows), current, target,
    gap, basis (per indicator `verified`/`self`, above it the summary incl. `mixed`; NA for no
    data) and predikat (Indonesian label, on pillar and index rows). Ordered by assessment,
    scope, code.
    """
    return snapshot_rows_of(score_tables(responses, scale=scale), bands=bands)


def assessment_basis(tables: ScoreTables) -> pd.Series:
    """The level basis of each assessment as a whole (`verified`, `self`, `mixed`), by id."""
    counts = tables.indicators.groupby(ASSESSMENT)[[VERIFIED_COUNT, SELF_COUNT]].sum()
    return basis_summary(counts[VERIFIED_COUNT], counts[SELF_COUNT])
