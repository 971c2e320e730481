"""What to fix first and what is already strong, per assessment."""

from collections.abc import Collection

import numpy as np
import pandas as pd

from assessments.analysis.frame import (
    ASSESSMENT,
    CURRENT,
    ELEMENT_WEIGHT,
    GAP,
    INDICATOR,
    INDICATOR_WEIGHT,
    PILLAR_KIND,
    PILLAR_WEIGHT,
    READINESS,
    Scale,
)

PRIORITY = "priority"
# A readiness indicator's gap counts twice: the dimensions depend on it (leadership, budget,
# network, policy), so its action has to come first in the plan. With equal weights a readiness
# gap of 1 then ties a dimension gap of 2 (the tie broken by code).
READINESS_MULTIPLIER = 2.0
TOP_GAPS = 10
TOP_STRENGTHS = 5


def priorities(
    indicators: pd.DataFrame,
    *,
    readiness_multiplier: float = READINESS_MULTIPLIER,
    enablers: Collection[str] | None = None,
) -> pd.DataFrame:
    """Every indicator with a gap above 0 and its priority, highest first per assessment.

    priority = gap x indicator weight x element weight x pillar weight, times
    `readiness_multiplier` for readiness indicators others depend on: `enablers` names them
    (indicator codes); None means every indicator of a readiness pillar. Ties are broken by
    indicator code, so the order is stable. `indicators` is `ScoreTables.indicators`.
    """
    with_gap = indicators[indicators[GAP] > 0]
    is_enabler = with_gap[PILLAR_KIND] == READINESS
    if enablers is not None:
        is_enabler &= with_gap[INDICATOR].isin(list(enablers))
    weight = with_gap[INDICATOR_WEIGHT] * with_gap[ELEMENT_WEIGHT] * with_gap[PILLAR_WEIGHT]
    out = with_gap.assign(
        **{PRIORITY: with_gap[GAP] * weight * np.where(is_enabler, readiness_multiplier, 1.0)}
    )
    return out.sort_values(
        [ASSESSMENT, PRIORITY, INDICATOR], ascending=[True, False, True], ignore_index=True
    )


def top_gaps(
    indicators: pd.DataFrame,
    *,
    count: int = TOP_GAPS,
    readiness_multiplier: float = READINESS_MULTIPLIER,
    enablers: Collection[str] | None = None,
) -> pd.DataFrame:
    """The `count` indicators of highest priority per assessment (see `priorities`)."""
    ranked = priorities(indicators, readiness_multiplier=readiness_multiplier, enablers=enablers)
    return ranked.groupby(ASSESSMENT, sort=False).head(count).reset_index(drop=True)


def top_strengths(
    indicators: pd.DataFrame, *, scale: Scale, count: int = TOP_STRENGTHS
) -> pd.DataFrame:
    """The `count` indicators with the highest current level per assessment, ties by code;
    an indicator at the lowest level of the scale is no strength."""
    strong = indicators[indicators[CURRENT] > scale.lowest]
    ranked = strong.sort_values(
        [ASSESSMENT, CURRENT, INDICATOR], ascending=[True, False, True], ignore_index=True
    )
    return ranked.groupby(ASSESSMENT, sort=False).head(count).reset_index(drop=True)
