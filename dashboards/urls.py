"""URLs of the dashboards app."""

from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.progress, name="progress"),
    path("export/", views.progress_export, name="progress_export"),
    path("maturity/", views.maturity, name="maturity"),
    path("map/", views.region_map, name="map"),
    path("achievement/", views.achievement, name="achievement"),
    path("regions/<int:pk>/", views.region, name="region"),
]
