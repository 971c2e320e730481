"""The assessors' part: judgements with reasons, recommendations followed up on the plan, and
the final result."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations import scoring, selectors
from evaluations.models import (
    JUDGED,
    EvaluationStage,
    Judgement,
    Recommendation,
    RecommendationSource,
    RegionEvaluation,
    RoundStatus,
    StageKind,
)
from evaluations.services.errors import InvalidInput, WrongState
from masterplan.models import ActionItem, HorizonChoice, OriginChoice
from smartcity import access
from smartcity.models import User

FOLLOW_UP_TITLE = 300


def require_assessor(evaluation: RegionEvaluation, user: User) -> None:
    if not access.can_review_region(user, evaluation.region):
        raise WrongState(_("Only the region's assessors judge its evaluation."))
    if evaluation.is_final or evaluation.round.status != RoundStatus.OPEN:
        raise WrongState(_("This evaluation is final and no longer changes."))


def _stage_now(evaluation: RegionEvaluation) -> str:
    today = timezone.localdate()
    field = next((s for s in evaluation.round.stages.all() if s.kind == StageKind.FIELD), None)
    if field is not None and field.starts_on <= today:
        return EvaluationStage.FIELD
    return EvaluationStage.DESK


def refresh_achievement(evaluation: RegionEvaluation) -> float | None:
    params = selectors.round_params(evaluation.round)
    judged = {j.code: j.score for j in evaluation.judgements.all()}
    scores = scoring.final_scores(evaluation.computed, judged)
    evaluation.achievement = scoring.achievement_index(scores, params.weights)[0]
    return evaluation.achievement


@transaction.atomic
def judgement_save(
    *, evaluation: RegionEvaluation, user: User, code: str, score: float | None, reason: str,
    note: str = "",
) -> Judgement:  # fmt: skip
    """An assessor's score of a dimension (or of the quick wins' quality) on the round's scale.

    A reason is always needed: it is the ground of a judged score and of an override of a
    pre-computed one (the pre-computed score is kept beside it).
    """
    require_assessor(evaluation, user)
    low, high = evaluation.round.scale_min, evaluation.round.scale_max
    problems = {}
    if code not in dict(JUDGED):
        problems["code"] = _("Choose an evaluation dimension.")
    if score is None or not low <= score <= high:
        problems["score"] = _("Give a score from %(low)s to %(high)s.") % {
            "low": scoring._fmt(low),
            "high": scoring._fmt(high),
        }
    computed = (evaluation.computed.get(code) or {}).get("score")
    if not reason.strip():
        problems["reason"] = (
            _("Say why you override the pre-computed score %(score)s.")
            % {"score": scoring._fmt(computed)}
            if computed is not None
            else _("Give the reason for this score.")
        )
    if problems:
        raise InvalidInput(problems)
    judgement, _created = Judgement.objects.update_or_create(
        evaluation=evaluation,
        code=code,
        defaults={
            "score": round(score, 2),
            "computed": computed,
            "reason": reason.strip(),
            "note": note.strip(),
            "assessor": user,
        },
    )
    evaluation.stage = _stage_now(evaluation)
    refresh_achievement(evaluation)
    evaluation.save(update_fields=["stage", "achievement"])
    return judgement


@transaction.atomic
def recommendation_add(
    *, evaluation: RegionEvaluation, user: User, text: str = "", suggestion_key: str = ""
) -> Recommendation:
    """A recommendation, written or picked from the suggestions; it becomes a tracked item of
    the region's current plan (a quick win for the next year), unless the region has no plan."""
    require_assessor(evaluation, user)
    if suggestion_key:
        suggestions = dict(selectors.suggestions_for(evaluation))
        if suggestion_key not in suggestions:
            raise InvalidInput({"suggestion": _("This suggestion is no longer offered.")})
        text = text.strip() or suggestions[suggestion_key]
    text = text.strip()
    if not text:
        raise InvalidInput({"text": _("Write the recommendation or pick a suggestion.")})
    plan = selectors.current_plan_of(evaluation.region)
    follow_up = None
    if plan is not None:
        year = min(evaluation.round.year + 1, plan.end_year)
        follow_up = ActionItem(
            plan=plan,
            title=(
                _("Follow-up of the %(year)s evaluation: %(text)s")
                % {"year": evaluation.round.year, "text": text}
            )[:FOLLOW_UP_TITLE],
            description=text,
            horizon=HorizonChoice.QUICK_WIN,
            start_year=max(year, plan.start_year),
            end_year=max(year, plan.start_year),
            origin=OriginChoice.MANUAL,
            position=plan.items.count(),
            updated_by=user,
        )
        follow_up._history_user = user
        follow_up.save()
    return Recommendation.objects.create(
        evaluation=evaluation,
        text=text,
        source=RecommendationSource.SUGGESTED if suggestion_key else RecommendationSource.WRITTEN,
        suggestion_key=suggestion_key,
        follow_up=follow_up,
        created_by=user,
    )


@transaction.atomic
def evaluation_finalise(*, evaluation: RegionEvaluation, user: User) -> RegionEvaluation:
    """The assessors close the region's evaluation; Impact and the quick wins' quality must be
    judged first. The result (and its letter) no longer changes."""
    require_assessor(evaluation, user)
    judged = {j.code for j in evaluation.judgements.all()}
    missing = [
        str(label) for code, label in JUDGED if code in scoring.ALWAYS_JUDGED and code not in judged
    ]
    if missing:
        raise WrongState(_("Judge these first: %(missing)s.") % {"missing": ", ".join(missing)})
    refresh_achievement(evaluation)
    evaluation.stage = EvaluationStage.FINAL
    evaluation.finalised_by = user
    evaluation.finalised_at = timezone.now()
    evaluation.save(update_fields=["stage", "achievement", "finalised_by", "finalised_at"])
    return evaluation
