"""URLs of the masterplan app."""

from django.urls import path

from masterplan import views
from masterplan.exports import views as exports

app_name = "masterplan"
urlpatterns = [
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    *exports.urlpatterns,
]
