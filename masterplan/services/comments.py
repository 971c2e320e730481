"""Remarks on action items: the region's facilitators review, its officials answer."""

from django.db import transaction
from django.utils.translation import gettext as _

from masterplan import selectors
from masterplan.models import ActionItem, ActionItemComment
from masterplan.services.errors import InvalidInput, WrongState
from smartcity.models import User

COMMENT_LENGTH = 2000


@transaction.atomic
def action_item_comment_add(*, item: ActionItem, user: User, body: str) -> ActionItemComment:
    """Add a remark to an item; refused on a final plan and for people without a role in it."""
    plan = item.plan
    selectors.require_visible(user, plan)
    refusal = selectors.comment_refusal(plan, user)
    if refusal:
        raise WrongState(refusal)
    body = body.strip()
    if not body:
        raise InvalidInput({"body": _("Write the comment first.")})
    if len(body) > COMMENT_LENGTH:
        message = _("A comment may have at most %(count)d characters.")
        raise InvalidInput({"body": message % {"count": COMMENT_LENGTH}})
    return ActionItemComment.objects.create(item=item, author=user, body=body)
