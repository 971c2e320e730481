"""Offline Excel: download an assessment as a workbook, upload it back (all or nothing)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from assessments import excel, selectors, services
from assessments.evidence_types import TOO_LARGE
from assessments.forms import WorkbookUploadForm, max_upload_bytes
from assessments.models import Assessment

UPLOAD_TEMPLATE = "assessments/excel_upload.html"


@require_GET
def excel_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment as an .xlsx workbook in the user's language, for anyone who may see it."""
    assessment = selectors.assessment_for(request.user, pk)
    sheet = selectors.assessment_sheet(assessment)
    response = HttpResponse(
        excel.build_workbook(sheet, downloaded_at=timezone.now()), content_type=excel.CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(True, excel.file_name(sheet))
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def excel_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a filled-in workbook: every row is checked, and nothing is saved unless all pass."""
    assessment = selectors.assessment_for(request.user, pk)
    context = {
        "assessment": assessment,
        "max_upload": filesizeformat(max_upload_bytes()),
        "max_upload_bytes": max_upload_bytes(),
        "upload_too_large": TOO_LARGE,
    }
    refusal = selectors.edit_refusal(assessment, request.user)
    if refusal:
        return render(request, UPLOAD_TEMPLATE, {**context, "refusal": refusal}, status=403)
    form = WorkbookUploadForm(request.POST, request.FILES) if request.method == "POST" else None
    problems: list[excel.Problem] = []
    if form is not None and form.is_valid():
        upload = form.cleaned_data["workbook"]
        sheet = selectors.assessment_sheet(assessment, details=False)
        result = excel.read_upload(upload.read(), excel.upload_context(sheet))
        problems = result.problems or _save(request, assessment, result)
        if not problems:
            return redirect("assessments:overview", assessment.pk)
    return render(
        request,
        UPLOAD_TEMPLATE,
        {**context, "form": form or WorkbookUploadForm(), "problems": problems},
    )


def _save(
    request: HttpRequest, assessment: Assessment, result: excel.UploadResult
) -> list[excel.Problem]:
    """Save a checked upload; the problems when the service refuses it (then nothing is saved)."""
    try:
        summary = services.assessment_import_answers(
            assessment=assessment,
            user=request.user,
            changes=[
                services.AnswerChange(c.response_id, c.expected_version, c.answer)
                for c in result.changes
            ],
        )
    except services.StaleResponse as stale:  # saved online between reading and saving
        row = next(c for c in result.changes if c.response_id == stale.current.pk)
        who, when = excel.saved_by(stale.current), stale.current.updated_at
        return [excel.conflict_problem(excel.answers_sheet_title(), row.row, "level", who, when)]
    except services.AssessmentError as refused:
        return [excel.file_problem(str(refused))]
    messages.success(
        request,
        ngettext(
            "%(updated)d indicator updated, %(unchanged)d unchanged.",
            "%(updated)d indicators updated, %(unchanged)d unchanged.",
            summary.updated,
        )
        % {"updated": summary.updated, "unchanged": summary.unchanged},
    )
    return []


urlpatterns = [
    path("<int:pk>/excel/", excel_download, name="excel_download"),
    path("<int:pk>/excel/upload/", excel_upload, name="excel_upload"),
]
