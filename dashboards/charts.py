"""Plotly figures of the dashboards: pure builders from the frames of `dashboards.analysis`.

Each builder returns the figure as a plain dict (`{"data": [...], "layout": {...}}`) of JSON
types, which `dashboards.pages` serialises and `{% plotly_figure %}` (maps: `{% plotly_map %}`)
hands to plotly.js. Not `plotly.graph_objects`: plotly.py validates every property as it is set,
which cost a cold maturity request more than its queries; the tests validate every figure with
plotly.py instead. Each chart has a table beside it with the same numbers.
"""

from collections.abc import Iterable, Mapping

import pandas as pd
from django.utils.translation import gettext as _
from plotly.colors import make_colorscale, sequential

from dashboards.analysis import INDEX_SCOPE, PROGRESS_STATUSES

STATUS_COLOURS = {
    "not_started": "#adb5bd",
    "draft": "#6ea8fe",
    "submitted": "#ffc107",
    "in_review": "#fd7e14",
    "returned": "#dc3545",
    "approved": "#198754",
}
# Spelled out as plotly.py does: plotly.js's own "YlGnBu" runs the other way.
SCORE_COLOURS = make_colorscale(sequential.YlGnBu)
RATE_COLOURS = make_colorscale(sequential.Greens)
_MARGIN = {"l": 10, "r": 10, "t": 30, "b": 10}
_AXIS = {
    "automargin": True,
    "gridcolor": "white",
    "linecolor": "white",
    "ticks": "",
    "title": {"standoff": 15},
    "zerolinecolor": "white",
    "zerolinewidth": 2,
}
# The part of plotly.py's default template ("plotly") that these charts use: the look they had
# as graph_objects figures, without the template's 6 kB for other kinds of trace in every figure.
TEMPLATE = {
    "data": {"bar": [{"marker": {"line": {"color": "#E5ECF6", "width": 0.5}}}]},
    "layout": {
        "autotypenumbers": "strict",
        "colorway": [
            "#636efa",
            "#EF553B",
            "#00cc96",
            "#ab63fa",
            "#FFA15A",
            "#19d3f3",
            "#FF6692",
            "#B6E880",
            "#FF97FF",
            "#FECB52",
        ],  # fmt: skip
        "font": {"color": "#2a3f5f"},
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "paper_bgcolor": "white",
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "geo": {
            "bgcolor": "white",
            "subunitcolor": "white",
            "showlakes": True,
            "lakecolor": "white",
        },
    },
}


def _numbers(values: Iterable) -> list:
    """Values for JSON: a missing one (NaN) becomes null."""
    return [None if value != value else value for value in values]


def _figure(traces: list[dict], title: str, height: int = 320, **layout) -> dict:
    return {
        "data": traces,
        "layout": {
            "template": TEMPLATE,
            "title": {"text": title, "x": 0, "font": {"size": 14}},
            "height": height,
            "margin": _MARGIN,
            "plot_bgcolor": "#ffffff",  # the template's is blue-grey
            **layout,
        },
    }


def status_bar(counts: pd.DataFrame, labels: Mapping[str, str]) -> dict:
    """Regions per status, one horizontal bar each, in workflow order."""
    values = counts["count"].tolist()
    bar = {
        "type": "bar",
        "x": values,
        "y": [labels[status] for status in counts["status"]],
        "orientation": "h",
        "marker": {"color": [STATUS_COLOURS[status] for status in counts["status"]]},
        "text": [str(value) for value in values],
        "textposition": "auto",
    }
    return _figure([bar], _("Regions per status"), 280, yaxis={"autorange": "reversed"})


def province_completion_bar(provinces: pd.DataFrame) -> dict:
    """Per province: the share of regions approved and the share awaiting review, stacked."""
    awaiting = provinces["reported_rate"] - provinces["approved_rate"]
    names = provinces["province_name"].tolist()
    bars = [
        {
            "type": "bar",
            "name": name,
            "x": _numbers((rates * 100).round(1).tolist()),
            "y": names,
            "orientation": "h",
            "marker": {"color": colour},
        }
        for name, rates, colour in (
            (_("Approved"), provinces["approved_rate"], STATUS_COLOURS["approved"]),
            (_("Reported, not yet approved"), awaiting, STATUS_COLOURS["submitted"]),
        )
    ]
    return _figure(
        bars,
        _("Completion rate by province"),
        max(260, 60 + 24 * len(provinces)),
        barmode="stack",
        legend={"orientation": "h", "y": -0.15},
        xaxis={"range": [0, 100], "ticksuffix": "%"},
        yaxis={"autorange": "reversed"},
    )


