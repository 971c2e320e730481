"""The dashboards' arithmetic: pure pandas over the frames the selectors read in one query each.

Nothing here touches the database. Every function takes the frame of one user's scope and returns
a new frame; the selectors never loop over regions.
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from assessments.models import AssessmentStatus

NOT_STARTED = "not_started"
# The statuses of the progress dashboard, in the order of the workflow.
PROGRESS_STATUSES = (
    NOT_STARTED,
    AssessmentStatus.DRAFT.value,
    AssessmentStatus.SUBMITTED.value,
    AssessmentStatus.IN_REVIEW.value,
    AssessmentStatus.RETURNED.value,
    AssessmentStatus.APPROVED.value,
)
# Reported: sent to the ministry and not sent back. The rest is still the region's work.
REPORTED = frozenset(
    {AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW, AssessmentStatus.APPROVED}
)

# The stamps whose latest is a region's last activity: its own change, an answer, an event.
ACTIVITY_COLUMNS = ("updated_at", "last_response", "last_event")
SORT_KEYS = {
    "region": ["region_name", "region_code"],
    "province": ["province_name", "region_name"],
    "status": ["status_order", "region_name"],
    "activity": ["last_activity", "region_name"],
    "index": ["index", "region_name"],
}


def progress_table(
    rows: pd.DataFrame, *, today: datetime.date, deadline: datetime.date
) -> pd.DataFrame:
    """The rows with the dashboard's status (`not started` for a draft nobody has touched yet),
    `overdue` (past the deadline and not reported) and `last_activity` (the latest of the
    assessment's own change, an answer and an event)."""
    table = rows.copy()
    status = table["status"].to_numpy(dtype=object, copy=True)
    status[(status == AssessmentStatus.DRAFT) & ~table["touched"].to_numpy(dtype=bool)] = (
        NOT_STARTED
    )
    order = {value: number for number, value in enumerate(PROGRESS_STATUSES)}
    table["status"] = status
    table["status_order"] = [order.get(value) for value in status]
    table["overdue"] = (today > deadline) & ~np.isin(status, list(REPORTED))
    stamps = [pd.to_datetime(table[column], utc=True) for column in ACTIVITY_COLUMNS]
    table["last_activity"] = pd.concat(stamps, axis=1).max(axis=1)
    return table


@dataclass(frozen=True)
class ProgressFilters:
    """What the progress table is narrowed to; empty values filter nothing."""

    province: str = ""
    cohort: int | None = None
    status: str = ""
    predikat: str = ""
    overdue: bool = False
    sort: str = "region"
    descending: bool = False

    def key(self) -> str:
        return (
            f"{self.province}|{self.cohort}|{self.status}|{self.predikat}|{int(self.overdue)}"
            f"|{self.sort}|{int(self.descending)}"
        )


def filter_progress(table: pd.DataFrame, filters: ProgressFilters) -> pd.DataFrame:
    """The rows the filters keep, sorted as asked (ties by region name)."""
    keep = pd.Series(True, index=table.index)
    if filters.province:
        keep &= table["province_code"] == filters.province
    if filters.cohort is not None:
        keep &= table["cohort_year"] == filters.cohort
    if filters.status:
        keep &= table["status"] == filters.status
    if filters.predikat:
        keep &= table["predikat"] == filters.predikat
    if filters.overdue:
        keep &= table["overdue"]
    columns = SORT_KEYS.get(filters.sort, SORT_KEYS["region"])
    ascending = [not filters.descending] + [True] * (len(columns) - 1)
    return table[keep].sort_values(
        columns, ascending=ascending, na_position="last", kind="stable", ignore_index=True
    )


def status_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Regions per dashboard status (every status, zero included) with their share, and how
    many of each are overdue."""
    status = table["status"].tolist()
    counts = Counter(status)
    late = table["overdue"].tolist()
    overdue = Counter(value for value, is_late in zip(status, late, strict=True) if is_late)
    total = len(status)
    return pd.DataFrame(
        {
            "status": list(PROGRESS_STATUSES),
            "count": [counts[value] for value in PROGRESS_STATUSES],
            "share": [counts[value] / total if total else 0.0 for value in PROGRESS_STATUSES],
            "overdue": [overdue[value] for value in PROGRESS_STATUSES],
        }
    )


def province_completion(table: pd.DataFrame) -> pd.DataFrame:
    """Per province: regions, how many reported and how many are approved, and both as rates;
    the best reporting province first. Counted with `bincount` over the factorised provinces:
    a grouped aggregation costs a national request several milliseconds more."""
    codes, provinces = pd.factorize(table["province_code"], sort=False)
    size = len(provinces)
    status = table["status"]

    def count(flags: pd.Series) -> np.ndarray:
        return np.bincount(codes, weights=flags.to_numpy(dtype=float), minlength=size).astype(int)

    first_rows = np.unique(codes, return_index=True)[1]
    grouped = pd.DataFrame(
        {
            "province_code": provinces,
            "province_name": table["province_name"].to_numpy()[first_rows],
            "regions": np.bincount(codes, minlength=size),
            "reported": count(status.isin(REPORTED)),
            "approved": count(status == AssessmentStatus.APPROVED),
        }
    )
    grouped["reported_rate"] = grouped["reported"] / grouped["regions"]
    grouped["approved_rate"] = grouped["approved"] / grouped["regions"]
    return grouped.sort_values(
        ["reported_rate", "province_code"], ascending=[False, True], ignore_index=True
    )


# --- Maturity ------------------------------------------------------------------------------------
INDEX_SCOPE = "smart_city_index"
READINESS_SCOPE = "readiness_index"
PILLAR_SCOPE = "pillar"
ELEMENT_SCOPE = "element"
DIMENSION = "dimension"


@dataclass(frozen=True)
class Maturity:
    """Everything the maturity dashboard draws, over one scope and cycle."""

    indices: pd.DataFrame  # region, region_name, province_code, current, predikat, preliminary
    predikat: pd.DataFrame  # predikat, count (every band, in band order)
    pillars: pd.DataFrame  # code, name, kind, mean, gap, regions
    heatmap: pd.DataFrame  # index: region_name; columns: dimension codes, then "index"
    gaps: pd.DataFrame  # code, name, pillar, gap, regions (largest first)


def dimension_codes(pillars: pd.DataFrame) -> list[str]:
    """The codes of the six dimensions among a framework's pillars, in their order."""
    return list(pillars[pillars["kind"] == DIMENSION].sort_values("position")["code"])


def maturity(
    scores: pd.DataFrame,
    *,
    means: pd.DataFrame,
    pillars: pd.DataFrame,
    elements: pd.DataFrame,
    bands: Sequence[str],
    heatmap_sort: str = "index",
    top: int = 10,
) -> Maturity:
    """The maturity dashboard of a cycle. `scores` has a row per region (region, region_name,
    province_code, index, predikat, preliminary and a column per dimension code); `means` the
    mean score and gap of every pillar and element (scope, code, mean, gap, regions); `pillars`
    code, name, kind, position; `elements` code, name, pillar, position; `bands` the predikat
    labels in order. The heatmap is sorted by `heatmap_sort` (a dimension code, `index` or
    `region`), best first."""
    indices = scores.loc[
        scores["index"].notna(),
        ["region", "region_name", "province_code", "index", "predikat", "preliminary"],
    ].rename(columns={"index": "current"})
    indices = indices.reset_index(drop=True)
    counts = Counter(indices["predikat"].tolist())
    predikat = pd.DataFrame({"predikat": list(bands), "count": [counts[band] for band in bands]})

    # Few rows (a framework's pillars and elements): looked up by code, not merged.
    by_code = means.set_index(["scope", "code"])[["mean", "gap", "regions"]]
    pillar_means = pillars.sort_values(["kind", "position"], ignore_index=True)
    found = by_code.reindex(pd.MultiIndex.from_product([[PILLAR_SCOPE], pillar_means["code"]]))
    pillar_means[["mean", "gap", "regions"]] = found.to_numpy()

    dimensions = dimension_codes(pillars)
    heatmap = scores.set_index("region_name").reindex(columns=[*dimensions, "index"])
    heatmap = heatmap[heatmap[dimensions].notna().any(axis=1)]
    if heatmap_sort == "region":
        heatmap = heatmap.sort_index()
    else:
        column = heatmap_sort if heatmap_sort in heatmap.columns else "index"
        heatmap = heatmap.sort_values(column, ascending=False, na_position="last", kind="stable")

    element_rows = means[(means["scope"] == ELEMENT_SCOPE) & means["gap"].notna()]
    element_rows = element_rows[element_rows["code"].isin(elements["code"])]
    gaps = element_rows.sort_values(["gap", "code"], ascending=[False, True]).head(top)
    named = elements.set_index("code")
    gaps = pd.DataFrame(
        {
            "code": gaps["code"].to_numpy(),
            "name": named["name"].reindex(gaps["code"]).to_numpy(),
            "pillar": named["pillar"].reindex(gaps["code"]).to_numpy(),
            "gap": gaps["gap"].to_numpy(dtype=float),
            "mean": gaps["mean"].to_numpy(dtype=float),
            "regions": gaps["regions"].to_numpy(),
        }
    )
    return Maturity(indices, predikat, pillar_means, heatmap, gaps)


# --- Achievement (the annual evaluation) ---------------------------------------------------------
def achievement_groups(frame: pd.DataFrame, by: str, name: str) -> pd.DataFrame:
    """Per value of `by` (a province, a cohort year): `name`, the regions in the round, how many
    have an achievement index, and their mean (NaN when none has one; missing is never 0)."""
    grouped = frame.groupby(by, as_index=False, dropna=False).agg(
        name=(name, "first"),
        regions=("region_id", "count"),
        evaluated=("achievement", "count"),
        mean=("achievement", "mean"),
    )
    return grouped.sort_values(by, ignore_index=True, na_position="last")
