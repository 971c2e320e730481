"""Peer positions: percentile ranks with ties, quartile bands, medians and the privacy rule."""

import dataclasses

import pandas as pd
import pytest

from assessments.analysis import frame as f
from assessments.analysis.peers import (
    COHORT,
    GROUP,
    PROVINCE,
    NamedPeerStanding,
    PeerStanding,
    named_peer_standing,
    peer_medians,
    peer_positions,
    peer_standing,
)


def cycle(scores: dict[str, float], provinces: dict[str, str], cohorts: dict[str, int]):
    """Snapshot rows (index and two pillars, GOV = index, ECO = index / 2) and the regions."""
    rows = []
    for region, score in scores.items():
        rows += [
            (region, "smart_city_index", "INDEX", score),
            (region, "pillar", "GOV", score),
            (region, "pillar", "ECO", score / 2),
        ]
    snapshots = pd.DataFrame(rows, columns=[f.REGION, f.SCOPE, f.CODE, f.CURRENT])
    regions = pd.DataFrame(
        [(r, provinces[r], cohorts[r]) for r in scores], columns=[f.REGION, PROVINCE, COHORT]
    )
    return snapshots, regions


def standing_of(snapshots, regions, region) -> PeerStanding:
    positions, medians = peer_positions(snapshots, regions), peer_medians(snapshots, regions)
    return peer_standing(positions, medians, regions, region=region)


def test_four_regions_are_too_few_to_compare():
    names = ["19.01", "19.02", "19.03", "19.71"]
    snapshots, regions = cycle(
        dict(zip(names, [1.0, 2.0, 3.0, 4.0], strict=True)),
        dict.fromkeys(names, "19"),
        dict.fromkeys(names, 2022),
    )
    standing = standing_of(snapshots, regions, "19.71")
    for group in standing.groups:
        assert group.peers == 4
        assert group.too_few
        assert group.percentile is None and group.quartile is None
        assert group.medians == {}


@pytest.fixture
def thirty():
    """30 regions scored 0.1 .. 3.0, except that 32.08 and 32.09 tie at 0.85.

    Province 19: the first 6 regions; province 32: the next 20; province 33: the last 4.
    Cohort 2022: the even-numbered ones; 2023: the others.
    """
    names = [f"{'19' if n <= 6 else '32' if n <= 26 else '33'}.{n:02d}" for n in range(1, 31)]
    scores = {name: n / 10 for n, name in enumerate(names, start=1)}
    scores["32.08"] = scores["32.09"] = 0.85
    return cycle(
        scores,
        {name: name[:2] for name in names},
        {name: 2022 if n % 2 == 0 else 2023 for n, name in enumerate(names, start=1)},
    )


def test_thirty_regions_percentile_ranks_and_bands(thirty):
    snapshots, regions = thirty
    positions = peer_positions(snapshots, regions)
    nation = positions[positions[GROUP] == "nation"].set_index(f.REGION)
    assert nation["peers"].eq(30).all()
    assert nation.loc["33.30", "percentile"] == pytest.approx(29.5 / 30 * 100)
    assert nation.loc["33.30", "quartile"] == 4
    assert nation.loc["19.01", "percentile"] == pytest.approx(0.5 / 30 * 100)
    assert nation.loc["19.01", "quartile"] == 1
    # The tie at ranks 8 and 9: 7 below, 2 equal -> (7 + 1) / 30 for both.
    assert nation.loc["32.08", "percentile"] == nation.loc["32.09", "percentile"]
    assert nation.loc["32.08", "percentile"] == pytest.approx(8 / 30 * 100)
    assert nation.loc["32.08", "quartile"] == 2
    assert nation.loc["32.15", "percentile"] == pytest.approx(14.5 / 30 * 100)
    assert nation.loc["32.15", "quartile"] == 2
    assert nation.loc["32.23", "quartile"] == 4  # 22.5 / 30 = 75%


def test_thirty_regions_standing_per_group(thirty):
    snapshots, regions = thirty
    standing = standing_of(snapshots, regions, "19.04")
    province, cohort, nation = (standing.group(g) for g in ("province", "cohort_year", "nation"))
    assert (province.key, province.peers) == ("19", 6)
    assert province.percentile == pytest.approx(3.5 / 6 * 100)  # 4th of 6
    assert province.quartile == 3
    assert province.medians == pytest.approx({"INDEX": 0.35, "GOV": 0.35, "ECO": 0.175})
    assert (cohort.key, cohort.peers) == ("2022", 15)
    assert cohort.percentile == pytest.approx(1.5 / 15 * 100)  # 2nd of the even ones
    assert nation.medians["INDEX"] == pytest.approx(1.55)
    small = standing_of(snapshots, regions, "33.28").group("province")
    assert (small.peers, small.too_few, small.quartile, small.medians) == (4, True, None, {})


def test_the_anonymous_standing_carries_no_other_region(thirty):
    snapshots, regions = thirty
    standing = standing_of(snapshots, regions, "19.04")
    text = repr(dataclasses.asdict(standing))
    others = set(regions[f.REGION]) - {"19.04"}
    assert not [code for code in others if code in text]
    assert not hasattr(standing, "peers")


def test_a_facilitator_sees_named_peers_of_the_regions_groups(thirty):
    snapshots, regions = thirty
    positions, medians = peer_positions(snapshots, regions), peer_medians(snapshots, regions)
    named = named_peer_standing(positions, medians, regions, region="19.04")
    assert isinstance(named, NamedPeerStanding)
    assert named.standing == peer_standing(positions, medians, regions, region="19.04")
    province = named.peers[named.peers[GROUP] == "province"]
    assert list(province[f.REGION]) == ["19.06", "19.05", "19.04", "19.03", "19.02", "19.01"]
    assert set(named.peers.loc[named.peers[GROUP] == "nation", f.REGION]) == set(regions[f.REGION])


def test_a_region_without_an_index_has_no_position(thirty):
    snapshots, regions = thirty
    snapshots.loc[snapshots[f.REGION] == "19.04", f.CURRENT] = float("nan")
    province = standing_of(snapshots, regions, "19.04").group("province")
    assert province.peers == 5
    assert province.percentile is None
    assert province.medians["INDEX"] == pytest.approx(0.3)  # 0.1, 0.2, 0.3, 0.5, 0.6


def test_a_region_without_a_cohort_year_has_no_cohort_group(thirty):
    snapshots, regions = thirty
    regions[COHORT] = regions[COHORT].astype("Int64")
    regions.loc[regions[f.REGION] == "19.04", COHORT] = pd.NA
    standing = standing_of(snapshots, regions, "19.04")
    assert [group.group for group in standing.groups] == ["province", "nation"]
    cohort = standing_of(snapshots, regions, "19.02").group("cohort_year")
    assert (cohort.key, cohort.peers) == ("2022", 14)
