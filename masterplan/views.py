"""Pages of the masterplan app (read-only for now): look up through access, render page models."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from masterplan import selectors
from masterplan.exports.forms import ExportForm
from masterplan.pages import plan_page


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan grouped by horizon and dimension, with budget totals; 404 outside scope."""
    plan = selectors.plan_for(request.user, pk)
    items = list(selectors.items_of(plan))
    context = plan_page(plan, items, selectors.budget_totals(plan))
    context["export_form"] = ExportForm()
    return render(request, "masterplan/plan_detail.html", context)
