"""The pre-computed part of an evaluation: pure pandas, tested without a database.

`precompute(frames, params)` scores every region of a round in one pass over four frames (see
`Frames`). Each dimension's entry is {"score": float | None, "inputs": {...}}: a None score is
missing data (shown as missing, never as 0), the inputs are what `formula_text` shows.

- Baseline = mid + half-range x (index now - index before), clipped to the scale: the change of
  the smart-city index between the region's last two approved cycles up to the round's year.
- Output = mean of the available parts: the readiness pillars of the foundation (their snapshot
  scores) and the completion of the plan's governance items (items of those pillars), as
  low + range x completion (done = 1, in progress = its percent, others 0).
- Outcome = low + range x the budget-weighted share of the planned programs (started by the
  round's year, not cancelled) that are running or done; by count where nothing is budgeted.
- Quick Win (delivery) = low + range x share of the quick wins due by the round's year that
  were reported done in or before their end year. The assessor adds the quality of the quick
  wins; Impact is judged only.

The achievement index is the weighted mean over the dimensions that have a score; the stage
reached is its band.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd
from django.utils import formats
from django.utils.translation import gettext as _


class Dimension:
    BASELINE = "BASELINE"
    OUTPUT = "OUTPUT"
    OUTCOME = "OUTCOME"
    IMPACT = "IMPACT"
    QUICK_WIN = "QUICK_WIN"


DIMENSIONS = (
    Dimension.BASELINE,
    Dimension.OUTPUT,
    Dimension.OUTCOME,
    Dimension.IMPACT,
    Dimension.QUICK_WIN,
)
QUALITY = "QUICK_WIN_QUALITY"  # the assessor's judgement of the quick wins' quality
ALWAYS_JUDGED = (Dimension.IMPACT, QUALITY)
DEFAULT_WEIGHTS = {"BASELINE": 10, "OUTPUT": 20, "OUTCOME": 30, "IMPACT": 30, "QUICK_WIN": 10}
DEFAULT_OUTPUT_PILLARS = ("SUP", "STR")


class ProgressStatus:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DELAYED = "delayed"
    CANCELLED = "cancelled"


RUNNING = (ProgressStatus.IN_PROGRESS, ProgressStatus.DONE)
QUICK_WIN_HORIZON = "quick_win"
NO_PILLAR = ""

# The stage reached: the band of the index normalised to 1-5 (the SPBE level names).
STAGES = ((4.5, "Optimum"), (3.5, "Terpadu dan Terukur"), (2.5, "Terdefinisi"),
          (1.5, "Terkelola"), (-np.inf, "Rintisan"))  # fmt: skip


@dataclass(frozen=True)
class RoundParams:
    year: int
    scale_min: float = 1.0
    scale_max: float = 5.0
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    output_pillars: tuple[str, ...] = DEFAULT_OUTPUT_PILLARS

    @property
    def span(self) -> float:
        return self.scale_max - self.scale_min


@dataclass(frozen=True)
class Frames:
    """The round's inputs, one row per:

    - indexes: approved assessment (region_id, year, index), the smart-city index;
    - readiness: readiness pillar score of a region's latest approved assessment
      (region_id, pillar, score);
    - items: plan item of a region's current plan (item_id, region_id, title, pillar, horizon,
      start_year, end_year, budget); `pillar` is its element's pillar code or "";
    - progress: item's latest reported state up to the round (item_id, status, percent,
      done_year), done_year the year of its first "done" report (NaN if none).
    """

    indexes: pd.DataFrame
    readiness: pd.DataFrame
    items: pd.DataFrame
    progress: pd.DataFrame


INDEX_COLUMNS = ["region_id", "year", "index"]
READINESS_COLUMNS = ["region_id", "pillar", "score"]
ITEM_COLUMNS = ["item_id", "region_id", "title", "pillar", "horizon", "start_year", "end_year",
                "budget"]  # fmt: skip
PROGRESS_COLUMNS = ["item_id", "status", "percent", "done_year"]


def empty_frames() -> Frames:
    return Frames(
        pd.DataFrame(columns=INDEX_COLUMNS),
        pd.DataFrame(columns=READINESS_COLUMNS),
        pd.DataFrame(columns=ITEM_COLUMNS),
        pd.DataFrame(columns=PROGRESS_COLUMNS),
    )


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 2)


def _scaled(share: pd.Series, params: RoundParams) -> pd.Series:
    return params.scale_min + params.span * share


def item_states(frames: Frames, year: int) -> pd.DataFrame:
    """Items with their state in `year`: status (not started without a report), planned,
    running, overdue, lagging."""
    items = frames.items.merge(frames.progress, on="item_id", how="left")
    items["status"] = items["status"].fillna(ProgressStatus.NOT_STARTED)
    items["percent"] = pd.to_numeric(items["percent"]).fillna(0).astype(float)
    items["done_year"] = pd.to_numeric(items["done_year"])
    items["budget"] = pd.to_numeric(items["budget"]).fillna(0).astype(float)
    started = items["start_year"].astype(int) <= year
    items["planned"] = started & (items["status"] != ProgressStatus.CANCELLED)
    items["running"] = items["planned"] & items["status"].isin(RUNNING)
    items["overdue"] = (
        items["planned"]
        & (items["end_year"].astype(int) < year)
        & (items["status"] != ProgressStatus.DONE)
    )
    items["lagging"] = items["planned"] & (
        items["overdue"]
        | items["status"].isin([ProgressStatus.DELAYED, ProgressStatus.NOT_STARTED])
    )
    return items


def baseline_scores(indexes: pd.DataFrame, params: RoundParams) -> pd.DataFrame:
    """Per region: the last two approved indexes up to the round's year, their change, the score."""
    rows = indexes[indexes["year"].astype(int) <= params.year].dropna(subset=["index"])
    rows = rows.sort_values(["region_id", "year"])
    last_two = rows.groupby("region_id").tail(2)
    now = last_two.groupby("region_id").nth(-1).set_index("region_id")
    before = last_two.groupby("region_id").nth(-2).set_index("region_id")
    frame = pd.DataFrame(
        {
            "year_now": now["year"],
            "index_now": now["index"].astype(float),
            "year_before": before["year"],
            "index_before": before["index"].astype(float),
        }
    )
    frame["change"] = frame["index_now"] - frame["index_before"]
    mid = (params.scale_min + params.scale_max) / 2
    frame["score"] = (mid + params.span / 2 * frame["change"]).clip(
        params.scale_min, params.scale_max
    )
    return frame


