"""The official's answer to a flag: mark a flagged indicator as addressed, with a reply.

The assessment comes through `selectors.assessment_for` (404 outside the user's scope); the service
refuses anyone but the region's officials and any state but "returned".
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from assessments import selectors, services
from assessments.views.display import indicator_anchor
from assessments.views.filling import element_context, render_element
from smartcity.middleware import post_only


@post_only
def flag_address(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    """htmx gets the card's review notes again (200; 422, 409, or 403 for a reader, with the
    reason); a plain post is redirected back to the card, or gets the page with the reason."""
    assessment = selectors.assessment_for(request.user, pk)
    response = selectors.response_for(assessment, response_pk)
    reply = request.POST.get("reply", "")
    error, status = selectors.edit_refusal(assessment, request.user) or "", 403
    if not error:
        try:
            services.response_flag_address(response=response, user=request.user, reply=reply)
            status = 200
        except services.InvalidInput as refused:
            error, status = str(refused), 422
        except services.AssessmentError as refused:
            error, status = str(refused), 409
    element_code = response.indicator.element.code
    if request.htmx:
        context = element_context(request, assessment, element_code)
        card = next(c for c in context["cards"] if c.response.pk == response.pk)
        context.update(card=card, reply_error=error, reply=reply)
        return render(request, "assessments/filling/review_notes.html", context, status=status)
    if error:
        messages.error(request, f"{response.indicator.code}: {error}")
        return render_element(request, assessment, element_code, status=status)
    messages.success(
        request, _("%(code)s is marked as addressed.") % {"code": response.indicator.code}
    )
    return redirect(indicator_anchor(assessment, element_code, response.indicator.code))


urlpatterns = [
    path(
        "<int:pk>/responses/<int:response_pk>/flag/",
        flag_address,
        name="flag_address",
    ),
]
