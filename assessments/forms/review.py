"""Forms of the facilitator's review: verify one indicator, return for revision, approve.

They parse and normalise what the browser sent; the rules (level on the scale, reason when the
level differs, a note and at least one flag on return) live in `assessments.services`, so every
caller is refused the same way with the same message.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import IndicatorResponse
from assessments.services import Flag

ACCEPT = "accept"
SET_LEVEL = "set"
NOTE_MAX_LENGTH = 5000


class VerifyForm(forms.Form):
    """One indicator: accept the self-assessed level, or set a verified level with a reason."""

    action = forms.ChoiceField(
        choices=[(ACCEPT, _("Accept self level")), (SET_LEVEL, _("Set verified level"))]
    )
    level = forms.IntegerField(required=False)
    reason = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH)
    version = forms.IntegerField(min_value=1)

    def __init__(self, *args, response: IndicatorResponse, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.response = response

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == ACCEPT:
            if self.response.self_level is None and not self.response.not_applicable:
                raise forms.ValidationError(
                    _(
                        "This indicator has no self-assessed level to accept: choose a level and "
                        "give the reason."
                    )
                )
            # Accepting "not applicable" keeps the verified level empty.
            data["level"] = self.response.self_level
            data["reason"] = ""
        return data

    @property
    def verified_level(self) -> int | None:
        return self.cleaned_data.get("level")

    def first_error(self) -> str:
        """The one message to show beside the indicator."""
        if "version" in self.errors:
            return str(_("The page is out of date. Reload it and try again."))
        for messages in self.errors.values():
            return str(messages[0])
        return ""


class ReturnForm(forms.Form):
    """A note for the region, and the indicators to revise, each with an optional note.

    Checkbox `flag` carries response ids; `flag_note_<id>` the note of each. Unknown ids are
    dropped here (they cannot come from our page); an empty note or no flag is refused by
    `services.assessment_return` with its own message.
    """

    note = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args, responses: list[IndicatorResponse], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.response_ids = [r.pk for r in responses]
        self.fields["flag"] = forms.TypedMultipleChoiceField(
            choices=[(r.pk, r.pk) for r in responses], coerce=int, required=False
        )
        for response_id in self.response_ids:
            self.fields[f"flag_note_{response_id}"] = forms.CharField(
                required=False, max_length=NOTE_MAX_LENGTH
            )

    def flags(self) -> list[Flag]:
        flagged = self.cleaned_data.get("flag", [])
        return [
            Flag(response_id, self.cleaned_data.get(f"flag_note_{response_id}", ""))
            for response_id in self.response_ids
            if response_id in flagged
        ]

    def submitted_flags(self) -> set[int]:
        """The ids ticked in the posted data, to show the form again as it was sent."""
        if not self.is_bound:
            return set()
        ticked = set()
        for value in self.data.getlist("flag"):
            try:
                ticked.add(int(value))
            except (TypeError, ValueError):
                continue
        return ticked


class ApproveForm(forms.Form):
    """An optional note with the approval."""

    note = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH)
