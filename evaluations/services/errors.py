"""The refusals of the evaluation services; every message is for the user, in their language."""


class EvaluationError(Exception):
    """A request the evaluation refuses."""


class WrongState(EvaluationError):
    """The action does not fit: the round is closed, the evaluation final, or the person has no
    part in it (a view's 404 comes first)."""


class InvalidInput(EvaluationError):
    """What the person entered breaks a rule; `problems` maps the field to its message."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__(" ".join(problems.values()))
