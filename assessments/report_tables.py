"""The tables of a gap report: what sits beside every chart, and what the CSV and XLSX downloads
hold. Built from a report's stored figures and the framework's names, in the active language;
pure (no database), so the page, the downloads and the tests read the same rows.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from assessments import charts
from assessments.analysis import frame as f
from assessments.analysis.peers import GroupStanding, PeerStanding

Names = Mapping[str, tuple[str, str]]  # code -> (Indonesian, English)


@dataclass(frozen=True)
class Table:
    """One table: its download name, caption, column headings and rows of plain values."""

    name: str
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple, ...]


TABLE_NAMES = ("scores", "readiness", "gaps", "levels", "trend", "peers", "priorities")
TABLE_TITLES = {
    "scores": gettext_lazy("Scores per pillar"),
    "readiness": gettext_lazy("Readiness per pillar"),
    "gaps": gettext_lazy("Gap per element"),
    "levels": gettext_lazy("Indicator levels"),
    "trend": gettext_lazy("Trend over cycles"),
    "peers": gettext_lazy("Position among peers"),
    "priorities": gettext_lazy("What to fix first"),
}
GROUP_LABELS = {
    "province": gettext_lazy("Province"),
    "cohort_year": gettext_lazy("Cohort"),
    "nation": gettext_lazy("Nation"),
}
BASIS_LABELS = {
    f.BASIS_VERIFIED: gettext_lazy("Verified"),
    f.BASIS_SELF: gettext_lazy("Self-assessed"),
    f.BASIS_MIXED: gettext_lazy("Mixed"),
}


def english() -> bool:
    return (get_language() or "").startswith("en")


def name_of(names: Names, code: str) -> str:
    """The part's name in the active language (Indonesian when there is no English)."""
    indonesian, in_english = names.get(code, (code, ""))
    return in_english if english() and in_english else indonesian


def predikat_label(figures: dict, label_id: str | None) -> str:
    """A predikat (stored by its Indonesian label) in the active language."""
    if not label_id:
        return ""
    for _lower, _upper, indonesian, in_english in figures.get("bands", []):
        if indonesian == label_id:
            return in_english if english() and in_english else indonesian
    return label_id


def basis_label(basis: str | None) -> str:
    return str(BASIS_LABELS.get(basis or "", ""))


def scale_of(figures: dict) -> f.Scale:
    lowest, highest = figures["scale"]
    return f.Scale(lowest, highest)


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def standing_of(figures: dict, region: str) -> PeerStanding:
    """The anonymous peer standing stored with the report, as the type the peer chart takes."""
    return PeerStanding(
        region=region,
        groups=tuple(
            GroupStanding(
                group=group["group"],
                key=group["key"],
                peers=group["peers"],
                percentile=group["percentile"],
                quartile=group["quartile"],
                medians=dict(group["medians"]),
            )
            for group in figures.get("peers", [])
        ),
    )


def ordered_pillars(figures: dict, names: Names, kind: str) -> list[dict]:
    """The pillars of one kind in framework order (the order of `names`)."""
    order = {code: position for position, code in enumerate(names)}
    pillars = [p for p in figures.get("pillars", []) if p["pillar_kind"] == kind]
    return sorted(pillars, key=lambda p: order.get(p["pillar"], len(order)))


def national_medians(figures: dict) -> dict[str, float]:
    for group in figures.get("peers", []):
        if group["group"] == "nation":
            return dict(group["medians"])
    return {}


