"""Plotly figures of the gap report, built by pure functions (no I/O, no database).

Every text on a figure is either data (the framework's names, in the active language, come in
with the data) or a catalogue string taken through `gettext` when the figure is built, so a
figure is built in the language of the request that asks for it. The figures go to the page as
JSON and to the PDF through kaleido.
"""

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from assessments.analysis.frame import (
    CODE,
    CURRENT,
    ELEMENT,
    GAP,
    INDICATOR,
    SCOPE,
    SCOPE_PILLAR,
    TARGET_SCORE,
    Scale,
)
from assessments.analysis.peers import COHORT, NATION, PROVINCE, PeerStanding

LABEL = "label"
MEDIAN = "median"
CYCLE = "cycle"
VALUE = "value"
RADAR_COLUMNS = (LABEL, CURRENT, TARGET_SCORE, MEDIAN)
GAP_COLUMNS = (LABEL, GAP)
TREND_COLUMNS = (CYCLE, LABEL, VALUE)

CURRENT_COLOUR = "#1f6f8b"
TARGET_COLOUR = "#e3a008"
MEDIAN_COLOUR = "#7a7a7a"
QUARTILE_COLOURS = ("#f8d7da", "#fff3cd", "#d1e7dd", "#a3cfbb")
_LAYOUT = {"margin": {"l": 40, "r": 40, "t": 50, "b": 40}, "font": {"size": 13}}


def _figure(title: str, **layout: object) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(title={"text": title}, **_LAYOUT, **layout)
    return figure


def _numbers(values: pd.Series) -> list[float | None]:
    """Plain floats for the figure's JSON; no data becomes a gap (None)."""
    return [None if pd.isna(value) else float(value) for value in values]


def _closed(items: list) -> list:
    """A radar's points with the first repeated at the end, so the line closes."""
    return [*items, items[0]] if items else items


def pillar_axes(
    snapshots: pd.DataFrame,
    *,
    codes: Sequence[str],
    names: Mapping[str, str],
    medians: Mapping[str, float],
) -> pd.DataFrame:
    """The radar's rows (RADAR_COLUMNS) for the pillars `codes`, in that order, from one
    assessment's score rows; `medians` may be empty (too few regions to compare)."""
    pillars = snapshots[snapshots[SCOPE] == SCOPE_PILLAR].set_index(CODE)
    return pd.DataFrame(
        {
            LABEL: [names.get(code, code) for code in codes],
            CURRENT: [pillars[CURRENT].get(code) for code in codes],
            TARGET_SCORE: [pillars[TARGET_SCORE].get(code) for code in codes],
            MEDIAN: [medians.get(code) for code in codes],
        },
        dtype=object,
    ).astype({CURRENT: float, TARGET_SCORE: float, MEDIAN: float})


def radar(axes: pd.DataFrame, *, scale: Scale, title: str) -> go.Figure:
    """Current, target and national median per pillar (RADAR_COLUMNS rows, one per axis). The
    median trace is left out when there is none (too few regions to compare)."""
    figure = _figure(
        title,
        polar={"radialaxis": {"range": [scale.lowest, scale.highest], "dtick": 1}},
        showlegend=True,
    )
    theta = _closed(axes[LABEL].tolist())
    traces = [
        (CURRENT, _("Current level"), CURRENT_COLOUR, "toself"),
        (TARGET_SCORE, _("Target"), TARGET_COLOUR, "none"),
        (MEDIAN, _("National median"), MEDIAN_COLOUR, "none"),
    ]
    for column, name, colour, fill in traces:
        if column == MEDIAN and axes[MEDIAN].isna().all():
            continue
        figure.add_trace(
            go.Scatterpolar(
                r=_closed(_numbers(axes[column])),
                theta=theta,
                name=name,
                fill=fill,
                line={"color": colour, "dash": "dot" if column == MEDIAN else "solid"},
                hovertemplate=f"%{{theta}}<br>{name}: %{{r:.2f}}<extra></extra>",
            )
        )
    return figure


def gap_bars(elements: pd.DataFrame, *, scale: Scale, title: str) -> go.Figure:
    """The gap of every element with one (GAP_COLUMNS rows), largest on top; ties by label."""
    rows = elements.dropna(subset=[GAP]).sort_values([GAP, LABEL], ascending=[True, False])
    figure = _figure(
        title,
        xaxis={"title": {"text": _("Gap (levels)")}, "range": [0, scale.span]},
        yaxis={"automargin": True},
    )
    figure.add_trace(
        go.Bar(
            x=_numbers(rows[GAP]),
            y=rows[LABEL].tolist(),
            orientation="h",
            marker={"color": TARGET_COLOUR},
            name=_("Gap"),
            hovertemplate=f"%{{y}}<br>{_('Gap')}: %{{x:.2f}}<extra></extra>",
        )
    )
    return figure


