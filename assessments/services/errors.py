"""The refusals of the assessment services; every message is for the user, in their language."""

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import IndicatorResponse


class AssessmentError(Exception):
    """A request the workflow refuses; the message is for the user, in their language."""


class NotAllowed(AssessmentError):
    pass


class InvalidAnswer(AssessmentError):
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
