"""What the plan pages share: the refusal page a reader gets when trying to write."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from masterplan.models import MasterPlan

REFUSED_TEMPLATE = "masterplan/refused.html"


def refused(request: HttpRequest, plan: MasterPlan, reason: str) -> HttpResponse:
    """403 with the reason: the person may see the plan, but not do this."""
    return render(request, REFUSED_TEMPLATE, {"plan": plan, "reason": reason}, status=403)
