"""The pure analysis pass on synthetic frames (no database): what `recompute_cycle_514` adds on
top of reading and writing. 514 regions x the default framework (55 indicators)."""

import functools

import numpy as np
import pandas as pd

from assessments.analysis import (
    consistency_checks,
    peer_medians,
    peer_positions,
    score_tables,
    self_versus_verified,
    snapshot_rows_of,
    top_gaps,
    top_strengths,
)
from assessments.analysis import frame as f
from assessments.analysis.peers import COHORT, PROVINCE
from bench.data import REGIONS_PER_PROVINCE
from bench.runner import Benchmark
from smartcity.demo import DEFAULT_FRAMEWORK
from smartcity.framework_files import FrameworkSpec, read_framework_file

NATIONAL_REGIONS = 514
SMALL_REGIONS = 50


@functools.cache
def _default_spec() -> FrameworkSpec:
    return read_framework_file(DEFAULT_FRAMEWORK)


@functools.cache
def _structure() -> pd.DataFrame:
    """One row per indicator of the default framework, with its place and weights."""
    spec = _default_spec()
    rows = [
        {
            f.PILLAR: pillar.code,
            f.PILLAR_KIND: pillar.kind,
            f.PILLAR_WEIGHT: float(pillar.weight),
            f.ELEMENT: element.code,
            f.ELEMENT_WEIGHT: float(element.weight),
            f.INDICATOR: indicator.code,
            f.INDICATOR_WEIGHT: float(indicator.weight),
            f.EVIDENCE_FROM: indicator.evidence_from_level,
        }
        for pillar in spec.pillars
        for element in pillar.elements
        for indicator in element.indicators
    ]
    return pd.DataFrame(rows)


def _scale() -> f.Scale:
    values = [level.value for level in _default_spec().levels]
    return f.Scale(min(values), max(values))


def _bands() -> tuple[f.Band, ...]:
    return tuple(
        f.Band(float(b.lower), float(b.upper), b.label.id, b.label.en)
        for b in _default_spec().bands
    )


def synthetic_cycle(regions: int, seed: int = 2026) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A cycle's response frame (levels 0-5, a third adjusted, 5% N/A, targets +0..2) and
    its regions (20 to a province, two cohorts)."""
    structure = _structure()
    rng = np.random.default_rng(seed)
    size = regions * len(structure)
    codes = [
        f"{11 + i // REGIONS_PER_PROVINCE:02d}.{i % REGIONS_PER_PROVINCE + 1:02d}"
        for i in range(regions)
    ]
    own = rng.integers(0, 6, size)
    adjusted = rng.random(size) < 0.33
    frame = pd.concat([structure] * regions, ignore_index=True).assign(
        **{
            f.ASSESSMENT: np.repeat(np.arange(1, regions + 1), len(structure)),
            f.REGION: np.repeat(codes, len(structure)),
            f.SELF_LEVEL: own.astype(float),
            f.VERIFIED_LEVEL: np.where(adjusted, np.maximum(own - 1, 0), own).astype(float),
            f.REVIEW_STATE: np.where(adjusted, f.ADJUSTED, f.ACCEPTED),
            f.TARGET: np.minimum(own + rng.integers(0, 3, size), 5).astype(float),
            f.NOT_APPLICABLE: rng.random(size) < 0.05,
            f.EVIDENCE_COUNT: rng.integers(0, 3, size),
        }
    )
    region_rows = pd.DataFrame(
        {
            f.REGION: codes,
            PROVINCE: [code[:2] for code in codes],
            COHORT: [2021 + i % 2 for i in range(regions)],
        }
    )
    return frame[list(f.COLUMNS)], region_rows


def _cycle_pass(context: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    frame, regions = context
    tables = score_tables(frame, scale=_scale())
    snapshots = snapshot_rows_of(tables, bands=_bands())
    peer_positions(snapshots, regions)
    peer_medians(snapshots, regions)
    top_gaps(tables.indicators)
    top_strengths(tables.indicators, scale=_scale())
    self_versus_verified(tables.indicators)
    consistency_checks(tables.indicators)
    assert snapshots[f.ASSESSMENT].nunique() == regions[f.REGION].size


def benchmarks(counts: tuple[int, ...] = (NATIONAL_REGIONS, SMALL_REGIONS, 1)) -> list[Benchmark]:
    return [
        Benchmark(
            name=f"analysis_cycle_pass_{count}",
            n=count,
            setup=functools.partial(synthetic_cycle, count),
            run=_cycle_pass,
            rounds=3,
            uses_database=False,
        )
        for count in counts
    ]
