"""URLs of the masterplan app."""

from django.urls import path

from masterplan import views

app_name = "masterplan"
urlpatterns = [
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
]
