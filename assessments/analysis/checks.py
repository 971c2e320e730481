"""How much the facilitator corrected, and answers a facilitator should look at again."""

import pandas as pd

from assessments.analysis.frame import (
    ASSESSMENT,
    CURRENT,
    EVIDENCE_COUNT,
    EVIDENCE_FROM,
    INDICATOR,
    NOT_APPLICABLE,
    PILLAR,
    REGION,
    REVIEW_STATE,
    REVIEWED_STATES,
    SELF_LEVEL,
    TARGET,
    VERIFIED_LEVEL,
)

DIFFERENCE = "difference"
REVIEWED = "reviewed"
MEAN_DIFFERENCE = "mean_difference"
LARGEST_DIFFERENCE = "largest_difference"
LARGEST_INDICATOR = "largest_indicator"
CHECK = "check"
# Check kinds, in the order they are listed.
NO_EVIDENCE = "no_evidence"
VERIFIED_FAR_BELOW = "verified_far_below_self"
TARGET_BELOW_CURRENT = "target_below_current"
CHECKS = (NO_EVIDENCE, VERIFIED_FAR_BELOW, TARGET_BELOW_CURRENT)
# Levels between the self-assessed and the verified level that make the correction worth a look.
FAR_BELOW_LEVELS = 2


def _reviewed_levels(indicators: pd.DataFrame) -> pd.DataFrame:
    """Reviewed indicators where both the region and the facilitator gave a level."""
    both = (
        indicators[REVIEW_STATE].isin(REVIEWED_STATES)
        & indicators[SELF_LEVEL].notna()
        & indicators[VERIFIED_LEVEL].notna()
        & ~indicators[NOT_APPLICABLE]
    )
    rows = indicators[both]
    return rows.assign(**{DIFFERENCE: rows[SELF_LEVEL] - rows[VERIFIED_LEVEL]})


def self_versus_verified(indicators: pd.DataFrame) -> pd.DataFrame:
    """Per assessment and pillar: how many indicators were reviewed with a level, the mean of
    (self - verified) (positive: the facilitator lowered it) and the largest difference by size,
    signed, with its indicator (ties by code). Pillars with nothing reviewed have no row."""
    rows = _reviewed_levels(indicators)
    keys = [ASSESSMENT, REGION, PILLAR]
    summary = rows.groupby(keys, sort=True)[DIFFERENCE].agg(["size", "mean"])
    summary.columns = [REVIEWED, MEAN_DIFFERENCE]
    largest = (
        rows.assign(_size=rows[DIFFERENCE].abs())
        .sort_values([*keys, "_size", INDICATOR], ascending=[True] * 3 + [False, True])
        .groupby(keys, sort=True)
        .head(1)
        .set_index(keys)[[DIFFERENCE, INDICATOR]]
        .rename(columns={DIFFERENCE: LARGEST_DIFFERENCE, INDICATOR: LARGEST_INDICATOR})
    )
    return summary.join(largest).reset_index()


def consistency_checks(
    indicators: pd.DataFrame, *, far_below: int = FAR_BELOW_LEVELS
) -> pd.DataFrame:
    """The answers a facilitator should look at again, one row per indicator and check:

    - `no_evidence`: the region claimed a level from which the indicator's evidence rule wants
      evidence, and gave none;
    - `verified_far_below_self`: the verified level is `far_below` or more levels below the
      self-assessed one;
    - `target_below_current`: the target is below the level used.

    `indicators` is `ScoreTables.indicators`; ordered by assessment, check, indicator.
    """
    claimed = ~indicators[NOT_APPLICABLE] & indicators[SELF_LEVEL].notna()
    found = {
        NO_EVIDENCE: claimed
        & indicators[EVIDENCE_FROM].notna()
        & (indicators[SELF_LEVEL] >= indicators[EVIDENCE_FROM])
        & (indicators[EVIDENCE_COUNT] == 0),
        VERIFIED_FAR_BELOW: indicators[REVIEW_STATE].isin(REVIEWED_STATES)
        & claimed
        & (indicators[SELF_LEVEL] - indicators[VERIFIED_LEVEL] >= far_below),
        TARGET_BELOW_CURRENT: indicators[TARGET] < indicators[CURRENT],
    }
    columns = [ASSESSMENT, REGION, INDICATOR, SELF_LEVEL, VERIFIED_LEVEL, CURRENT, TARGET]
    parts = [indicators.loc[mask, columns].assign(**{CHECK: kind}) for kind, mask in found.items()]
    out = pd.concat(parts, ignore_index=True)
    order = out[CHECK].map({kind: position for position, kind in enumerate(CHECKS)})
    return (
        out.assign(_order=order)
        .sort_values([ASSESSMENT, "_order", INDICATOR], kind="stable", ignore_index=True)
        .drop(columns="_order")
    )
