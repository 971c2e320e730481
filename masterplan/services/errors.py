"""The refusals of the plan services: the assessment services' own, plus a stale item."""

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.services.errors import AssessmentError, InvalidInput, WrongState
from masterplan.models import ActionItem

__all__ = ["InvalidInput", "PlanError", "StaleItem", "WrongState"]

PlanError = AssessmentError


class StaleItem(AssessmentError):
    """Someone else saved this item since the user loaded it; `current` is what they saved."""

    def __init__(self, current: ActionItem | None) -> None:
        self.current = current
        if current is None:
            super().__init__(_("Someone else deleted this action after you opened it."))
            return
        who = current.updated_by or _("someone else")
        when = timezone.localtime(current.updated_at).strftime("%H:%M")
        super().__init__(
            _(
                "%(who)s saved this action at %(when)s, after you opened it. Your change was not "
                "saved; their version is shown. Review it and save again."
            )
            % {"who": who, "when": when}
        )