def index_histogram(indices: pd.DataFrame, top: float) -> dict:
    """The distribution of the smart-city index over the regions (bins of a quarter level)."""
    histogram = {
        "type": "histogram",
        "x": indices["current"].dropna().round(3).tolist(),
        "xbins": {"start": 0, "end": top, "size": 0.25},
        "marker": {"color": "#0d6efd"},
    }
    return _figure(
        [histogram],
        _("Distribution of the index"),
        xaxis={"title": {"text": _("Smart-city index")}, "range": [0, top]},
        yaxis={"title": {"text": _("Regions")}},
    )


def predikat_bar(predikat: pd.DataFrame) -> dict:
    """Regions per predikat band, lowest band first."""
    counts = predikat["count"].tolist()
    bar = {
        "type": "bar",
        "x": predikat["predikat"].tolist(),
        "y": counts,
        "text": [str(count) for count in counts],
        "marker": {"color": "#20c997"},
    }
    return _figure([bar], _("Regions per predikat"), yaxis={"title": {"text": _("Regions")}})


def pillar_means_bar(pillars: pd.DataFrame, top: float) -> dict:
    """The mean score of each dimension and readiness pillar, the two kinds in two colours."""
    colours = {"dimension": "#0d6efd", "readiness": "#6f42c1"}
    bar = {
        "type": "bar",
        "x": [
            f"{code} {name}" for code, name in zip(pillars["code"], pillars["name"], strict=True)
        ],
        "y": _numbers(pillars["mean"].round(2).tolist()),
        "marker": {"color": [colours.get(kind, "#6c757d") for kind in pillars["kind"]]},
    }
    return _figure(
        [bar],
        _("Mean per dimension and readiness pillar"),
        yaxis={"range": [0, top], "title": {"text": _("Mean score")}},
    )


def heatmap(matrix: pd.DataFrame, top: float) -> dict:
    """Regions x dimensions, coloured by score, in the matrix's row order (first on top)."""
    columns = [column for column in matrix.columns if column != "index"]
    rows = matrix[columns].round(2).to_numpy().tolist()
    trace = {
        "type": "heatmap",
        "z": [_numbers(row) for row in rows],
        "x": columns,
        "y": matrix.index.tolist(),
        "zmin": 0,
        "zmax": top,
        "colorscale": SCORE_COLOURS,
        "hoverongaps": False,
        # Under the strict CSP: gaps keep plotly.js from probing image rendering with a style
        # attribute, and a colour bar would write empty style attributes (the table beside
        # the chart gives the numbers).
        "xgap": 1,
        "ygap": 1,
        "showscale": False,
    }
    return _figure(
        [trace],
        _("Regions by dimension"),
        max(300, 80 + 18 * len(matrix)),
        yaxis={"autorange": "reversed", "automargin": True},
    )


def gap_bar(gaps: pd.DataFrame) -> dict:
    """The elements with the largest mean gap, the largest on top."""
    bar = {
        "type": "bar",
        "x": _numbers(gaps["gap"].round(2).tolist()),
        "y": [f"{code} {name}" for code, name in zip(gaps["code"], gaps["name"], strict=True)],
        "orientation": "h",
        "marker": {"color": "#dc3545"},
    }
    return _figure(
        [bar],
        _("Elements with the largest mean gap"),
        max(260, 60 + 26 * len(gaps)),
        xaxis={"title": {"text": _("Mean gap (levels)")}},
        yaxis={"autorange": "reversed", "automargin": True},
    )


def _index_names() -> dict[str, str]:
    return {INDEX_SCOPE: _("Smart-city index"), "readiness_index": _("Readiness index")}


def _index_lines(frame: pd.DataFrame, *, x: pd.Series, y: str) -> list[dict]:
    """One line per index scope in `frame`: `x` (aligned with the frame) against column `y`."""
    names = _index_names()
    return [
        {
            "type": "scatter",
            "x": x[rows.index].tolist(),
            "y": _numbers(rows[y].round(2).tolist()),
            "name": names[scope],
            "mode": "lines+markers",
        }
        for scope, rows in frame.groupby("scope", sort=False)
    ]


def trend_line(trend: pd.DataFrame, top: float) -> dict:
    """The mean smart-city and readiness index per cycle."""
    return _figure(
        _index_lines(trend, x=trend["title"], y="mean"),
        _("Mean over cycles"),
        yaxis={"range": [0, top], "title": {"text": _("Mean score")}},
        legend={"orientation": "h", "y": -0.2},
    )