def output_scores(
    readiness: pd.DataFrame, items: pd.DataFrame, params: RoundParams
) -> pd.DataFrame:
    """Per region: the foundation pillars' mean score, the governance items' completion."""
    pillars = readiness[readiness["pillar"].isin(params.output_pillars)].dropna(subset=["score"])
    pillar_mean = (
        pillars.groupby("region_id")["score"].mean().clip(params.scale_min, params.scale_max)
    )
    governance = items[items["planned"] & items["pillar"].isin(params.output_pillars)].copy()
    governance["completion"] = np.where(
        governance["status"] == ProgressStatus.DONE,
        1.0,
        np.where(
            governance["status"] == ProgressStatus.IN_PROGRESS, governance["percent"] / 100, 0
        ),
    )
    grouped = governance.groupby("region_id")
    frame = pd.DataFrame(
        {
            "readiness": pillar_mean,
            "governance_items": grouped.size(),
            "governance_done": grouped["completion"].apply(
                lambda values: int((values == 1.0).sum())
            ),
            "completion": grouped["completion"].mean(),
        }
    )
    frame["governance"] = _scaled(frame["completion"], params)
    frame["score"] = frame[["readiness", "governance"]].mean(axis=1, skipna=True)
    return frame


def program_counts(items: pd.DataFrame) -> pd.DataFrame:
    """Per region and smart-city dimension: programs planned, running, done, delayed, cancelled,
    and planned and running budget (the "9 of 10 programs running" lines)."""
    frame = items.assign(
        done=items["planned"] & (items["status"] == ProgressStatus.DONE),
        delayed=items["planned"] & (items["status"] == ProgressStatus.DELAYED),
        cancelled=items["status"] == ProgressStatus.CANCELLED,
        budget_planned=items["budget"].where(items["planned"], 0.0),
        budget_running=items["budget"].where(items["running"], 0.0),
    )
    return (
        frame.groupby(["region_id", "pillar"])
        .agg(
            planned=("planned", "sum"),
            running=("running", "sum"),
            done=("done", "sum"),
            delayed=("delayed", "sum"),
            cancelled=("cancelled", "sum"),
            budget_planned=("budget_planned", "sum"),
            budget_running=("budget_running", "sum"),
        )
        .reset_index()
    )


