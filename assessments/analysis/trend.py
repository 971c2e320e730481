"""Change against a region's earlier approved cycles, across framework versions.

An earlier cycle's indicator levels are carried onto the current framework through the
crosswalk (old code -> new codes). Only indicators that map one to one are comparable; the
others are named by markers: `new` (no old source), `dropped` (old code with no successor),
`split` (one old code to several new ones) and `merged` (several old codes to one new one).
Element, pillar and index changes are computed like for like: both cycles rolled up, with the
current weights, over the indicators comparable and answered in both. Where the scale changed,
both sides are put on 0-100% of their own scale and the rows are marked `normalised`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from assessments.analysis.frame import (
    ASSESSMENT,
    CODE,
    CURRENT,
    ELEMENT,
    INDEX_CODE,
    INDICATOR,
    PILLAR,
    REGION,
    SCOPE,
    SCOPE_ELEMENT,
    SCOPE_INDEX,
    SCOPE_INDICATOR,
    SCOPE_PILLAR,
    SCOPE_READINESS,
    Scale,
)
from assessments.analysis.scores import SCOPE_ORDER, ScoreTables, roll_up

EARLIER_CYCLE = "cycle"
PREVIOUS = "previous"
CHANGE = "change"
NORMALISED = "normalised"
MARKER = "marker"
RELATED = "related"
NEW = "new"
DROPPED = "dropped"
SPLIT = "split"
MERGED = "merged"
EARLIER_COLUMNS = (EARLIER_CYCLE, REGION, INDICATOR, CURRENT)
CHANGE_COLUMNS = (
    ASSESSMENT,
    REGION,
    EARLIER_CYCLE,
    SCOPE,
    CODE,
    PREVIOUS,
    CURRENT,
    CHANGE,
    NORMALISED,
)
MARKER_COLUMNS = (EARLIER_CYCLE, MARKER, INDICATOR, ELEMENT, RELATED)


@dataclass(frozen=True)
class EarlierFramework:
    """The framework an earlier cycle was answered on, as seen from the current one.

    `code_map`: old indicator code -> its codes in the current framework, following every
    crosswalk in between (an old code absent from the map was dropped); None when the earlier
    cycle used the current framework version itself.
    """

    scale: Scale
    code_map: Mapping[str, Sequence[str]] | None = None


@dataclass(frozen=True)
class Trend:
    """`changes`: CHANGE_COLUMNS, one row per assessment, earlier cycle, scope and code;
    `markers`: MARKER_COLUMNS, the non-comparable indicators of each earlier cycle."""

    changes: pd.DataFrame
    markers: pd.DataFrame


def crosswalk(
    code_map: Mapping[str, Sequence[str]] | None,
    *,
    old_codes: Sequence[str],
    new_codes: Sequence[str],
) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """The comparable pairs (old -> new) and the markers (kind, code, related codes)."""
    current = set(new_codes)
    if code_map is None:
        code_map = {code: [code] for code in old_codes if code in current}
    olds = sorted(set(old_codes) | set(code_map))
    targets = {old: sorted(set(code_map.get(old, ())) & current) for old in olds}
    sources: dict[str, list[str]] = {code: [] for code in sorted(current)}
    for old in olds:
        for new in targets[old]:
            sources[new].append(old)
    comparable: dict[str, str] = {}
    markers: list[tuple[str, str, str]] = []
    for old in olds:
        if not targets[old]:
            markers.append((DROPPED, old, ""))
        elif len(targets[old]) > 1:
            markers.append((SPLIT, old, ", ".join(targets[old])))
        elif len(sources[targets[old][0]]) == 1:
            comparable[old] = targets[old][0]
    for new, origins in sources.items():
        if not origins:
            markers.append((NEW, new, ""))
        elif len(origins) > 1:
            markers.append((MERGED, new, ", ".join(origins)))
    return comparable, markers


def trend(
    current: ScoreTables,
    earlier: pd.DataFrame,
    frameworks: Mapping[str, EarlierFramework],
    *,
    scale: Scale,
) -> Trend:
    """Changes of every assessment in `current` against its region's earlier cycles.

    `earlier` has EARLIER_COLUMNS: one row per earlier cycle (its label), region and indicator
    (old code) with the level used then (NaN for N/A), e.g. the indicator rows of the earlier
    cycles' score snapshots. `frameworks` gives each earlier cycle's framework. The loop runs
    over earlier cycles (a handful), never over regions.
    """
    indicators = current.indicators
    new_codes = indicators[INDICATOR].unique().tolist()
    element_of = indicators.drop_duplicates(INDICATOR).set_index(INDICATOR)[ELEMENT]
    comparisons, markers = [], []
    for label, framework in frameworks.items():
        rows = earlier[earlier[EARLIER_CYCLE] == label]
        comparable, found = crosswalk(
            framework.code_map, old_codes=rows[INDICATOR].unique().tolist(), new_codes=new_codes
        )
        markers += [
            (label, kind, code, element_of.get(code), related) for kind, code, related in found
        ]
        carried = rows.assign(**{INDICATOR: rows[INDICATOR].map(comparable)}).dropna(
            subset=[INDICATOR]
        )
        paired = indicators.merge(
            carried[[REGION, INDICATOR, CURRENT]].rename(columns={CURRENT: PREVIOUS}),
            on=[REGION, INDICATOR],
        )
        paired = paired[paired[CURRENT].notna() & paired[PREVIOUS].notna()]
        normalised = framework.scale != scale
        if normalised:
            paired = paired.assign(
                **{
                    CURRENT: scale.percent(paired[CURRENT]),
                    PREVIOUS: framework.scale.percent(paired[PREVIOUS]),
                }
            )
        comparisons.append(paired.assign(**{EARLIER_CYCLE: label, NORMALISED: normalised}))
    changes = _changes(pd.concat(comparisons, ignore_index=True)) if comparisons else None
    return Trend(
        changes=changes if changes is not None else pd.DataFrame(columns=list(CHANGE_COLUMNS)),
        markers=pd.DataFrame(markers, columns=list(MARKER_COLUMNS)),
    )


def _changes(paired: pd.DataFrame) -> pd.DataFrame:
    by = [ASSESSMENT, REGION, EARLIER_CYCLE]
    values = (PREVIOUS, CURRENT)
    elements, pillars, indices = roll_up(paired, values=values, sums=(), by=by)
    flags = paired.groupby(by, sort=True)[NORMALISED].first()
    parts = [
        paired.assign(**{SCOPE: SCOPE_INDICATOR, CODE: paired[INDICATOR]}),
        elements.assign(**{SCOPE: SCOPE_ELEMENT, CODE: elements[ELEMENT]}),
        pillars.assign(**{SCOPE: SCOPE_PILLAR, CODE: pillars[PILLAR]}),
        indices.assign(
            **{SCOPE: indices[CODE].map({INDEX_CODE: SCOPE_INDEX}).fillna(SCOPE_READINESS)}
        ),
    ]
    rows = pd.concat([part[[*by, SCOPE, CODE, *values]] for part in parts], ignore_index=True)
    rows = rows.join(flags, on=by)
    rows[CHANGE] = rows[CURRENT] - rows[PREVIOUS]
    order = rows[SCOPE].map(SCOPE_ORDER)
    return (
        rows.assign(_order=order)
        .sort_values([ASSESSMENT, EARLIER_CYCLE, "_order", CODE], ignore_index=True)
        .loc[:, list(CHANGE_COLUMNS)]
    )
