"""Pages of the evaluations app: look up through the selectors (404 outside scope), call a
service, render. A person who may read but not change something gets the page's own 403."""

import datetime

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluations import selectors, services
from evaluations.forms import (
    JudgementForm,
    LetterForm,
    ProgressForm,
    RecommendationForm,
    RoundOpenForm,
)
from evaluations.models import EvaluationLetter, StatusChoice
from evaluations.pages import pillar_names, result_of
from masterplan.models import ActionItem
from smartcity import access
from smartcity.downloads import SANDBOX, stored_file_response
from smartcity.job_views import job_urlpatterns
from smartcity.models import Region


def _refused(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(request, "evaluations/refused.html", {"message": message}, status=status)


# --- Progress on the plan -------------------------------------------------------------------------
@require_GET
def progress_list(request: HttpRequest) -> HttpResponse:
    """The current plans of the regions the user sees, each leading to its progress page."""
    if not access.has_any_role(request.user):
        raise Http404
    return render(
        request,
        "evaluations/progress_list.html",
        {"plans": selectors.current_plans_visible_to(request.user)},
    )


@require_GET
def progress_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's items with their latest reported state; officials report from here."""
    plan = selectors.plan_for_progress(request.user, pk)
    items = list(
        plan.items.select_related("element__pillar").order_by("start_year", "position", "pk")
    )
    latest = selectors.latest_updates(items)
    year = timezone.localdate().year
    rows = [
        {
            "item": item,
            "update": latest.get(item.pk),
            "overdue": item.end_year < year
            and (latest.get(item.pk) is None or latest[item.pk].status != StatusChoice.DONE),
        }
        for item in items
    ]
    return render(
        request,
        "evaluations/progress_plan.html",
        {
            "plan": plan,
            "rows": rows,
            "can_report": access.can_edit_region(request.user, plan.region),
        },
    )


def _item_in_scope(request: HttpRequest, pk: int) -> ActionItem:
    item = ActionItem.objects.select_related("plan__region").filter(pk=pk).first()
    if item is None or not access.can_view_region(request.user, item.plan.region):
        raise Http404
    return item


@require_http_methods(["GET", "POST"])
def progress_item(request: HttpRequest, pk: int) -> HttpResponse:
    """One item: its history of reports and, for the region's officials, a new report."""
    item = _item_in_scope(request, pk)
    can_report = access.can_edit_region(request.user, item.plan.region)
    today = timezone.localdate()
    services.semester_periods(today.year)
    period = selectors.period_of(today)
    form = ProgressForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not can_report:
            return _refused(request, _("Only the region's officials report progress on its plan."))
        if form.is_valid():
            try:
                services.progress_report(
                    item=item,
                    user=request.user,
                    period=period,
                    values=form.progress(),
                    upload=form.cleaned_data["evidence_file"],
                )
            except services.InvalidInput as refused:
                for field, message in refused.problems.items():
                    form.add_error(field if field in form.fields else None, message)
            except services.WrongState as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Progress saved."))
                return redirect("evaluations:progress_item", pk=item.pk)
        status = 422
    return render(
        request,
        "evaluations/progress_item.html",
        {
            "item": item,
            "form": form,
            "period": period,
            "can_report": can_report,
            "history": selectors.history_of(item),
        },
        status=status,
    )


@require_GET
def progress_evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """A progress report's evidence file, as a download that never runs as part of the site."""
    evidence = selectors.progress_evidence_for(request.user, pk)
    return stored_file_response(
        evidence.file,
        filename=evidence.original_name,
        content_type=evidence.content_type,
        csp=SANDBOX,
        cache_control="private, max-age=3600",
    )


@require_GET
def lagging(request: HttpRequest) -> HttpResponse:
    """Facilitators: the overdue and delayed items of their regions' plans."""
    if not access.reviews_any_region(request.user):
        raise Http404
    year = timezone.localdate().year
    frame = selectors.lagging_items_for(request.user, year)
    return render(
        request,
        "evaluations/lagging.html",
        {"rows": frame.to_dict("records"), "year": year, "labels": dict(StatusChoice.choices)},
    )


# --- Rounds ---------------------------------------------------------------------------------------
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    if not access.can_read_cycles(request.user):
        raise Http404
    return render(
        request,
        "evaluations/round_list.html",
        {
            "rounds": selectors.rounds_visible_to(request.user),
            "can_open": access.is_administrator(request.user),
        },
    )


@access.administrator_required
@require_http_methods(["GET", "POST"])
def round_open(request: HttpRequest) -> HttpResponse:
    """An administrator opens the round of a year for every program region."""
    form = RoundOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opened = services.round_open(
                user=request.user,
                year=data["year"],
                title=data["title"],
                weights=form.weights(),
                stages=form.stages(),
                scale=(data["scale_min"], data["scale_max"]),
                regions=Region.objects.exclude(cohort_year=None),
            )
        except services.InvalidInput as refused:
            for field, message in refused.problems.items():
                form.add_error(None if field in ("weights", "stages", "scale") else field, message)
        else:
            messages.success(request, _("The round is open and pre-computed."))
            return redirect(opened)
    return render(request, "evaluations/round_open.html", {"form": form})


@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation_round = selectors.round_for(request.user, pk)
    return render(
        request,
        "evaluations/round_detail.html",
        {
            "round": evaluation_round,
            "evaluations": selectors.round_evaluations(request.user, evaluation_round),
            "can_manage": access.is_administrator(request.user),
        },
    )


@access.administrator_required
@require_POST
def round_precompute(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation_round = selectors.round_for(request.user, pk)
    count = services.round_precompute(evaluation_round=evaluation_round)
    messages.success(request, _("%(count)s evaluations pre-computed again.") % {"count": count})
    return redirect(evaluation_round)


# --- One region's evaluation ----------------------------------------------------------------------
def _result(evaluation):
    return result_of(
        evaluation, pillar_names(evaluation), selectors.previous_evaluation(evaluation)
    )


def _evaluation_page(
    request, evaluation, *, judgement_form=None, recommendation_form=None, status=200
):
    can_judge = (
        access.can_review_region(request.user, evaluation.region) and not evaluation.is_final
    )
    return render(
        request,
        "evaluations/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "result": _result(evaluation),
            "can_judge": can_judge,
            "judgement_form": judgement_form or JudgementForm(),
            "recommendation_form": recommendation_form or RecommendationForm(),
            "suggestions": selectors.suggestions_for(evaluation) if can_judge else [],
            "recommendations": evaluation.recommendations.select_related("follow_up"),
        },
        status=status,
    )


@require_GET
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The region's evaluation: each dimension with its formula, the judgements, the programs."""
    return _evaluation_page(request, selectors.evaluation_for(request.user, pk))


def _assessor_or_refused(request, evaluation) -> HttpResponse | None:
    if not access.can_review_region(request.user, evaluation.region):
        return _refused(request, _("Only the region's assessors judge its evaluation."))
    return None


def _assessor_form(
    request, pk: int, form_class, form_name: str, save, success: str
) -> HttpResponse:
    """An assessor's form on the evaluation page: saved through `save(evaluation, data)`, the
    refusals shown on the form (422), a final evaluation refused (409)."""
    evaluation = selectors.evaluation_for(request.user, pk)
    refusal = _assessor_or_refused(request, evaluation)
    if refusal:
        return refusal
    form = form_class(request.POST)
    if form.is_valid():
        try:
            save(evaluation, form.cleaned_data)
        except services.InvalidInput as refused:
            for field, message in refused.problems.items():
                form.add_error(field if field in form.fields else None, message)
        except services.WrongState as refused:
            return _refused(request, str(refused), status=409)
        else:
            messages.success(request, success)
            return redirect(evaluation)
    return _evaluation_page(request, evaluation, status=422, **{form_name: form})


@require_POST
def evaluation_judge(request: HttpRequest, pk: int) -> HttpResponse:
    """An assessor's score of one dimension, with its reason."""
    return _assessor_form(
        request,
        pk,
        JudgementForm,
        "judgement_form",
        lambda evaluation, data: services.judgement_save(
            evaluation=evaluation, user=request.user, **data
        ),
        _("Score saved."),
    )


@require_POST
def evaluation_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    """A recommendation, written or picked from the suggestions, followed up on the plan."""
    return _assessor_form(
        request,
        pk,
        RecommendationForm,
        "recommendation_form",
        lambda evaluation, data: services.recommendation_add(
            evaluation=evaluation,
            user=request.user,
            text=data["text"],
            suggestion_key=data["suggestion"],
        ),
        _("Recommendation added to the region's plan."),
    )


@require_POST
def evaluation_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_for(request.user, pk)
    refusal = _assessor_or_refused(request, evaluation)
    if refusal:
        return refusal
    try:
        services.evaluation_finalise(evaluation=evaluation, user=request.user)
    except services.WrongState as refused:
        messages.error(request, str(refused))
        return redirect(evaluation)
    messages.success(request, _("The evaluation is final."))
    return redirect("evaluations:result", pk=evaluation.pk)


@require_GET
def result(request: HttpRequest, pk: int) -> HttpResponse:
    """The result: achievement index, dimensions, programs running, the previous year, the stage,
    the recommendations, and the letter."""
    evaluation = selectors.evaluation_for(request.user, pk)
    return render(
        request,
        "evaluations/result.html",
        {
            "evaluation": evaluation,
            "result": _result(evaluation),
            "recommendations": evaluation.recommendations.select_related("follow_up"),
            "letter": selectors.latest_letter(evaluation),
            "letter_form": LetterForm(),
        },
    )


@require_POST
def letter_request(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_for(request.user, pk)
    form = LetterForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else "id"
    try:
        services.letter_request(evaluation=evaluation, user=request.user, language=language)
    except services.WrongState as refused:
        messages.error(request, str(refused))
    return redirect("evaluations:result", pk=evaluation.pk)


@require_GET
def letter_download(request: HttpRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_for(request.user, pk)
    if not letter.is_done:
        raise Http404
    evaluation = letter.evaluation
    name = f"evaluasi-{evaluation.region.code}-{datetime.date.today():%Y%m%d}-{letter.language}.pdf"
    return stored_file_response(letter.file, filename=name, content_type="application/pdf")


letter_job_urls = job_urlpatterns(EvaluationLetter, route="letters/", name="letter")
