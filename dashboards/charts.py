"""Plotly figures of the dashboards: pure builders from the frames of `dashboards.analysis`.

Drawn in the page with `{% plotly_figure %}` (maps with `{% plotly_map %}`); each chart has a table
beside it with the same numbers.
"""

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from dashboards.analysis import INDEX_SCOPE, PROGRESS_STATUSES

STATUS_COLOURS = {
    "not_started": "#adb5bd",
    "draft": "#6ea8fe",
    "submitted": "#ffc107",
    "in_review": "#fd7e14",
    "returned": "#dc3545",
    "approved": "#198754",
}
SCORE_COLOURS = "YlGnBu"
_MARGIN = {"l": 10, "r": 10, "t": 30, "b": 10}


def _layout(figure: go.Figure, title: str, height: int = 320) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0, "font": {"size": 14}},
        height=height,
        margin=_MARGIN,
        # Plain white rather than template="plotly_white": assigning a template costs plotly.py
        # tens of milliseconds per figure, on every cold dashboard request.
        plot_bgcolor="#ffffff",
    )
    return figure


def status_bar(counts: pd.DataFrame, labels: Mapping[str, str]) -> go.Figure:
    """Regions per status, one horizontal bar each, in workflow order."""
    figure = go.Figure(
        go.Bar(
            x=counts["count"].tolist(),
            y=[labels[status] for status in counts["status"]],
            orientation="h",
            marker_color=[STATUS_COLOURS[status] for status in counts["status"]],
            text=counts["count"].tolist(),
            textposition="auto",
        )
    )
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, _("Regions per status"), 280)


def province_completion_bar(provinces: pd.DataFrame) -> go.Figure:
    """Per province: the share of regions approved and the share awaiting review, stacked."""
    awaiting = provinces["reported_rate"] - provinces["approved_rate"]
    figure = go.Figure(
        [
            go.Bar(
                name=_("Approved"),
                x=(provinces["approved_rate"] * 100).round(1).tolist(),
                y=provinces["province_name"].tolist(),
                orientation="h",
                marker_color=STATUS_COLOURS["approved"],
            ),
            go.Bar(
                name=_("Reported, not yet approved"),
                x=(awaiting * 100).round(1).tolist(),
                y=provinces["province_name"].tolist(),
                orientation="h",
                marker_color=STATUS_COLOURS["submitted"],
            ),
        ]
    )
    figure.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.15})
    figure.update_xaxes(range=[0, 100], ticksuffix="%")
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, _("Completion rate by province"), max(260, 60 + 24 * len(provinces)))


def index_histogram(indices: pd.DataFrame, top: float) -> go.Figure:
    """The distribution of the smart-city index over the regions (bins of a quarter level)."""
    figure = go.Figure(
        go.Histogram(
            x=indices["current"].dropna().round(3).tolist(),
            xbins={"start": 0, "end": top, "size": 0.25},
            marker_color="#0d6efd",
        )
    )
    figure.update_xaxes(title=_("Smart-city index"), range=[0, top])
    figure.update_yaxes(title=_("Regions"))
    return _layout(figure, _("Distribution of the index"))


def predikat_bar(predikat: pd.DataFrame) -> go.Figure:
    """Regions per predikat band, lowest band first."""
    figure = go.Figure(
        go.Bar(
            x=predikat["predikat"].tolist(),
            y=predikat["count"].tolist(),
            text=predikat["count"].tolist(),
            marker_color="#20c997",
        )
    )
    figure.update_yaxes(title=_("Regions"))
    return _layout(figure, _("Regions per predikat"))


def pillar_means_bar(pillars: pd.DataFrame, top: float) -> go.Figure:
    """The mean score of each dimension and readiness pillar, the two kinds in two colours."""
    colours = {"dimension": "#0d6efd", "readiness": "#6f42c1"}
    figure = go.Figure(
        go.Bar(
            x=[
                f"{code} {name}"
                for code, name in zip(pillars["code"], pillars["name"], strict=True)
            ],
            y=pillars["mean"].round(2).tolist(),
            marker_color=[colours.get(kind, "#6c757d") for kind in pillars["kind"]],
        )
    )
    figure.update_yaxes(range=[0, top], title=_("Mean score"))
    return _layout(figure, _("Mean per dimension and readiness pillar"))


def heatmap(matrix: pd.DataFrame, top: float) -> go.Figure:
    """Regions x dimensions, coloured by score, in the matrix's row order (first on top)."""
    columns = [column for column in matrix.columns if column != "index"]
    values = matrix[columns].round(2)
    figure = go.Figure(
        go.Heatmap(
            z=values.where(values.notna(), None).to_numpy().tolist(),
            x=columns,
            y=matrix.index.tolist(),
            zmin=0,
            zmax=top,
            colorscale=SCORE_COLOURS,
            hoverongaps=False,
            # Under the strict CSP: gaps keep plotly.js from probing image rendering with a style
            # attribute, and a colour bar would write empty style attributes (the table beside
            # the chart gives the numbers).
            xgap=1,
            ygap=1,
            showscale=False,
        )
    )
    figure.update_yaxes(autorange="reversed", automargin=True)
    return _layout(figure, _("Regions by dimension"), max(300, 80 + 18 * len(matrix)))


def gap_bar(gaps: pd.DataFrame) -> go.Figure:
    """The elements with the largest mean gap, the largest on top."""
    figure = go.Figure(
        go.Bar(
            x=gaps["gap"].round(2).tolist(),
            y=[f"{code} {name}" for code, name in zip(gaps["code"], gaps["name"], strict=True)],
            orientation="h",
            marker_color="#dc3545",
        )
    )
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(title=_("Mean gap (levels)"))
    return _layout(figure, _("Elements with the largest mean gap"), max(260, 60 + 26 * len(gaps)))


