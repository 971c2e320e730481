"""Views: excel (see assessments/urls.py)."""

urlpatterns: list = []
