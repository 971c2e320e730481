"""URLs of the assessments app, gathered from the view modules."""

from assessments.views import cycles, discussion, evidence, excel, filling, history, review

app_name = "assessments"
urlpatterns = [
    *filling.urlpatterns,
    *discussion.urlpatterns,
    *evidence.urlpatterns,
    *history.urlpatterns,
    *excel.urlpatterns,
    *review.urlpatterns,
    *cycles.urlpatterns,
]
