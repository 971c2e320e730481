"""Evidence of an answer: adding files and links, removing them, and serving stored files.

Files are served only to people who may see the assessment, never from static/.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from assessments import selectors, services
from assessments.forms import EvidenceFileForm, EvidenceLinkForm
from assessments.models import Assessment, EvidenceKind, IndicatorResponse
from assessments.views.display import indicator_anchor
from assessments.views.filling import element_context, render_element
from smartcity.downloads import SANDBOX, stored_file_response
from smartcity.middleware import post_only


def _evidence_reply(
    request: HttpRequest,
    assessment: Assessment,
    response: IndicatorResponse,
    *,
    outcome: dict,
    status: int,
    success: str = "",
) -> HttpResponse:
    """htmx: the card's evidence section (and the answer's new version); else PRG or the page."""
    element_code = response.indicator.element.code
    if request.htmx:
        context = element_context(request, assessment, element_code)
        card = next(c for c in context["cards"] if c.response.pk == response.pk)
        for name, value in outcome.items():
            setattr(card, name, value)
        if status == 200:
            card.evidence_message = success
        context.update(card=card, version_changed=status == 200)
        return render(request, "assessments/filling/evidence_result.html", context, status=status)
    if status == 200:
        messages.success(request, success)
        return redirect(indicator_anchor(assessment, element_code, response.indicator.code))
    return render_element(
        request, assessment, element_code, response_pk=response.pk, outcome=outcome, status=status
    )


@post_only
def evidence_add(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    """Attach a file (checked by size and content) or a link (http/https) to an answer."""
    assessment = selectors.assessment_for(request.user, pk)
    response = selectors.response_for(assessment, response_pk)
    is_link = request.POST.get("kind") == "link"
    form = (
        EvidenceLinkForm(request.POST) if is_link else EvidenceFileForm(request.POST, request.FILES)
    )
    outcome: dict = {"link_values": request.POST.dict() if is_link else {}}
    refusal = selectors.edit_refusal(assessment, request.user)
    if refusal:
        outcome["evidence_error"] = refusal
        return _evidence_reply(request, assessment, response, outcome=outcome, status=403)
    if not form.is_valid():
        outcome["evidence_error"] = " ".join(m for errors in form.errors.values() for m in errors)
        return _evidence_reply(request, assessment, response, outcome=outcome, status=422)
    data = form.cleaned_data
    try:
        if is_link:
            services.evidence_add_link(
                response=response,
                user=request.user,
                url=data["url"],
                description=data["description"],
            )
            success = _("The link was added to %(code)s.") % {"code": response.indicator.code}
        else:
            evidence = services.evidence_add_file(
                response=response,
                user=request.user,
                upload=data["file"],
                description=data["description"],
            )
            success = _("%(name)s was uploaded to %(code)s.") % {
                "name": evidence.original_name,
                "code": response.indicator.code,
            }
    except services.InvalidInput as invalid:
        outcome["evidence_error"] = " ".join(invalid.problems.values())
        return _evidence_reply(request, assessment, response, outcome=outcome, status=422)
    except services.WrongState as refused:
        outcome["evidence_error"] = str(refused)
        return _evidence_reply(request, assessment, response, outcome=outcome, status=403)
    return _evidence_reply(request, assessment, response, outcome={}, status=200, success=success)


@post_only
def evidence_delete(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """Remove one evidence item from an answer (its history and stored file are kept)."""
    assessment = selectors.assessment_for(request.user, pk)
    evidence = selectors.evidence_for(request.user, evidence_pk)
    response = selectors.response_for(assessment, evidence.response_id)  # 404 if not this one's
    name = str(evidence)
    try:
        services.evidence_remove(evidence=evidence, user=request.user)
    except services.WrongState as refused:
        return _evidence_reply(
            request,
            assessment,
            response,
            outcome={"evidence_error": str(refused)},
            status=403,
        )
    success = _("%(name)s was removed from %(code)s.") % {
        "name": name,
        "code": response.indicator.code,
    }
    return _evidence_reply(request, assessment, response, outcome={}, status=200, success=success)


@require_GET
@xframe_options_sameorigin  # PDFs and images are shown inline in a frame of our own pages
def evidence_file(request: HttpRequest, evidence_pk: int) -> FileResponse:
    """The stored file of one evidence item; PDFs and images inline, Office files as downloads."""
    evidence = selectors.evidence_for(request.user, evidence_pk)
    if evidence.kind != EvidenceKind.FILE:
        raise Http404
    return stored_file_response(
        evidence.file,
        filename=evidence.original_name,
        content_type=evidence.content_type,
        as_attachment=not evidence.is_inline_viewable,
        csp=f"{SANDBOX}; img-src 'self'; frame-ancestors 'self'",
        cache_control="private, max-age=3600",
    )


urlpatterns = [
    path("evidence/<int:evidence_pk>/", evidence_file, name="evidence_file"),
    path("<int:pk>/responses/<int:response_pk>/evidence/", evidence_add, name="evidence_add"),
    path("<int:pk>/evidence/<int:evidence_pk>/delete/", evidence_delete, name="evidence_delete"),
]
