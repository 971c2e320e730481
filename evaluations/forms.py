"""Forms of the evaluations app: validate and normalise; the services write."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations import scoring
from evaluations.models import JUDGED, DimensionChoice, StageKind, StatusChoice
from evaluations.services import Progress, Stage
from masterplan.models import FundingSource

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgressForm(forms.Form):
    """One report on one item."""

    status = forms.ChoiceField(label=_("Status"), choices=StatusChoice.choices)
    percent = forms.IntegerField(label=_("Percent complete"), min_value=0, max_value=100, initial=0)
    reason = forms.CharField(
        label=_("Reason (needed when delayed or cancelled)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    actual_spend = forms.IntegerField(label=_("Actual spend (IDR)"), min_value=0, required=False)
    spend_source = forms.ChoiceField(
        label=_("Source of the spend"),
        choices=[("", "—"), *FundingSource.choices],
        required=False,
    )
    kpi_value = forms.CharField(label=_("KPI realised"), max_length=100, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, assume_scheme="https")

    def progress(self) -> Progress:
        data = self.cleaned_data
        return Progress(
            status=data["status"],
            percent=data["percent"] or 0,
            reason=data["reason"],
            actual_spend=data["actual_spend"],
            spend_source=data["spend_source"],
            kpi_value=data["kpi_value"],
            note=data["note"],
            evidence_url=data["evidence_url"],
        )


class RoundOpenForm(forms.Form):
    """Year, title, scale, the five weights and the two stages of a new round."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    scale_min = forms.FloatField(label=_("Lowest score"), initial=1)
    scale_max = forms.FloatField(label=_("Highest score"), initial=5)
    desk_starts_on = forms.DateField(label=_("Desk evaluation starts"), widget=DATE)
    desk_ends_on = forms.DateField(label=_("Desk evaluation ends"), widget=DATE)
    field_starts_on = forms.DateField(label=_("Field verification starts"), widget=DATE)
    field_ends_on = forms.DateField(label=_("Field verification ends"), widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code, label in DimensionChoice.choices:
            self.fields[f"weight_{code}"] = forms.FloatField(
                label=_("Weight of %(dimension)s (%%)") % {"dimension": label},
                min_value=0,
                max_value=100,
                initial=scoring.DEFAULT_WEIGHTS[code],
            )
        if not self.is_bound:
            year = datetime.date.today().year
            self.initial.setdefault("year", year)
            self.initial.setdefault("title", f"Evaluasi Smart City {year}")

    def weights(self) -> dict[str, float]:
        return {code: self.cleaned_data[f"weight_{code}"] for code in scoring.DIMENSIONS}

    def stages(self) -> list[Stage]:
        data = self.cleaned_data
        return [
            Stage(StageKind.DESK, data["desk_starts_on"], data["desk_ends_on"]),
            Stage(StageKind.FIELD, data["field_starts_on"], data["field_ends_on"]),
        ]


class JudgementForm(forms.Form):
    code = forms.ChoiceField(label=_("Dimension"), choices=JUDGED)
    score = forms.FloatField(label=_("Score"))
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RecommendationForm(forms.Form):
    suggestion = forms.CharField(required=False, max_length=60)
    text = forms.CharField(
        label=_("Recommendation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LetterForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=[("id", "Bahasa Indonesia"), ("en", "English")], initial="id"
    )
