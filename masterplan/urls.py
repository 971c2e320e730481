"""URLs of the masterplan app."""

app_name = "masterplan"
urlpatterns: list = []