def outcome_scores(counts: pd.DataFrame, params: RoundParams) -> pd.DataFrame:
    """Per region: the budget-weighted share of planned programs running (by count when no
    planned program has a budget)."""
    totals = counts.groupby("region_id")[
        ["planned", "running", "budget_planned", "budget_running"]
    ].sum()
    totals = totals[totals["planned"] > 0]
    by_budget = totals["budget_planned"] > 0
    totals["weighted_by"] = np.where(by_budget, "budget", "count")
    totals["share"] = np.where(
        by_budget,
        totals["budget_running"] / totals["budget_planned"].where(by_budget, 1),
        totals["running"] / totals["planned"],
    )
    totals["score"] = _scaled(totals["share"], params)
    return totals


def quick_win_scores(items: pd.DataFrame, params: RoundParams) -> pd.DataFrame:
    """Per region: quick wins due by the round's year, those done in or before their end year."""
    due = items[
        (items["horizon"] == QUICK_WIN_HORIZON)
        & (items["end_year"].astype(int) <= params.year)
        & (items["status"] != ProgressStatus.CANCELLED)
    ].copy()
    due["on_time"] = (due["status"] == ProgressStatus.DONE) & (
        due["done_year"] <= due["end_year"].astype(int)
    )
    grouped = due.groupby("region_id")
    frame = pd.DataFrame({"due": grouped.size(), "on_time": grouped["on_time"].sum()})
    frame["score"] = _scaled(frame["on_time"] / frame["due"], params)
    return frame


def _row(frame: pd.DataFrame, region_id) -> dict | None:
    if region_id not in frame.index:
        return None
    return frame.loc[region_id].to_dict()


def precompute(frames: Frames, params: RoundParams, region_ids: list[int]) -> dict[int, dict]:
    """Every region's pre-computed entries: dimensions, programs per dimension, lagging items."""
    items = item_states(frames, params.year)
    baseline = baseline_scores(frames.indexes, params)
    output = output_scores(frames.readiness, items, params)
    counts = program_counts(items)
    outcome = outcome_scores(counts, params)
    quick = quick_win_scores(items, params)
    counts_by_region = dict(list(counts.groupby("region_id")))
    lagging = items[items["lagging"]].sort_values(["region_id", "end_year", "item_id"])
    lagging_by_region = dict(list(lagging.groupby("region_id")))
    results = {}
    for region_id in region_ids:
        results[region_id] = {
            Dimension.BASELINE: _baseline_entry(_row(baseline, region_id)),
            Dimension.OUTPUT: _output_entry(_row(output, region_id)),
            Dimension.OUTCOME: _outcome_entry(_row(outcome, region_id)),
            Dimension.IMPACT: {"score": None, "inputs": {}},
            Dimension.QUICK_WIN: _quick_entry(_row(quick, region_id)),
            "programs": _programs(counts_by_region.get(region_id)),
            "lagging": _lagging(lagging_by_region.get(region_id)),
        }
    return results