def trend_line(trend: pd.DataFrame, top: float) -> go.Figure:
    """The mean smart-city and readiness index per cycle."""
    names = {INDEX_SCOPE: _("Smart-city index"), "readiness_index": _("Readiness index")}
    figure = go.Figure(
        [
            go.Scatter(
                x=rows["title"].tolist(),
                y=rows["mean"].round(2).tolist(),
                name=names[scope],
                mode="lines+markers",
            )
            for scope, rows in trend.groupby("scope", sort=False)
        ]
    )
    figure.update_yaxes(range=[0, top], title=_("Mean score"))
    figure.update_layout(legend={"orientation": "h", "y": -0.2})
    return _layout(figure, _("Mean over cycles"))


def region_trend(scores: pd.DataFrame, top: float) -> go.Figure:
    """One region's smart-city and readiness index per cycle year."""
    names = {INDEX_SCOPE: _("Smart-city index"), "readiness_index": _("Readiness index")}
    figure = go.Figure(
        [
            go.Scatter(
                x=rows["year"].astype(str).tolist(),
                y=rows["current"].round(2).tolist(),
                name=names[scope],
                mode="lines+markers",
            )
            for scope, rows in scores.groupby("scope", sort=False)
        ]
    )
    figure.update_yaxes(range=[0, top])
    figure.update_layout(legend={"orientation": "h", "y": -0.2})
    return _layout(figure, _("Index over cycles"))


def region_dimensions(pillars: pd.DataFrame, top: float) -> go.Figure:
    """One region's dimension scores, one group of bars per dimension, one bar per cycle year."""
    figure = go.Figure(
        [
            go.Bar(
                name=str(year),
                x=rows["code"].tolist(),
                y=rows["current"].round(2).tolist(),
            )
            for year, rows in pillars.groupby("year")
        ]
    )
    figure.update_yaxes(range=[0, top])
    figure.update_layout(barmode="group", legend={"orientation": "h", "y": -0.2})
    return _layout(figure, _("Dimensions per cycle"))


# --- Maps ---------------------------------------------------------------------------------------
def _map_layout(figure: go.Figure, title: str) -> go.Figure:
    figure.update_geos(
        fitbounds="locations",
        visible=False,
        showcountries=True,
        showland=True,
        landcolor="#f8f9fa",
        projection_type="mercator",
    )
    figure.update_layout(height=520, legend={"orientation": "h", "y": -0.05})
    return _layout(figure, title, 520)


def _value_map(
    codes: list[str], values: list, names: list[str], geojson_url: str, **colours
) -> go.Choropleth:
    """A choropleth of areas (codes of the GeoJSON's `properties.code`) coloured by value;
    `geojson_url` is fetched and prepared by static/js/map.js before drawing."""
    return go.Choropleth(
        geojson=geojson_url,
        featureidkey="properties.code",
        locations=codes,
        z=values,
        zmin=0,
        text=names,
        marker_line_width=0.3,
        showscale=False,  # a colour bar writes style attributes, which the CSP refuses
        **colours,
    )


def score_map(
    codes: list[str], values: list[float | None], names: list[str], geojson_url: str, top: float
) -> go.Figure:
    """Regions or provinces coloured by score."""
    trace = _value_map(
        codes, values, names, geojson_url, zmax=top, colorscale=SCORE_COLOURS,
        hovertemplate="%{text}: %{z:.2f}<extra></extra>",
    )  # fmt: skip
    return _map_layout(go.Figure(trace), _("Smart-city index"))


def status_map(
    areas: pd.DataFrame, labels: Mapping[str, str], geojson_url: str, title: str
) -> go.Figure:
    """Areas (`code`, `name`, `status`) coloured by status: one trace per status, so that the
    legend names each colour."""
    traces = []
    for status in PROGRESS_STATUSES:
        rows = areas[areas["status"] == status]
        if rows.empty:
            continue
        colour = STATUS_COLOURS[status]
        traces.append(
            go.Choropleth(
                geojson=geojson_url,
                featureidkey="properties.code",
                locations=rows["code"].tolist(),
                z=[1] * len(rows),
                text=rows["name"].tolist(),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                showlegend=True,
                name=labels[status],
                marker_line_width=0.3,
                hovertemplate="%{text}<extra>" + labels[status] + "</extra>",
            )
        )
    return _map_layout(go.Figure(traces), title)


def rate_map(codes: list[str], rates: list[float], names: list[str], geojson_url: str) -> go.Figure:
    """Provinces coloured by their reporting rate (percent)."""
    trace = _value_map(
        codes, rates, names, geojson_url, zmax=100, colorscale="Greens",
        hovertemplate="%{text}: %{z:.0f}%<extra></extra>",
    )  # fmt: skip
    return _map_layout(go.Figure(trace), _("Reporting rate"))


def achievement_bar(groups: pd.DataFrame, scale_max: float, title: str) -> go.Figure:
    """The mean achievement index of each group (province or cohort) with how many regions it
    averages; groups without any index are left out of the bars (the table names them)."""
    shown = groups.dropna(subset=["mean"])
    figure = go.Figure(
        go.Bar(
            x=shown["mean"].round(2).tolist(),
            y=shown["name"].astype(str).tolist(),
            orientation="h",
            text=[f"n={count}" for count in shown["evaluated"]],
            textposition="auto",
            marker_color="#0d6efd",
        )
    )
    figure.update_xaxes(range=[0, scale_max], title=_("Mean achievement index"))
    figure.update_yaxes(autorange="reversed", type="category")
    return _layout(figure, title, max(260, 60 + 24 * len(shown)))
