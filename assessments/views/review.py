"""Views: review (see assessments/urls.py)."""

urlpatterns: list = []