def _baseline_entry(row: dict | None) -> dict:
    if row is None or pd.isna(row["index_before"]):
        return {"score": None, "inputs": {}}
    return {
        "score": _number(row["score"]),
        "inputs": {
            "year_now": int(row["year_now"]),
            "index_now": _number(row["index_now"]),
            "year_before": int(row["year_before"]),
            "index_before": _number(row["index_before"]),
            "change": _number(row["change"]),
        },
    }


def _output_entry(row: dict | None) -> dict:
    if row is None or pd.isna(row["score"]):
        return {"score": None, "inputs": {}}
    has_items = not pd.isna(row["governance_items"])
    return {
        "score": _number(row["score"]),
        "inputs": {
            "readiness": _number(row["readiness"]),
            "governance": _number(row["governance"]),
            "governance_items": int(row["governance_items"]) if has_items else 0,
            "governance_done": int(row["governance_done"]) if has_items else 0,
            "completion": _number(row["completion"]),
        },
    }


def _outcome_entry(row: dict | None) -> dict:
    if row is None:
        return {"score": None, "inputs": {}}
    return {
        "score": _number(row["score"]),
        "inputs": {
            "planned": int(row["planned"]),
            "running": int(row["running"]),
            "budget_planned": int(row["budget_planned"]),
            "budget_running": int(row["budget_running"]),
            "weighted_by": row["weighted_by"],
            "share": _number(row["share"]),
        },
    }


def _quick_entry(row: dict | None) -> dict:
    if row is None:
        return {"score": None, "inputs": {}}
    return {
        "score": _number(row["score"]),
        "inputs": {"due": int(row["due"]), "on_time": int(row["on_time"])},
    }


def _programs(group: pd.DataFrame | None) -> list[dict]:
    if group is None:
        return []
    return [
        {
            "pillar": row.pillar,
            "planned": int(row.planned),
            "running": int(row.running),
            "done": int(row.done),
            "delayed": int(row.delayed),
            "cancelled": int(row.cancelled),
            "share": _number(row.running / row.planned) if row.planned else None,
        }
        for row in group.sort_values("pillar").itertuples()
        if row.planned or row.cancelled
    ]


def _lagging(group: pd.DataFrame | None) -> list[dict]:
    if group is None:
        return []
    return [
        {
            "item_id": int(row.item_id),
            "title": row.title,
            "pillar": row.pillar,
            "status": row.status,
            "overdue": bool(row.overdue),
            "end_year": int(row.end_year),
        }
        for row in group.itertuples()
    ]


# --- Combining the pre-computed and judged scores -------------------------------------------------
def final_scores(computed: dict, judged: dict[str, float]) -> dict[str, float | None]:
    """Each dimension's score: the assessor's where given, else the pre-computed one. Quick Win
    without its own judgement is the mean of delivery (pre-computed) and quality (judged)."""
    scores = {}
    for code in DIMENSIONS:
        if code in judged:
            scores[code] = judged[code]
            continue
        value = (computed.get(code) or {}).get("score")
        if code == Dimension.QUICK_WIN:
            parts = [part for part in (value, judged.get(QUALITY)) if part is not None]
            value = round(sum(parts) / len(parts), 2) if parts else None
        scores[code] = value
    return scores


def achievement_index(
    scores: dict[str, float | None], weights: dict[str, float]
) -> tuple[float | None, list[str]]:
    """The weighted mean over the dimensions with a score (and a weight), and their codes."""
    used = [code for code in DIMENSIONS if scores.get(code) is not None and weights.get(code)]
    total = sum(weights[code] for code in used)
    if not used or total <= 0:
        return None, []
    return round(sum(scores[code] * weights[code] for code in used) / total, 2), used


def stage_of(index: float | None, params: RoundParams) -> str | None:
    """The stage reached: the band of the index once brought onto a 1-5 scale."""
    if index is None:
        return None
    level = 1 + 4 * (index - params.scale_min) / params.span
    return next(name for bound, name in STAGES if level >= bound)


