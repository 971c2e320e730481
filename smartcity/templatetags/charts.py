"""Plotly figures under the strict CSP: the figure travels as JSON, a static script draws it.

    {% load charts %}
    {% plotly_figure figure "gap-chart" label %}
    ...
    {% block scripts %}{% include "includes/chart_scripts.html" %}{% endblock %}

`figure` is a `plotly.graph_objects.Figure`, a figure dict, or the JSON of `plotly.io.to_json`.
Never `to_html`: it writes an inline script, which the CSP blocks.
"""

from typing import Any

import plotly.io
from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# In JSON these characters occur only inside strings, where the \u escapes mean the same; escaped,
# the text can never close the <script> element or open a comment (as Django's json_script does).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def figure_json(figure: Any) -> str:
    """The figure as plotly JSON, safe to place inside `<script type="application/json">`."""
    text = figure if isinstance(figure, str) else plotly.io.to_json(figure)
    return text.translate(_SCRIPT_ESCAPES)


@register.simple_tag
def plotly_figure(figure: Any, element_id: str, label: str = "") -> str:
    """A chart container and its figure's JSON; `static/js/charts.js` draws it on load."""
    return format_html(
        '<div class="plotly-chart" id="{}" data-plotly-figure="{}-figure"{}></div>'
        '<script type="application/json" id="{}-figure">{}</script>',
        element_id,
        element_id,
        format_html(' role="img" aria-label="{}"', label) if label else "",
        element_id,
        mark_safe(figure_json(figure)),  # escaped above for a script element
    )
