"""Plotly figures of a master plan, built by pure functions (no I/O, no database).

Both builders take plain rows (a DataFrame with the columns named below; `selectors.roadmap_rows`
and `selectors.budget_rows` build them from a plan) and the names to show, already in the
active language. The few catalogue strings of a figure (axis titles, "Quick win", "Other") go
through `gettext` when the figure is built, so build it inside the language it is shown in. The
same figures go to the plan page as JSON (`{% plotly_figure %}`) and to the exported book.

    roadmap_figure(rows, dimensions={"GOV": "Tata Kelola", ...}, first_year=2027,
                   last_year=2036, title=...) -> go.Figure
        rows: ROADMAP_COLUMNS, one row per action in the order shown (top to bottom).
        A horizontal bar per action from the start of `start_year` to the end of `end_year`,
        one trace (colour) per dimension in the order of `dimensions`; a dimension code not in
        `dimensions` (a manual action without an indicator: "") is shown as "Other". Quick wins
        carry a star at the start of their bar (one extra trace named "Quick win").

    budget_figure(rows, funding={"APBD": "APBD", ...}, first_year=2027, last_year=2036,
                  title=...) -> go.Figure
        rows: BUDGET_COLUMNS, the rupiah planned per year and funding source (several rows of
        the same pair are added up). Stacked bars, one trace per funding source in the order of
        `funding`, unknown or empty sources last as "No funding source"; every year of the plan
        is on the axis, also a year with nothing planned.
"""

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from masterplan.planning import Horizon

LABEL = "label"
DIMENSION = "dimension"
START_YEAR = "start_year"
END_YEAR = "end_year"
HORIZON = "horizon"
YEAR = "year"
FUNDING = "funding"
AMOUNT = "amount"
ROADMAP_COLUMNS = (LABEL, DIMENSION, START_YEAR, END_YEAR, HORIZON)
BUDGET_COLUMNS = (YEAR, FUNDING, AMOUNT)

# Twelve distinct colours: enough for a framework's dimensions and readiness pillars together.
PALETTE = (
    "#1f6f8b",
    "#e3a008",
    "#2e7d32",
    "#c2185b",
    "#6a1b9a",
    "#ef6c00",
    "#00838f",
    "#5d4037",
    "#9e9d24",
    "#3949ab",
    "#d81b60",
    "#7cb342",
)
OTHER_COLOUR = "#7a7a7a"
QUICK_WIN_COLOUR = "#d32f2f"
_LAYOUT = {"font": {"size": 13}}
# Room above the plot for the title and the legend's rows (the legend sits on top, where a
# long roadmap's reader starts).
_MARGIN = {"l": 40, "r": 40, "t": 120, "b": 40}
_ROW_HEIGHT = 22


def _colour(position: int) -> str:
    return PALETTE[position % len(PALETTE)]


def _year_axis(first_year: int, last_year: int) -> dict:
    return {
        "title": {"text": _("Year")},
        "tickmode": "array",
        "tickvals": list(range(first_year, last_year + 1)),
        "range": [first_year - 0.5, last_year + 0.5],
    }


def roadmap_figure(
    rows: pd.DataFrame,
    *,
    dimensions: Mapping[str, str],
    first_year: int,
    last_year: int,
    title: str,
) -> go.Figure:
    """The roadmap: a Gantt bar per action, coloured by dimension, quick wins starred."""
    rows = rows.reset_index(drop=True)
    figure = go.Figure()
    known = list(dimensions)
    codes = known + sorted(set(rows[DIMENSION]) - set(known))
    for position, code in enumerate(codes):
        chosen = rows[rows[DIMENSION] == code]
        if chosen.empty:
            continue
        name = dimensions.get(code) or _("Other")
        starts, ends = chosen[START_YEAR].astype(int), chosen[END_YEAR].astype(int)
        figure.add_bar(
            name=name,
            orientation="h",
            y=list(chosen.index),
            base=list(starts - 0.5),
            x=list(ends - starts + 1),
            marker={"color": _colour(position) if code in dimensions else OTHER_COLOUR},
            customdata=[
                [label, int(start), int(end)]
                for label, start, end in zip(chosen[LABEL], starts, ends, strict=True)
            ],
            hovertemplate=f"%{{customdata[0]}}<br>{name}: %{{customdata[1]}}–%{{customdata[2]}}"
            "<extra></extra>",
        )
    quick = rows[rows[HORIZON] == Horizon.QUICK_WIN]
    if not quick.empty:
        figure.add_scatter(
            name=_("Quick win"),
            mode="markers",
            y=list(quick.index),
            x=[int(start) - 0.5 for start in quick[START_YEAR]],
            marker={"symbol": "star", "size": 12, "color": QUICK_WIN_COLOUR},
            customdata=list(quick[LABEL]),
            hovertemplate=f"%{{customdata}}<br>{_('Quick win')}<extra></extra>",
        )
    figure.update_layout(
        title={"text": title},
        barmode="overlay",
        height=max(300, 200 + _ROW_HEIGHT * len(rows)),
        xaxis=_year_axis(first_year, last_year),
        yaxis={
            "tickmode": "array",
            "tickvals": list(rows.index),
            "ticktext": [_short(label) for label in rows[LABEL]],
            "autorange": "reversed",
            "automargin": True,
        },
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom"},
        margin=_MARGIN,
        **_LAYOUT,
    )
    return figure


def _short(label: str, length: int = 40) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"


def budget_figure(
    rows: pd.DataFrame,
    *,
    funding: Mapping[str, str],
    first_year: int,
    last_year: int,
    title: str,
) -> go.Figure:
    """The budget per year, stacked by funding source."""
    years = list(range(first_year, last_year + 1))
    rows = rows.assign(**{FUNDING: rows[FUNDING].where(rows[FUNDING].isin(list(funding)), "")})
    table = (
        rows.groupby([FUNDING, YEAR])[AMOUNT].sum().unstack(YEAR, fill_value=0)
        if not rows.empty
        else pd.DataFrame()
    )
    figure = go.Figure()
    for position, code in enumerate([*funding, ""]):
        if code not in table.index:
            continue
        amounts = table.loc[code].reindex(years, fill_value=0)
        name = funding[code] if code else _("No funding source")
        figure.add_bar(
            name=name,
            x=years,
            y=[int(amount) for amount in amounts],
            marker={"color": _colour(position) if code else OTHER_COLOUR},
            hovertemplate=f"{name} %{{x}}: Rp%{{y:,.0f}}<extra></extra>",
        )
    figure.update_layout(
        title={"text": title},
        barmode="stack",
        xaxis=_year_axis(first_year, last_year),
        yaxis={"title": {"text": _("Budget (IDR)")}, "rangemode": "tozero"},
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom"},
        margin=_MARGIN,
        **_LAYOUT,
    )
    return figure
