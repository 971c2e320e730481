"""The official's pages: assessment list and overview (the element page, autosave, evidence
upload, submit and history arrive in this module too)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from assessments import selectors


def assessment_list(request: HttpRequest) -> HttpResponse:
    """The assessments of the regions the user may see, newest cycle first."""
    assessments = selectors.assessments_visible_to(request.user).order_by(
        "-cycle__year", "region__code"
    )
    return render(request, "assessments/list.html", {"assessments": assessments})


def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """One assessment: status, progress per pillar and element, what is missing, timeline."""
    assessment = selectors.assessment_for(request.user, pk)
    return render(
        request,
        "assessments/overview.html",
        {
            "assessment": assessment,
            "sheet": selectors.assessment_sheet(assessment, details=False),
            "gaps": selectors.submission_gaps(assessment),
            "events": selectors.timeline_of(assessment),
        },
    )


urlpatterns = [
    path("", assessment_list, name="list"),
    path("<int:pk>/", overview, name="overview"),
]
