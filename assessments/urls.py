"""URLs of the assessments app, gathered from the view modules."""

from assessments.views import (
    cycles,
    discussion,
    evidence,
    excel,
    filling,
    flags,
    history,
    reports,
    review,
)

app_name = "assessments"
urlpatterns = [
    *filling.urlpatterns,
    *discussion.urlpatterns,
    *flags.urlpatterns,
    *evidence.urlpatterns,
    *history.urlpatterns,
    *excel.urlpatterns,
    *review.urlpatterns,
    *cycles.urlpatterns,
    *reports.urlpatterns,
]
