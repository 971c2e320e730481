"""The discussion thread of one indicator response: officials of the region and its facilitators."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from assessments import selectors, services
from smartcity.middleware import post_only


@post_only
def comment_add(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    """Add a comment; HTMX gets the refreshed thread, a plain form post goes back where it came."""
    assessment = selectors.assessment_for(request.user, pk)
    response = selectors.response_for(assessment, response_pk)
    error = None
    try:
        services.response_comment_add(
            response=response, user=request.user, body=request.POST.get("body", "")
        )
    except services.AssessmentError as refused:
        error = str(refused)
    if request.htmx:
        return render(
            request,
            "assessments/includes/comment_thread.html",
            {
                "assessment": assessment,
                "response": response,
                "comments": list(selectors.comments_of(response)),
                # The review page shows the count again in the block's summary.
                "count_oob": request.POST.get("count_oob") == "1",
                "comment_error": error,
                "body": request.POST.get("body", "") if error else "",
            },
        )
    if error:
        messages.error(request, error)
    next_url = request.POST.get("next", "")
    # Only a path of this site: `redirect()` would take a bare word for a URL name.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("assessments:overview", args=[assessment.pk])
    return HttpResponseRedirect(next_url)


urlpatterns = [
    path(
        "<int:pk>/responses/<int:response_pk>/comments/",
        comment_add,
        name="comment_add",
    ),
]
