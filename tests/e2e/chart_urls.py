"""The site plus one page that draws a sample Plotly figure with the chart helper (browser test)."""

import plotly.graph_objects as go
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from smartcity.urls import urlpatterns as site_urlpatterns

PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% load charts %}'
    '{% block content %}{% plotly_figure figure "sample-chart" "Skor per dimensi" %}{% endblock %}'
    '{% block scripts %}{% include "includes/chart_scripts.html" %}{% endblock %}'
)


def sample_figure() -> go.Figure:
    """Bars, a line and a hover label: the parts the gap and dashboard charts will use."""
    dimensions = ["Governance", "Branding", "Economy", "Living", "Society", "Environment"]
    figure = go.Figure()
    figure.add_bar(x=dimensions, y=[2.4, 1.9, 3.1, 2.8, 2.2, 1.5], name="Saat ini")
    figure.add_scatter(x=dimensions, y=[3, 3, 4, 3, 3, 2], mode="lines+markers", name="Target")
    figure.update_layout(title="Skor per dimensi", height=360)
    return figure


@login_not_required
def chart_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE.render({"figure": sample_figure()}, request))


urlpatterns = [path("test-chart/", chart_page), *site_urlpatterns]