def region_trend(scores: pd.DataFrame, top: float) -> dict:
    """One region's smart-city and readiness index per cycle year."""
    return _figure(
        _index_lines(scores, x=scores["year"].astype(str), y="current"),
        _("Index over cycles"),
        yaxis={"range": [0, top]},
        legend={"orientation": "h", "y": -0.2},
    )


def region_dimensions(pillars: pd.DataFrame, top: float) -> dict:
    """One region's dimension scores, one group of bars per dimension, one bar per cycle year."""
    bars = [
        {
            "type": "bar",
            "name": str(year),
            "x": rows["code"].tolist(),
            "y": _numbers(rows["current"].round(2).tolist()),
        }
        for year, rows in pillars.groupby("year")
    ]
    return _figure(
        bars,
        _("Dimensions per cycle"),
        yaxis={"range": [0, top]},
        barmode="group",
        legend={"orientation": "h", "y": -0.2},
    )


# --- Maps ---------------------------------------------------------------------------------------
_GEO = {
    "fitbounds": "locations",
    "visible": False,
    "showcountries": True,
    "showland": True,
    "landcolor": "#f8f9fa",
    "projection": {"type": "mercator"},
}


def _map(traces: list[dict], title: str) -> dict:
    return _figure(traces, title, 520, geo=_GEO, legend={"orientation": "h", "y": -0.05})


def _choropleth(codes: list[str], names: list[str], geojson_url: str, **properties) -> dict:
    """Areas (codes of the GeoJSON's `properties.code`) of a choropleth; `geojson_url` is fetched
    and prepared by static/js/map.js before drawing."""
    return {
        "type": "choropleth",
        "geojson": geojson_url,
        "featureidkey": "properties.code",
        "locations": codes,
        "text": names,
        "marker": {"line": {"width": 0.3}},
        "showscale": False,  # a colour bar writes style attributes, which the CSP refuses
        **properties,
    }


def score_map(
    codes: list[str], values: list[float | None], names: list[str], geojson_url: str, top: float
) -> dict:
    """Regions or provinces coloured by score."""
    trace = _choropleth(
        codes, names, geojson_url, z=_numbers(values), zmin=0, zmax=top,
        colorscale=SCORE_COLOURS, hovertemplate="%{text}: %{z:.2f}<extra></extra>",
    )  # fmt: skip
    return _map([trace], _("Smart-city index"))


def status_map(
    areas: pd.DataFrame, labels: Mapping[str, str], geojson_url: str, title: str
) -> dict:
    """Areas (`code`, `name`, `status`) coloured by status: one trace per status, so that the
    legend names each colour."""
    traces = []
    for status in PROGRESS_STATUSES:
        rows = areas[areas["status"] == status]
        if rows.empty:
            continue
        colour = STATUS_COLOURS[status]
        traces.append(
            _choropleth(
                rows["code"].tolist(),
                rows["name"].tolist(),
                geojson_url,
                z=[1] * len(rows),
                colorscale=[[0, colour], [1, colour]],
                showlegend=True,
                name=labels[status],
                hovertemplate="%{text}<extra>" + labels[status] + "</extra>",
            )  # fmt: skip
        )
    return _map(traces, title)


def rate_map(codes: list[str], rates: list[float], names: list[str], geojson_url: str) -> dict:
    """Provinces coloured by their reporting rate (percent)."""
    trace = _choropleth(
        codes, names, geojson_url, z=_numbers(rates), zmin=0, zmax=100,
        colorscale=RATE_COLOURS, hovertemplate="%{text}: %{z:.0f}%<extra></extra>",
    )  # fmt: skip
    return _map([trace], _("Reporting rate"))


def achievement_bar(groups: pd.DataFrame, scale_max: float, title: str) -> dict:
    """The mean achievement index of each group (province or cohort) with how many regions it
    averages; groups without any index are left out of the bars (the table names them)."""
    shown = groups.dropna(subset=["mean"])
    bar = {
        "type": "bar",
        "x": shown["mean"].round(2).tolist(),
        "y": shown["name"].astype(str).tolist(),
        "orientation": "h",
        "text": [f"n={count}" for count in shown["evaluated"]],
        "textposition": "auto",
        "marker": {"color": "#0d6efd"},
    }
    return _figure(
        [bar],
        title,
        max(260, 60 + 24 * len(shown)),
        xaxis={"range": [0, scale_max], "title": {"text": _("Mean achievement index")}},
        yaxis={"autorange": "reversed", "type": "category"},
    )
