"""A region's position among the approved assessments of the same cycle.

Peers are compared in three groups: the region's province, its cohort year and the nation. A
group counts the regions that have a smart-city index, the region itself included; with fewer
than `MIN_PEERS` it says "too few regions to compare" and gives no percentile, band or median,
so a small province never exposes a neighbour.

Privacy is in the types: `peer_standing` gives what an official may see (the region's own
percentile and band, the groups' medians; no other region's code, name or score), and only
`named_peer_standing` lists peers by region, for a facilitator. The caller passes only the
assessments the user's scope allows.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from assessments.analysis.frame import (
    CODE,
    CURRENT,
    REGION,
    SCOPE,
    SCOPE_INDEX,
    SCOPE_PILLAR,
    SCOPE_READINESS,
)

PROVINCE = "province"
COHORT = "cohort_year"
REGION_COLUMNS = (REGION, PROVINCE, COHORT)
GROUP = "group"
GROUP_KEY = "group_key"
PEERS = "peers"
SCORE = "score"
PERCENTILE = "percentile"
QUARTILE = "quartile"
MEDIAN = "median"
NATION = "nation"
GROUPS = (PROVINCE, COHORT, NATION)
NATION_KEY = "ID"
MIN_PEERS = 5


def _group_keys(regions: pd.DataFrame) -> dict[str, pd.Series]:
    """Each region's key per group as text; "" where the cohort year is not known."""
    cohort = pd.to_numeric(regions[COHORT], errors="coerce").astype("Int64")
    return {
        PROVINCE: regions[PROVINCE].astype(str),
        COHORT: cohort.astype(str).where(cohort.notna(), ""),
        NATION: pd.Series(NATION_KEY, index=regions.index),
    }


def _by_group(rows: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Rows repeated once per group, with the group and the region's key in it; a region
    without a cohort year is in no cohort group."""
    located = rows.merge(regions[list(REGION_COLUMNS)], on=REGION, how="inner")
    keys = _group_keys(located)
    parts = [located.assign(**{GROUP: group, GROUP_KEY: keys[group]}) for group in GROUPS]
    grouped = pd.concat(parts, ignore_index=True)
    return grouped[grouped[GROUP_KEY] != ""].reset_index(drop=True)


def peer_positions(snapshots: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Every region's position per group: peers, percentile rank of its smart-city index
    (ties counted as half: 100 x (below + half of equal, itself included) / peers) and its
    quartile band (1 = bottom quarter .. 4 = top); both NA with fewer than MIN_PEERS.

    `snapshots`: the cycle's score rows (`snapshot_rows`); `regions`: REGION_COLUMNS.
    """
    index = snapshots.loc[snapshots[SCOPE] == SCOPE_INDEX, [REGION, CURRENT]].dropna()
    rows = _by_group(index.rename(columns={CURRENT: SCORE}), regions)
    grouped = rows.groupby([GROUP, GROUP_KEY], sort=False)[SCORE]
    peers = grouped.transform("size")
    # An average rank r among n is (below + (equal + 1) / 2), so (r - 1/2) / n is the rank above.
    percentile = (grouped.rank(method="average") - 0.5) / peers * 100
    enough = peers >= MIN_PEERS
    quartile = np.minimum(np.floor(percentile / 25) + 1, 4)
    out = rows[[REGION, GROUP, GROUP_KEY, SCORE]].assign(
        **{
            PEERS: peers,
            PERCENTILE: percentile.where(enough),
            QUARTILE: pd.Series(quartile, index=rows.index).where(enough).astype("Int64"),
        }
    )
    return out.sort_values([REGION, GROUP], ignore_index=True)


def peer_medians(snapshots: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Per group, key and code (every pillar, INDEX, READINESS): the peers with a score and
    their median; the median is NaN with fewer than MIN_PEERS."""
    scored = snapshots[snapshots[SCOPE].isin([SCOPE_PILLAR, SCOPE_INDEX, SCOPE_READINESS])]
    rows = _by_group(scored[[REGION, CODE, CURRENT]].dropna(), regions)
    out = rows.groupby([GROUP, GROUP_KEY, CODE], sort=True)[CURRENT].agg(["size", "median"])
    out.columns = [PEERS, MEDIAN]
    out[MEDIAN] = out[MEDIAN].where(out[PEERS] >= MIN_PEERS)
    return out.reset_index()


@dataclass(frozen=True)
class GroupStanding:
    """The region's standing in one group; no other region appears in it."""

    group: str  # province, cohort_year or nation
    key: str  # the region's own province code, cohort year, or "ID"
    peers: int
    percentile: float | None
    quartile: int | None
    medians: dict[str, float]  # pillar code, INDEX, READINESS -> the group's median

    @property
    def too_few(self) -> bool:
        """Fewer than MIN_PEERS regions: "too few regions to compare", no band or median."""
        return self.peers < MIN_PEERS


@dataclass(frozen=True)
class PeerStanding:
    """What anyone who may see the region's report may see: bands and medians only."""

    region: str
    groups: tuple[GroupStanding, ...]

    def group(self, name: str) -> GroupStanding:
        return next(standing for standing in self.groups if standing.group == name)


@dataclass(frozen=True)
class NamedPeerStanding:
    """For a facilitator: the standing plus every peer by region code with its index and
    position (`peers`: the rows of `peer_positions` of the region's groups)."""

    standing: PeerStanding
    peers: pd.DataFrame


def _keys_of(region: str, regions: pd.DataFrame) -> dict[str, str]:
    own = regions[regions[REGION] == region]
    return {group: str(keys.iloc[0]) for group, keys in _group_keys(own).items()}


def peer_standing(
    positions: pd.DataFrame, medians: pd.DataFrame, regions: pd.DataFrame, *, region: str
) -> PeerStanding:
    """The anonymous standing of `region` from `peer_positions` and `peer_medians`; without a
    known cohort year the region has no cohort group."""
    keys = _keys_of(region, regions)
    groups = []
    for group in (group for group in GROUPS if keys[group]):
        in_group = positions[(positions[GROUP] == group) & (positions[GROUP_KEY] == keys[group])]
        own = in_group[in_group[REGION] == region]
        of_group = medians[(medians[GROUP] == group) & (medians[GROUP_KEY] == keys[group])]
        peers = len(in_group)
        percentile = own[PERCENTILE].iloc[0] if len(own) else np.nan
        quartile = own[QUARTILE].iloc[0] if len(own) else pd.NA
        groups.append(
            GroupStanding(
                group=group,
                key=keys[group],
                peers=peers,
                percentile=None if pd.isna(percentile) else float(percentile),
                quartile=None if pd.isna(quartile) else int(quartile),
                medians={
                    code: float(median)
                    for code, median in zip(of_group[CODE], of_group[MEDIAN], strict=True)
                    if peers >= MIN_PEERS and not pd.isna(median)
                },
            )
        )
    return PeerStanding(region=region, groups=tuple(groups))


def named_peer_standing(
    positions: pd.DataFrame, medians: pd.DataFrame, regions: pd.DataFrame, *, region: str
) -> NamedPeerStanding:
    """The standing of `region` and its named peers (a facilitator's view)."""
    keys = _keys_of(region, regions)
    mine = pd.Series(
        [keys[group] for group in positions[GROUP]], index=positions.index, dtype="str"
    )
    peers = positions[positions[GROUP_KEY] == mine].sort_values(
        [GROUP, SCORE, REGION], ascending=[True, False, True], ignore_index=True
    )
    return NamedPeerStanding(peer_standing(positions, medians, regions, region=region), peers)
