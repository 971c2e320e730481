"""Rules of an answer, shared by the web form, the Excel upload and the services.

Pure functions: no database access, so every caller validates the same way.
"""

from dataclasses import dataclass, replace

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from smartcity.models import Indicator

NARRATIVE_MAX_LENGTH = 10_000


@dataclass(frozen=True)
class Answer:
    """What an official states about one indicator."""

    self_level: int | None
    not_applicable: bool
    na_reason: str
    narrative: str
    target_level: int | None


@dataclass(frozen=True)
class Scale:
    """The levels of a framework's scale, e.g. 0..5."""

    values: tuple[int, ...]

    @property
    def lowest(self) -> int:
        return self.values[0]

    @property
    def highest(self) -> int:
        return self.values[-1]

    def __contains__(self, level: object) -> bool:
        return level in self.values


def answer_problems(answer: Answer, indicator: Indicator, scale: Scale) -> dict[str, str]:
    """Field name -> message for every rule the answer breaks (empty when it is valid).

    An answer may be incomplete while the assessment is a draft (no level yet); completeness is
    checked on submission, not here.
    """
    problems: dict[str, str] = {}
    out_of_scale = _("Choose a level from %(low)d to %(high)d.") % {
        "low": scale.lowest,
        "high": scale.highest,
    }
    if answer.not_applicable:
        if not indicator.allow_na:
            problems["not_applicable"] = _("This indicator cannot be marked not applicable.")
        elif not answer.na_reason.strip():
            problems["na_reason"] = _("Explain why this indicator does not apply to your region.")
        if answer.self_level is not None:
            problems["self_level"] = _("Either choose a level or mark it not applicable, not both.")
    elif answer.self_level is not None and answer.self_level not in scale:
        problems["self_level"] = out_of_scale
    if answer.target_level is not None:
        if answer.target_level not in scale:
            problems["target_level"] = out_of_scale
        elif answer.self_level is not None and answer.target_level < answer.self_level:
            problems["target_level"] = _("The target cannot be below the current level.")
    if len(answer.narrative) > NARRATIVE_MAX_LENGTH:
        problems["narrative"] = narrative_too_long()
    return problems


def narrative_too_long() -> str:
    """The narrative limit as people read numbers: "10.000" in Indonesian, "10,000" in English."""
    return _("Keep the narrative under %(max)s characters.") % {
        "max": number_format(NARRATIVE_MAX_LENGTH, force_grouping=True)
    }


def default_target(level: int | None, scale: Scale, *, step: int, cap: int | None) -> int | None:
    """The cycle's default target for a current level: level + step, at most the cap."""
    if level is None:
        return None
    ceiling = min(cap, scale.highest) if cap is not None else scale.highest
    return max(level, min(level + step, ceiling))


def normalised(answer: Answer) -> Answer:
    """The answer as it is stored: trimmed texts with plain line breaks; "not applicable" has no
    level, no target and keeps its reason, any other answer has no reason."""
    na = answer.not_applicable
    return Answer(
        self_level=None if na else answer.self_level,
        not_applicable=na,
        na_reason=_clean(answer.na_reason) if na else "",
        narrative=_clean(answer.narrative),
        target_level=None if na else answer.target_level,
    )


def answer_as_saved(answer: Answer, scale: Scale, *, step: int, cap: int | None) -> Answer:
    """What saving a valid answer stores: `normalised`, with the cycle's default target when the
    answer names a level and no target."""
    answer = normalised(answer)
    if answer.target_level is None and answer.self_level is not None:
        target = default_target(answer.self_level, scale, step=step, cap=cap)
        answer = replace(answer, target_level=target)
    return answer


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
