"""Editing a plan's action items: save with optimistic locking, create, delete."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from masterplan.models import ActionItem, MasterPlan, OriginChoice
from masterplan.rules import EDITABLE_FIELDS, ItemInput, Neighbour, item_problems
from masterplan.services.drafting import require_plan_editor
from masterplan.services.errors import InvalidInput, StaleItem
from smartcity.models import User


def _neighbours(items) -> list[Neighbour]:
    return [Neighbour(i.pk, i.title, i.start_year, i.end_year) for i in items]


def _validate(plan: MasterPlan, values: ItemInput, item: ActionItem | None) -> list[ActionItem]:
    """The item's dependencies (items of the same plan), or InvalidInput with every problem."""
    dependencies = list(plan.items.filter(pk__in=values.depends_on))
    problems = {}
    if len(dependencies) != len(set(values.depends_on)) or (
        item is not None and item.pk in values.depends_on
    ):
        problems["depends_on"] = _("An action can only wait for other actions of this plan.")
    dependants = list(item.dependants.all()) if item is not None else []
    problems = {
        **item_problems(
            values,
            first_year=plan.start_year,
            last_year=plan.end_year,
            dependencies=_neighbours(dependencies),
            dependants=_neighbours(dependants),
        ),
        **problems,
    }
    if problems:
        raise InvalidInput(problems)
    return dependencies


def _apply(item: ActionItem, values: ItemInput, user: User) -> None:
    for name in EDITABLE_FIELDS:
        setattr(item, name, getattr(values, name))
    item.partners = list(values.partners)
    item.updated_by = user
    item._history_user = user  # who changed it, also outside a request (commands, tasks)


def claim_item_version(item: ActionItem, expected_version: int) -> None:
    """Move the item to its next version, refusing if it is no longer `expected_version`.

    One conditional UPDATE decides, so of two concurrent saves exactly one wins.
    """
    if not ActionItem.objects.filter(pk=item.pk, version=expected_version).update(
        version=F("version") + 1
    ):
        raise StaleItem(ActionItem.objects.select_related("updated_by").filter(pk=item.pk).first())
    item.refresh_from_db()


@transaction.atomic
def action_item_save(
    *, item: ActionItem, user: User, expected_version: int, values: ItemInput
) -> ActionItem:
    """Save a person's change to an item; a generated item becomes `edited` (kept when the plan
    is regenerated). Refused when someone saved the item first (`StaleItem`)."""
    plan = item.plan
    require_plan_editor(user, plan)
    dependencies = _validate(plan, values, item)
    claim_item_version(item, expected_version)
    _apply(item, values, user)
    if item.origin == OriginChoice.GENERATED:
        item.origin = OriginChoice.EDITED
    item.save()
    item.depends_on.set(dependencies)
    return item


@transaction.atomic
def action_item_create(*, plan: MasterPlan, user: User, values: ItemInput) -> ActionItem:
    """A new item added by hand (`manual`: never touched by a regeneration)."""
    require_plan_editor(user, plan)
    dependencies = _validate(plan, values, None)
    item = ActionItem(plan=plan, origin=OriginChoice.MANUAL, position=plan.items.count())
    _apply(item, values, user)
    item.save()
    item.depends_on.set(dependencies)
    return item


@transaction.atomic
def action_item_delete(*, item: ActionItem, user: User, expected_version: int) -> None:
    """Delete an item (its history stays); refused when someone saved it since it was loaded."""
    require_plan_editor(user, item.plan)
    claim_item_version(item, expected_version)
    item._history_user = user
    item.delete()
