"""Views: cycles (see assessments/urls.py)."""

urlpatterns: list = []
