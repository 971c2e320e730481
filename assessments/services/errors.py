"""The refusals of the assessment services; every message is for the user, in their language."""

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import IndicatorResponse


class AssessmentError(Exception):
    """A request the workflow refuses; the message is for the user, in their language."""


class WrongState(AssessmentError):
    """The action does not fit the current state: the assessment is locked or not yet submitted,
    the framework is not published, or this person has no part in it (a view's 404 comes first)."""


class InvalidInput(AssessmentError):
    """Something the person entered breaks a rule: an answer, a verification, a comment, a return
    note or flag, an uploaded file. `problems` maps the field to its message."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__(" ".join(problems.values()))


class StaleResponse(AssessmentError):
    """Someone else saved this indicator since the user loaded it; `current` is what they saved."""

    def __init__(self, current: IndicatorResponse) -> None:
        self.current = current
        who = current.updated_by or _("someone else")
        when = timezone.localtime(current.updated_at).strftime("%H:%M")
        super().__init__(
            _(
                "%(who)s saved this indicator at %(when)s, after you opened it. Your change was "
                "not saved; their answer is shown below. Review it and save again."
            )
            % {"who": who, "when": when}
        )


class SubmissionRefused(AssessmentError):
    def __init__(self, gaps: list) -> None:
        self.gaps = gaps
        super().__init__(
            _("The assessment cannot be submitted yet: %(count)d items need attention.")
            % {"count": len(gaps)}
        )


class UnaddressedFlags(AssessmentError):
    """A resubmission with flagged indicators neither changed nor answered; `codes` names them.
    Submitting again with the person's confirmation goes ahead."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = codes
        super().__init__(
            _("These flagged indicators were neither changed nor answered: %(codes)s.")
            % {"codes": ", ".join(codes)}
        )
