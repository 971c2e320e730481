"""The plan list, the plan page, its text sections, its life cycle and its regeneration."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masterplan import selectors, services
from masterplan.exports.forms import ExportForm
from masterplan.forms import DraftForm, SectionsForm
from masterplan.models import MasterPlan, PlanStatus
from masterplan.pages import plan_charts, plan_page
from masterplan.views.common import refused
from smartcity import access


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans the user may see, and the approved assessments they may draft a plan from."""
    plans = selectors.plans_visible_to(request.user).order_by("region__name", "-edition")
    draftable = list(selectors.draftable_assessments(request.user))
    return render(
        request,
        "masterplan/plan_list.html",
        {
            "plans": plans,
            "draft_form": DraftForm(assessments=draftable) if draftable else None,
        },
    )


def _permissions(request: HttpRequest, plan: MasterPlan) -> dict:
    user, region = request.user, plan.region
    can_edit = selectors.edit_refusal(plan, user) is None
    return {
        "can_edit": can_edit,
        "is_official": access.can_edit_region(user, region),
        "can_review": access.can_review_region(user, region) and plan.status != PlanStatus.FINAL,
        "is_current": plan.status != PlanStatus.FINAL
        or selectors.current_plan_of(plan.region_id).pk == plan.pk,
    }


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan grouped by horizon and dimension, with budget totals and the two charts."""
    plan = selectors.plan_for(request.user, pk)
    items = list(selectors.items_for_page(plan))
    rows = selectors.plan_frame(plan)
    context = plan_page(plan, items, selectors.budget_totals(plan, rows))
    context.update(plan_charts(plan, items, rows))
    context.update(_permissions(request, plan))
    context["deleted"] = selectors.deleted_items(plan)
    context["export_form"] = ExportForm()
    return render(request, "masterplan/plan_detail.html", context)


@require_http_methods(["GET", "POST"])
def plan_sections(request: HttpRequest, pk: int) -> HttpResponse:
    """The book's text sections; 403 for readers and on a final plan; 409 when someone else
    saved the plan meanwhile."""
    plan = selectors.plan_for(request.user, pk)
    refusal = selectors.edit_refusal(plan, request.user)
    if refusal:
        return refused(request, plan, refusal)
    form = SectionsForm(request.POST or None, initial=SectionsForm.initial_of(plan))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.masterplan_sections_save(
                    plan=plan,
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    sections=form.sections(),
                )
            except services.InvalidInput as invalid:
                form.add_problems(invalid.problems)
            except services.WrongState as stale:
                status = 409
                plan.refresh_from_db()
                messages.error(request, str(stale))
                form = SectionsForm(initial=SectionsForm.initial_of(plan))
            else:
                messages.success(request, _("The plan's sections are saved."))
                return redirect("masterplan:plan_detail", pk=plan.pk)
    return render(
        request, "masterplan/plan_sections.html", {"plan": plan, "form": form}, status=status
    )


def _life_cycle_step(*, allowed, refusal: str, step, done: str):
    """A POST that moves the plan on (`step`, a service), for the people `allowed` (an access
    rule; anyone else in scope gets 403 with `refusal`). A step the plan's state does not allow
    is said as a message, back on the plan."""

    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        plan = selectors.plan_for(request.user, pk)
        if not allowed(request.user, plan.region):
            return refused(request, plan, str(refusal))
        try:
            plan = step(plan=plan, user=request.user)
        except services.WrongState as wrong:
            messages.error(request, str(wrong))
        else:
            messages.success(request, str(done))
        return redirect("masterplan:plan_detail", pk=plan.pk)

    return view


OFFICIALS_ONLY = gettext_lazy("Only the region's officials edit its master plan.")
plan_submit = _life_cycle_step(
    allowed=access.can_edit_region,
    refusal=OFFICIALS_ONLY,
    step=services.masterplan_submit_for_review,
    done=gettext_lazy("The plan is sent to the facilitators for review."),
)
plan_reviewed = _life_cycle_step(
    allowed=access.can_review_region,
    refusal=gettext_lazy("Only the region's facilitators review its master plan."),
    step=services.masterplan_mark_reviewed,
    done=gettext_lazy("The plan is marked as reviewed."),
)
plan_finalise = _life_cycle_step(
    allowed=access.can_edit_region,
    refusal=OFFICIALS_ONLY,
    step=services.masterplan_finalise,
    done=gettext_lazy("The plan is final: it can no longer be changed."),
)
plan_new_version = _life_cycle_step(
    allowed=access.can_edit_region,
    refusal=OFFICIALS_ONLY,
    step=services.masterplan_new_version,
    done=gettext_lazy("A new version of the plan is started from the final one."),
)


def _titles(plan: MasterPlan) -> dict[str, str]:
    return dict(plan.items.exclude(key="").values_list("key", "title"))


@require_http_methods(["GET", "POST"])
def plan_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    """The regeneration from the region's newest approved assessment: a preview (GET), applied
    only when the person confirms it (POST, with the plan's version the preview showed)."""
    plan = selectors.plan_for(request.user, pk)
    refusal = selectors.edit_refusal(plan, request.user)
    if refusal:
        return refused(request, plan, refusal)
    assessment = selectors.newest_approved_of(plan)
    if assessment is None:
        messages.error(request, _("The region has no approved assessment to draft from."))
        return redirect("masterplan:plan_detail", pk=plan.pk)
    try:
        if request.method == "POST":
            version = request.POST.get("version", "")
            if not version.isdigit():
                messages.error(request, _("This page is out of date. Reload it and try again."))
                return redirect("masterplan:plan_regenerate", pk=plan.pk)
            preview = services.masterplan_regenerate_apply(
                plan=plan, assessment=assessment, user=request.user, expected_version=int(version)
            )
            messages.success(request, _("The plan is regenerated; edited and added actions kept."))
            return redirect("masterplan:plan_detail", pk=plan.pk)
        preview = services.masterplan_regenerate_preview(
            plan=plan, assessment=assessment, user=request.user
        )
    except services.WrongState as wrong:
        messages.error(request, str(wrong))
        return redirect("masterplan:plan_detail", pk=plan.pk)
    titles = _titles(plan)
    regeneration = preview.regeneration
    return render(
        request,
        "masterplan/plan_regenerate.html",
        {
            "plan": plan,
            "assessment": assessment,
            "preview": preview,
            "added": [item.action.title.id for item in regeneration.added],
            "removed": [titles.get(item.key, item.key) for item in regeneration.removed],
            "rescheduled": [
                (titles.get(old.key, old.key), old, new) for old, new in regeneration.rescheduled
            ],
            "kept": len(regeneration.kept),
            "conflicts": [(titles.get(a, a), titles.get(b, b)) for a, b in regeneration.conflicts],
        },
    )


urlpatterns = [
    path("", plan_list, name="plan_list"),
    path("<int:pk>/", plan_detail, name="plan_detail"),
    path("<int:pk>/sections/", plan_sections, name="plan_sections"),
    path("<int:pk>/submit/", plan_submit, name="plan_submit"),
    path("<int:pk>/reviewed/", plan_reviewed, name="plan_reviewed"),
    path("<int:pk>/finalise/", plan_finalise, name="plan_finalise"),
    path("<int:pk>/new-version/", plan_new_version, name="plan_new_version"),
    path("<int:pk>/regenerate/", plan_regenerate, name="plan_regenerate"),
]