def achievement_frame(table: pd.DataFrame, weights: pd.DataFrame) -> pd.Series:
    """Vectorised achievement index: `table` (evaluation x dimension scores, NaN = missing) and
    `weights` of the same shape; the weighted mean over each row's available scores."""
    available = table.notna() & (weights > 0)
    total = weights.where(available, 0).sum(axis=1)
    weighted = (table.fillna(0) * weights.where(available, 0)).sum(axis=1)
    return (weighted / total.where(total > 0)).round(2)


# --- The formulas, as shown to people -----------------------------------------------------------
def formula_text(code: str, entry: dict, params: RoundParams) -> str:
    """The formula of a pre-computed score with its numbers, in the reader's language."""
    inputs, score = entry.get("inputs") or {}, entry.get("score")
    if score is None:
        return _missing_text(code)
    lo, hi = _fmt(params.scale_min), _fmt(params.scale_max)
    if code == Dimension.BASELINE:
        mid, half = _fmt((params.scale_min + params.scale_max) / 2), _fmt(params.span / 2)
        return _(
            "%(mid)s + %(half)s × (index %(year_now)s %(now)s − index %(year_before)s "
            "%(before)s), kept within %(lo)s–%(hi)s = %(score)s"
        ) % {
            "mid": mid,
            "half": half,
            "year_now": inputs["year_now"],
            "now": _fmt(inputs["index_now"]),
            "year_before": inputs["year_before"],
            "before": _fmt(inputs["index_before"]),
            "lo": lo,
            "hi": hi,
            "score": _fmt(score),
        }
    if code == Dimension.OUTPUT:
        parts = []
        if inputs.get("readiness") is not None:
            parts.append(_("foundation readiness %(value)s") % {"value": _fmt(inputs["readiness"])})
        if inputs.get("governance") is not None:
            parts.append(
                _(
                    "governance items %(lo)s + %(span)s × %(completion)s completed "
                    "(%(done)s of %(items)s done) = %(value)s"
                )
                % {
                    "lo": lo,
                    "span": _fmt(params.span),
                    "completion": _fmt(inputs["completion"]),
                    "done": inputs["governance_done"],
                    "items": inputs["governance_items"],
                    "value": _fmt(inputs["governance"]),
                }
            )
        return _("mean of (%(parts)s) = %(score)s") % {
            "parts": "; ".join(parts),
            "score": _fmt(score),
        }
    if code == Dimension.OUTCOME:
        if inputs["weighted_by"] == "budget":
            share = _("Rp%(running)s of Rp%(planned)s planned budget running") % {
                "running": f"{inputs['budget_running']:,}".replace(",", "."),
                "planned": f"{inputs['budget_planned']:,}".replace(",", "."),
            }
        else:
            share = _("%(running)s of %(planned)s planned programs running") % inputs
        return _("%(lo)s + %(span)s × %(share)s (%(what)s) = %(score)s") % {
            "lo": lo,
            "span": _fmt(params.span),
            "share": _fmt(inputs["share"]),
            "what": share,
            "score": _fmt(score),
        }
    if code == Dimension.QUICK_WIN:
        return _(
            "%(lo)s + %(span)s × (%(on_time)s of %(due)s quick wins due delivered on time) "
            "= %(score)s"
        ) % {
            "lo": lo,
            "span": _fmt(params.span),
            "on_time": inputs["on_time"],
            "due": inputs["due"],
            "score": _fmt(score),
        }
    return ""


def _missing_text(code: str) -> str:
    return {
        Dimension.BASELINE: _("Missing: fewer than two approved assessment cycles."),
        Dimension.OUTPUT: _("Missing: no foundation readiness scores and no governance items."),
        Dimension.OUTCOME: _("Missing: no programs of the plan were due to run."),
        Dimension.IMPACT: _("Judged by the assessors only."),
        Dimension.QUICK_WIN: _("Missing: no quick wins were due."),
    }.get(code, "")


def _fmt(value: float | None) -> str:
    """A score as the reader writes numbers (3.5, or 3,5 in Indonesian), at most two decimals."""
    if value is None:
        return "–"
    return formats.number_format(Decimal(f"{value:.2f}".rstrip("0").rstrip(".")))
