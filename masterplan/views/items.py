"""One action item's page (its form, comments and history), adding and deleting items.

Saving uses the item's version like an answer: of two people saving the same version, the second
gets 409 with the first one's saved values in the form and who saved them.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from masterplan import selectors, services
from masterplan.forms import CommentForm, DeleteForm, ItemForm
from masterplan.models import ActionItem, MasterPlan
from masterplan.rules import EDITABLE_FIELDS
from masterplan.views.common import refused

ITEM_TEMPLATE = "masterplan/item.html"


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: object
    who: object
    kind: str
    changes: list[Change]


def _shown(record, name: str) -> str:
    field = ActionItem._meta.get_field(name)
    value = getattr(record, name)
    if field.choices and value:
        return str(dict(field.flatchoices).get(value, value))
    return "—" if value in (None, "", []) else str(value)


TRACKED = (*EDITABLE_FIELDS, "partners", "origin")


def history_entries(records: list) -> list[HistoryEntry]:
    """One entry per saved version of the item, newest first, with what changed."""
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    entries = []
    for record, older in zip(records, [*records[1:], None], strict=True):
        changes = []
        if older is not None:
            for name in TRACKED:
                if getattr(record, name) != getattr(older, name):
                    label = str(ActionItem._meta.get_field(name).verbose_name)
                    changes.append(Change(label, _shown(older, name), _shown(record, name)))
        entries.append(
            HistoryEntry(
                record.history_date, record.history_user, kinds[record.history_type], changes
            )
        )
    return entries


def _render_item(request, plan, item, form, status=200, comment_form=None) -> HttpResponse:
    return render(
        request,
        ITEM_TEMPLATE,
        {
            "plan": plan,
            "item": item,
            "form": form,
            "can_edit": form is not None,
            "can_comment": selectors.comment_refusal(plan, request.user) is None,
            "comment_form": comment_form or CommentForm(),
            "comments": selectors.item_comments(item),
            "history": history_entries(selectors.item_history(item)),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The item; its form for the region's officials while the plan is not final."""
    plan, item = selectors.item_for(request.user, pk, item_pk)
    if request.method == "GET":
        return _render_item(request, plan, item, _item_form(plan, item, request))
    refusal = selectors.edit_refusal(plan, request.user)
    if refusal:
        return refused(request, plan, refusal)
    form = ItemForm(request.POST, plan=plan, item=item)
    if not form.is_valid():
        return _render_item(request, plan, item, form, status=422)
    try:
        services.action_item_save(
            item=item,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            values=form.item_input(),
        )
    except services.InvalidInput as invalid:
        form.add_problems(invalid.problems)
        return _render_item(request, plan, item, form, status=422)
    except services.StaleItem as stale:
        messages.error(request, str(stale))
        if stale.current is None:
            return redirect("masterplan:plan_detail", pk=plan.pk)
        current = stale.current
        current.plan = plan
        return _render_item(request, plan, current, _item_form(plan, current, request), 409)
    messages.success(request, _("The action is saved."))
    return redirect(_plan_url(plan, item))


@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new action added by hand."""
    plan = selectors.plan_for(request.user, pk)
    refusal = selectors.edit_refusal(plan, request.user)
    if refusal:
        return refused(request, plan, refusal)
    initial = {"start_year": plan.start_year + 1, "end_year": plan.start_year + 1, "budget": 0}
    form = ItemForm(request.POST or None, plan=plan, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                item = services.action_item_create(
                    plan=plan, user=request.user, values=form.item_input()
                )
            except services.InvalidInput as invalid:
                form.add_problems(invalid.problems)
            else:
                messages.success(request, _("The action is added to the plan."))
                return redirect(_plan_url(plan, item))
    return render(request, "masterplan/item_new.html", {"plan": plan, "form": form}, status=status)


@require_POST
def item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan, item = selectors.item_for(request.user, pk, item_pk)
    refusal = selectors.edit_refusal(plan, request.user)
    if refusal:
        return refused(request, plan, refusal)
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["version"][0])
        return redirect("masterplan:item_detail", pk=plan.pk, item_pk=item.pk)
    try:
        services.action_item_delete(
            item=item, user=request.user, expected_version=form.cleaned_data["version"]
        )
    except services.StaleItem as stale:
        messages.error(request, str(stale))
        if stale.current is None:
            return redirect("masterplan:plan_detail", pk=plan.pk)
        return redirect("masterplan:item_detail", pk=plan.pk, item_pk=item.pk)
    messages.success(request, _("The action is deleted from the plan."))
    return redirect("masterplan:plan_detail", pk=plan.pk)


@require_POST
def item_comment(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """A remark on the item by the region's facilitators or officials."""
    plan, item = selectors.item_for(request.user, pk, item_pk)
    try:
        services.action_item_comment_add(
            item=item, user=request.user, body=request.POST.get("body", "")
        )
    except services.InvalidInput as invalid:
        form = CommentForm(initial={"body": request.POST.get("body", "")})
        form.comment_problems = list(invalid.problems.values())
        return _render_item(request, plan, item, _item_form(plan, item, request), 422, form)
    except services.WrongState as wrong:
        return refused(request, plan, str(wrong))
    messages.success(request, _("Your comment is added."))
    return redirect(f"{_item_url(plan, item)}#comments")


def _item_url(plan: MasterPlan, item: ActionItem) -> str:
    return reverse("masterplan:item_detail", kwargs={"pk": plan.pk, "item_pk": item.pk})


def _plan_url(plan: MasterPlan, item: ActionItem) -> str:
    return reverse("masterplan:plan_detail", kwargs={"pk": plan.pk}) + f"#item-{item.pk}"


def _item_form(plan: MasterPlan, item: ActionItem, request: HttpRequest) -> ItemForm | None:
    """The item's form with its stored values, for the people who may edit it now."""
    if selectors.edit_refusal(plan, request.user):
        return None
    return ItemForm(plan=plan, item=item, initial=ItemForm.initial_of(item))


urlpatterns = [
    path("<int:pk>/items/new/", item_create, name="item_create"),
    path("<int:pk>/items/<int:item_pk>/", item_detail, name="item_detail"),
    path("<int:pk>/items/<int:item_pk>/delete/", item_delete, name="item_delete"),
    path("<int:pk>/items/<int:item_pk>/comments/", item_comment, name="item_comment"),
]
