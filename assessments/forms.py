"""Forms of the assessment pages: they parse and validate; the services write.

The answer form validates with `rules.answer_problems`, the same rules the services and the Excel
upload apply, so a browser and a spreadsheet are refused for the same reasons in the same words.
"""

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from assessments.models import IndicatorResponse
from assessments.rules import Answer, Scale, answer_problems
from smartcity.models import Indicator

ANSWER_FIELDS = ("self_level", "not_applicable", "na_reason", "narrative", "target_level")
LINK_MAX_LENGTH = 1000
DESCRIPTION_MAX_LENGTH = 300


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

    def add_problems(self, problems: dict[str, str]) -> None:
        """Show the problems a service found (same field names as the answer)."""
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)


class EvidenceFileForm(forms.Form):
    """An evidence file; its size and real type are checked by the service."""

    # Empty files pass here so the service refuses them with the file's name in the message.
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        error_messages={"required": _("Choose a file to upload.")},
    )
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH, required=False
    )


class EvidenceLinkForm(forms.Form):
    """A link to evidence published elsewhere: http or https only."""

    url = forms.CharField(
        label=_("Web address"),
        max_length=LINK_MAX_LENGTH,
        validators=[
            URLValidator(
                schemes=["http", "https"],
                message=_(
                    "Enter a full web address that starts with http:// or https://, "
                    "e.g. https://jdih.example.go.id/perda-1-2025."
                ),
            )
        ],
        error_messages={
            "required": _("Enter the web address of the evidence."),
            "max_length": _("Keep the web address under %(limit_value)d characters."),
        },
    )
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH, required=False
    )
