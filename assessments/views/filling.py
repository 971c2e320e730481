"""Views: filling (see assessments/urls.py)."""

urlpatterns: list = []