def level_heatmap(
    indicators: pd.DataFrame,
    *,
    element_names: Mapping[str, str],
    indicator_names: Mapping[str, str],
    scale: Scale,
    title: str,
) -> go.Figure:
    """The level used of every indicator, one row per element (in the order of the frame),
    one column per indicator position in it; N/A and unanswered cells stay empty.

    Drawn as square markers coloured by level rather than a Plotly heatmap trace: the heatmap
    paints a canvas image with an inline style attribute, which the strict CSP refuses. The
    levels are written on the squares."""
    rows = indicators[[ELEMENT, INDICATOR, CURRENT]].copy()
    rows["position"] = rows.groupby(ELEMENT, sort=False).cumcount()
    elements = list(dict.fromkeys(rows[ELEMENT]))
    labels = [element_names.get(element, element) for element in elements]
    width = int(rows["position"].max()) + 1 if len(rows) else 0
    cells = rows.dropna(subset=[CURRENT])
    figure = _figure(
        title,
        xaxis={
            "title": {"text": _("Indicator")},
            "dtick": 1,
            "range": [0.5, width + 0.5],
            "showgrid": False,
        },
        yaxis={
            "automargin": True,
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels,
            "autorange": "reversed",
        },
        showlegend=False,
    )
    figure.add_trace(
        go.Scatter(
            x=[int(position) + 1 for position in cells["position"]],
            y=[element_names.get(element, element) for element in cells[ELEMENT]],
            customdata=[
                f"{code} {indicator_names.get(code, '')}".strip() for code in cells[INDICATOR]
            ],
            mode="markers+text",
            text=[f"{level:g}" for level in cells[CURRENT]],
            textfont={"size": 11},
            marker={
                "symbol": "square",
                "size": 18,
                "color": _numbers(cells[CURRENT]),
                "cmin": scale.lowest,
                "cmax": scale.highest,
                "colorscale": "Blues",
                # No colour bar: its gradient is drawn with inline style attributes too. The
                # level is in every square's hover label and in the table beside the chart.
                "showscale": False,
                "line": {"width": 1, "color": "#ffffff"},
            },
            name=_("Level"),
            hovertemplate=(
                f"%{{y}}<br>%{{customdata}}<br>{_('Level')}: %{{marker.color}}<extra></extra>"
            ),
        )
    )
    return figure


def trend_lines(series: pd.DataFrame, *, scale: Scale, normalised: bool, title: str) -> go.Figure:
    """One line per label over the cycles (TREND_COLUMNS rows, cycles in order of the frame);
    `normalised`: the values are % of scale, because the scale changed between cycles."""
    axis = _("Percent of scale") if normalised else _("Score")
    value_range = [0, 100] if normalised else [scale.lowest, scale.highest]
    figure = _figure(
        title,
        xaxis={"title": {"text": _("Cycle")}, "type": "category"},
        yaxis={"title": {"text": axis}, "range": value_range},
    )
    for label, rows in series.groupby(LABEL, sort=False):
        figure.add_trace(
            go.Scatter(
                x=[str(cycle) for cycle in rows[CYCLE]],
                y=_numbers(rows[VALUE]),
                mode="lines+markers",
                name=str(label),
                hovertemplate=f"%{{x}}<br>{label}<br>{axis}: %{{y:.2f}}<extra></extra>",
            )
        )
    return figure


def peer_position(standing: PeerStanding, *, title: str) -> go.Figure:
    """The region's percentile rank in its province, cohort and the nation, over the four
    quartile bands. Built from the anonymous standing alone, so no other region's name or score
    can reach the figure; a group with too few regions says so instead of a marker."""
    group_names = {
        PROVINCE: _("Province"),
        COHORT: _("Cohort"),
        NATION: _("Nation"),
    }
    labels = [group_names[group.group] for group in standing.groups]
    figure = _figure(
        title,
        xaxis={"title": {"text": _("Percentile rank")}, "range": [0, 100], "dtick": 25},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": labels},
        showlegend=False,
    )
    for quarter, colour in enumerate(QUARTILE_COLOURS):
        figure.add_vrect(
            x0=quarter * 25, x1=(quarter + 1) * 25, fillcolor=colour, line_width=0, layer="below"
        )
    placed = [
        (label, group)
        for label, group in zip(labels, standing.groups, strict=True)
        if group.percentile is not None
    ]
    band = _("Quartile")
    figure.add_trace(
        go.Scatter(
            x=[group.percentile for _label, group in placed],
            y=[label for label, _group in placed],
            customdata=[[group.quartile, group.peers] for _label, group in placed],
            mode="markers",
            marker={"size": 14, "color": CURRENT_COLOUR},
            name=_("This region"),
            hovertemplate=(
                f"%{{y}}<br>{_('Percentile rank')}: %{{x:.0f}}<br>{band}: %{{customdata[0]}}"
                f"<br>{_('Regions compared')}: %{{customdata[1]}}<extra></extra>"
            ),
        )
    )
    for label, group in zip(labels, standing.groups, strict=True):
        if group.too_few:
            figure.add_annotation(
                x=50, y=label, text=_("Too few regions to compare"), showarrow=False
            )
    return figure
