"""The dashboards' query parameters: filters checked and normalised, a wrong one named."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboards.analysis import PROGRESS_STATUSES, SORT_KEYS, ProgressFilters


class ProgressFilterForm(forms.Form):
    """The filters and the order of the progress table (all optional)."""

    cycle = forms.CharField(required=False)
    province = forms.CharField(label=_("Province"), required=False, max_length=2)
    cohort = forms.IntegerField(
        label=_("Cohort year"), required=False, min_value=2000, max_value=2100
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    predikat = forms.CharField(label=_("Predikat"), required=False, max_length=80)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("region", _("Region")),
            ("province", _("Province")),
            ("status", _("Status")),
            ("activity", _("Last activity")),
            ("index", _("Index")),
        ],
    )
    desc = forms.BooleanField(label=_("Descending"), required=False)

    def __init__(self, *args, status_labels: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses"))] + [
            (status, status_labels[status]) for status in PROGRESS_STATUSES
        ]

    def filters(self) -> ProgressFilters:
        """The valid filters; after an invalid form, no filter at all."""
        if not self.is_valid():
            return ProgressFilters()
        data = self.cleaned_data
        return ProgressFilters(
            province=data["province"],
            cohort=data["cohort"],
            status=data["status"],
            predikat=data["predikat"],
            overdue=data["overdue"],
            sort=data["sort"] if data["sort"] in SORT_KEYS else "region",
            descending=data["desc"],
        )


class MaturityForm(forms.Form):
    """The maturity dashboard's choices: the cycle, preliminary results, the heatmap's order."""

    cycle = forms.CharField(required=False)
    preliminary = forms.BooleanField(label=_("Include preliminary results"), required=False)
    sort = forms.CharField(label=_("Sort the heatmap by"), required=False, max_length=30)


class MapForm(forms.Form):
    """What the map shows: regions or provinces, coloured by status or by index."""

    cycle = forms.CharField(required=False)
    colour = forms.ChoiceField(
        label=_("Colour by"),
        required=False,
        choices=[("index", _("Smart-city index")), ("status", _("Status"))],
    )
    level = forms.ChoiceField(
        label=_("Areas"),
        required=False,
        choices=[("region", _("Kabupaten/kota")), ("province", _("Provinces"))],
    )
