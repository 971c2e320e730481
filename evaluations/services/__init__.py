"""Writes of the evaluations app (keyword-only, atomic, scope re-checked through access)."""

from evaluations.services.errors import EvaluationError, InvalidInput, WrongState
from evaluations.services.judging import (
    evaluation_finalise,
    judgement_save,
    recommendation_add,
)
from evaluations.services.letters import letter_request
from evaluations.services.progress import Progress, progress_report, semester_periods
from evaluations.services.rounds import Stage, round_close, round_open, round_precompute

__all__ = [
    "EvaluationError",
    "InvalidInput",
    "Progress",
    "Stage",
    "WrongState",
    "evaluation_finalise",
    "judgement_save",
    "letter_request",
    "progress_report",
    "recommendation_add",
    "round_close",
    "round_open",
    "round_precompute",
    "semester_periods",
]