def report_tables(figures: dict, names: Names, region: str) -> dict[str, Table]:
    """Every table of the report, by download name (TABLE_NAMES)."""
    medians = national_medians(figures)
    scores, readiness = (
        Table(
            name,
            str(TABLE_TITLES[name]),
            (
                _("Pillar"),
                _("Current level"),
                _("Target"),
                _("Gap"),
                _("National median"),
                _("Predikat"),
                _("Level basis"),
            ),
            _score_rows(figures, names, medians, kind=kind, index_code=code),
        )
        for name, kind, code in (
            ("scores", f.DIMENSION, f.INDEX_CODE),
            ("readiness", f.READINESS, f.READINESS_CODE),
        )
    )
    elements = gap_rows(figures, names)
    gaps = Table(
        "gaps",
        str(TABLE_TITLES["gaps"]),
        (_("Element"), _("Current level"), _("Target"), _("Gap")),
        tuple(
            (e[charts.LABEL], _rounded(e[f.CURRENT]), _rounded(e[f.TARGET_SCORE]), e[f.GAP])
            for e in elements
        ),
    )
    levels = Table(
        "levels",
        str(TABLE_TITLES["levels"]),
        (
            _("Element"),
            _("Indicator"),
            _("Self-assessed level"),
            _("Verified level"),
            _("Level used"),
            _("Target"),
            _("Gap"),
            _("Level basis"),
        ),
        tuple(
            (
                name_of(names, i[f.ELEMENT]),
                f"{i[f.INDICATOR]} {name_of(names, i[f.INDICATOR])}",
                i[f.SELF_LEVEL],
                i[f.VERIFIED_LEVEL],
                _("N/A") if i[f.CURRENT] is None and i[f.NOT_APPLICABLE] else i[f.CURRENT],
                i[f.TARGET_SCORE],
                i[f.GAP],
                basis_label(i[f.BASIS]),
            )
            for i in figures.get("indicators", [])
        ),
    )
    trend = Table(
        "trend",
        str(TABLE_TITLES["trend"]),
        (_("Cycle"), _("Index"), _("Score")),
        tuple(
            (row[charts.CYCLE], row[charts.LABEL], _rounded(row[charts.VALUE]))
            for row in trend_rows(figures).to_dict("records")
        ),
    )
    standing = standing_of(figures, region)
    peers = Table(
        "peers",
        str(TABLE_TITLES["peers"]),
        (
            _("Compared with"),
            _("Regions compared"),
            _("Percentile rank"),
            _("Quartile"),
            _("Median index"),
        ),
        tuple(
            (
                str(GROUP_LABELS[group.group]),
                group.peers,
                _("Too few regions to compare") if group.too_few else _rounded(group.percentile),
                "" if group.too_few else group.quartile,
                "" if group.too_few else _rounded(group.medians.get(f.INDEX_CODE)),
            )
            for group in standing.groups
        ),
    )
    priorities = Table(
        "priorities",
        str(TABLE_TITLES["priorities"]),
        (_("Indicator"), _("Current level"), _("Target"), _("Gap"), _("Priority")),
        tuple(
            (
                f"{row[f.INDICATOR]} {name_of(names, row[f.INDICATOR])}",
                row[f.CURRENT],
                row[f.TARGET_SCORE],
                row[f.GAP],
                _rounded(row["priority"], 3),
            )
            for row in figures.get("top_gaps", [])
        ),
    )
    tables = (scores, readiness, gaps, levels, trend, peers, priorities)
    return {table.name: table for table in tables}


def _score_rows(
    figures: dict, names: Names, medians: dict[str, float], *, kind: str, index_code: str
) -> tuple[tuple, ...]:
    """The pillars of one kind, then their index (smart-city index or readiness index)."""
    pillars = tuple(
        (
            f"{p['pillar']} {name_of(names, p['pillar'])}",
            _rounded(p[f.CURRENT]),
            _rounded(p[f.TARGET_SCORE]),
            _rounded(p[f.GAP]),
            _rounded(medians.get(p["pillar"])),
            predikat_label(figures, p[f.PREDIKAT]),
            basis_label(p[f.BASIS]),
        )
        for p in ordered_pillars(figures, names, kind)
    )
    index_name = _("Smart-city index") if index_code == f.INDEX_CODE else _("Readiness index")
    index = tuple(
        (
            index_name,
            _rounded(row[f.CURRENT]),
            _rounded(row[f.TARGET_SCORE]),
            _rounded(row[f.GAP]),
            _rounded(medians.get(index_code)),
            predikat_label(figures, row[f.PREDIKAT]),
            basis_label(row[f.BASIS]),
        )
        for row in figures.get("indices", [])
        if row[f.CODE] == index_code
    )
    return pillars + index


def gap_rows(figures: dict, names: Names) -> list[dict]:
    """Elements with a gap, largest first (ties by name): the gap chart's order, top down."""
    rows = [
        {
            charts.LABEL: f"{e[f.ELEMENT]} {name_of(names, e[f.ELEMENT])}",
            f.CURRENT: e[f.CURRENT],
            f.TARGET_SCORE: e[f.TARGET_SCORE],
            f.GAP: _rounded(e[f.GAP]),
        }
        for e in figures.get("elements", [])
        if e[f.GAP] is not None
    ]
    return sorted(rows, key=lambda row: (-row[f.GAP], row[charts.LABEL]))


def trend_rows(figures: dict) -> pd.DataFrame:
    """The trend chart's rows (charts.TREND_COLUMNS), earlier cycles first."""
    labels = {f.INDEX_CODE: _("Smart-city index"), f.READINESS_CODE: _("Readiness index")}
    return pd.DataFrame(
        [
            {
                charts.CYCLE: row["cycle"],
                charts.LABEL: labels.get(row[f.CODE], row[f.CODE]),
                charts.VALUE: row["value"],
            }
            for row in figures.get("trend", [])
        ],
        columns=list(charts.TREND_COLUMNS),
    )


def trend_normalised(figures: dict) -> bool:
    return any(row.get("normalised") for row in figures.get("trend", []))
