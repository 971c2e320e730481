"""The answer form of the element page: it parses and validates; the services write.

It validates with `rules.answer_problems`, the same rules the services and the Excel
upload apply, so a browser and a spreadsheet are refused for the same reasons in the same words.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import IndicatorResponse
from assessments.rules import Answer, Scale, answer_problems
from smartcity.models import Indicator

ANSWER_FIELDS = ("self_level", "not_applicable", "na_reason", "narrative", "target_level")


class AnswerForm(forms.Form):
    """One indicator's answer, with the version of the response the person started from."""

    self_level = forms.IntegerField(label=_("Level"), required=False)
    not_applicable = forms.BooleanField(label=_("Not applicable"), required=False)
    na_reason = forms.CharField(label=_("Reason it does not apply"), required=False, strip=False)
    narrative = forms.CharField(label=_("Narrative"), required=False, strip=False)
    target_level = forms.IntegerField(label=_("Target level"), required=False)
    version = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("This page is out of date. Reload it and enter your answer again."),
            "invalid": _("This page is out of date. Reload it and enter your answer again."),
        },
    )
    # "Keep mine" after a conflict: save over the version the person has now seen.
    keep_mine = forms.IntegerField(min_value=1, required=False)

    def __init__(
        self,
        *args,
        indicator: Indicator,
        scale: Scale,
        response: IndicatorResponse | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.scale = scale
        self.response = response
        out_of_scale = _("Choose a level from %(low)d to %(high)d.") % {
            "low": scale.lowest,
            "high": scale.highest,
        }
        for name in ("self_level", "target_level"):
            self.fields[name].error_messages["invalid"] = out_of_scale
        self.target_followed_level = False

    def clean(self) -> dict:
        data = super().clean()
        if any(name in self.errors for name in ANSWER_FIELDS):
            return data
        self._let_untouched_target_follow(data)
        problems = answer_problems(self._answer(data), self.indicator, self.scale)
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)
        return data

    def _let_untouched_target_follow(self, data: dict) -> None:
        """A target the person did not change this time, now below the new level, is reset.

        The service then sets the cycle's default target for the new level; the person sees it.
        """
        if self.response is None or data.get("not_applicable"):
            return
        level, target = data.get("self_level"), data.get("target_level")
        if (
            level is not None
            and target is not None
            and target < level
            and target == self.response.target_level
            and level != self.response.self_level
        ):
            data["target_level"] = None
            self.target_followed_level = True

    @staticmethod
    def _answer(data: dict) -> Answer:
        return Answer(
            self_level=data.get("self_level"),
            not_applicable=bool(data.get("not_applicable")),
            na_reason=data.get("na_reason") or "",
            narrative=(data.get("narrative") or "").replace("\r\n", "\n"),
            target_level=data.get("target_level"),
        )

    def answer(self) -> Answer:
        """The validated answer (call after `is_valid()`)."""
        return self._answer(self.cleaned_data)

    @property
    def expected_version(self) -> int:
        return self.cleaned_data.get("keep_mine") or self.cleaned_data["version"]

    def started_from(self) -> int:
        """The version the person's page showed (call after `is_valid()`): a refused save is shown
        with it, never a newer one, so saving again cannot overwrite someone else's answer. The
        response's own version when the posted one is missing or no version at all."""
        return self.cleaned_data.get("version") or self.response.version

    def entered(self) -> dict:
        """The answer as the person entered it, to show again when it was not saved."""
        return {
            name: self[name].value() if name == "not_applicable" else self.data.get(name, "")
            for name in ANSWER_FIELDS
        }

    def add_problems(self, problems: dict[str, str]) -> None:
        """Show the problems a service found (same field names as the answer)."""
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)
