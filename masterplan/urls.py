"""URLs of the masterplan app, gathered from the view modules."""

from masterplan.exports import views as exports
from masterplan.views import drafting, items, plans

app_name = "masterplan"
urlpatterns = [
    *plans.urlpatterns,
    *items.urlpatterns,
    *drafting.urlpatterns,
    *exports.urlpatterns,
]
