"""The ids that fill the evaluation pages' URL patterns, by what each pattern is about."""

from evaluations.models import (
    EvaluationLetter,
    EvaluationRound,
    ProgressEvidence,
    RegionEvaluation,
)
from masterplan.models import ActionItem, MasterPlan

ABOUT = {
    "evaluations:progress_plan": MasterPlan,
    "evaluations:progress_item": ActionItem,
    "evaluations:progress_evidence": ProgressEvidence,
    "evaluations:round_detail": EvaluationRound,
    "evaluations:round_precompute": EvaluationRound,
    "evaluations:letter_download": EvaluationLetter,
    "evaluations:letter_status": EvaluationLetter,
    "evaluations:letter_retry": EvaluationLetter,
}


def model_of(name: str):
    return ABOUT.get(name, RegionEvaluation)


WITHOUT_IDS = frozenset(
    {"evaluations:progress_list", "evaluations:lagging", "evaluations:round_list",
     "evaluations:round_open"}
)  # fmt: skip


def ids_of(name: str) -> list[dict]:
    """Every stored object's pk for the pattern `name` (which takes only `pk`)."""
    if name in WITHOUT_IDS:
        return [{}]
    return [{"pk": pk} for pk in model_of(name).objects.order_by("pk").values_list("pk", flat=True)]
