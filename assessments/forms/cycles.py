"""The administrator's form for opening a cycle: validates and normalises, never writes.

`services.cycle_open` writes; this form turns the request into its arguments, including the region
selection (all program regions, one cohort year, one province, or a hand-picked list).
"""

import datetime

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Cycle
from assessments.selectors import scale_of
from smartcity.models import Framework, FrameworkStatus, Province, Region

MAX_TARGET_STEP = 3
DEFAULT_OPEN_DAYS = 90


class RegionSelection(models.TextChoices):
    """How the regions of a cycle are chosen (the values of the `selection` radio)."""

    ALL = "all", _("All program regions (every region with a cohort year)")
    COHORT = "cohort", _("The regions of one cohort year")
    PROVINCE = "province", _("Every kabupaten/kota of one province")
    REGIONS = "regions", _("A hand-picked list of regions")


def _step_choices() -> list[tuple[int, str]]:
    choices = [(0, _("Current level (no increase)"))]
    choices += [
        (step, _("Current level + %(step)d") % {"step": step})
        for step in range(1, MAX_TARGET_STEP + 1)
    ]
    return choices


class CycleOpenForm(forms.Form):
    """Year, title, framework, dates, default target rule and the regions of a new cycle."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Shown to every region, e.g. “Penilaian Mandiri 2026”. Unique within a year."),
    )
    framework = forms.ModelChoiceField(
        label=_("Framework version"),
        queryset=Framework.objects.none(),
        empty_label=None,
        help_text=_("Only published versions can be used."),
    )
    opens_on = forms.DateField(
        label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The deadline shown to the regions."),
    )
    target_step = forms.TypedChoiceField(
        label=_("Rule"),
        coerce=int,
        choices=_step_choices,
        initial=1,
        help_text=_("Pre-filled target of every answered indicator; the region may change it."),
    )
    target_cap = forms.IntegerField(
        label=_("Highest target level"),
        required=False,
        help_text=_("Optional: no default target above this level."),
    )
    selection = forms.ChoiceField(
        label=_("Regions"),
        choices=RegionSelection.choices,
        initial=RegionSelection.ALL,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    cohort_year = forms.TypedChoiceField(label=_("Cohort year"), coerce=int, required=False)
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("name"),
        required=False,
        empty_label="—",
    )
    regions = forms.TypedMultipleChoiceField(
        label=_("Regions"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_(
            "Hold Ctrl (Cmd on a Mac) to pick several. Type the first letters of a name to "
            "jump to it."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + datetime.timedelta(days=DEFAULT_OPEN_DAYS)
        self.fields["framework"].queryset = Framework.objects.filter(
            status=FrameworkStatus.PUBLISHED
        ).order_by("slug", "-version")
        years = (
            Region.objects.exclude(cohort_year=None)
            .order_by("cohort_year")
            .values_list("cohort_year", flat=True)
            .distinct()
        )
        self.fields["cohort_year"].choices = [("", "—")] + [(y, str(y)) for y in years]
        self.fields["regions"].choices = _grouped_region_choices()

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean(self) -> dict:
        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The closing date cannot be before the opening date."))
        year, title = data.get("year"), data.get("title")
        if year and title and Cycle.objects.filter(year=year, title__iexact=title).exists():
            self.add_error(
                "title",
                _("A cycle called “%(title)s” already exists in %(year)d. Choose another title.")
                % {"title": title, "year": year},
            )
        framework, cap = data.get("framework"), data.get("target_cap")
        if framework is not None and cap is not None:
            scale = scale_of(framework)
            if cap not in scale:
                self.add_error(
                    "target_cap",
                    _("Choose a level of this framework's scale, from %(low)d to %(high)d.")
                    % {"low": scale.lowest, "high": scale.highest},
                )
        self._clean_selection(data)
        return data

    def _clean_selection(self, data: dict) -> None:
        selection = data.get("selection")
        if selection == RegionSelection.COHORT and not data.get("cohort_year"):
            self.add_error("cohort_year", _("Choose a cohort year."))
        elif selection == RegionSelection.PROVINCE and not data.get("province"):
            self.add_error("province", _("Choose a province."))
        elif selection == RegionSelection.REGIONS and not data.get("regions"):
            self.add_error("regions", _("Pick at least one region."))
        elif selection and not self.selected_regions(data).exists():
            self.add_error("selection", _("No region matches this selection."))

    def selected_regions(self, data: dict | None = None) -> QuerySet[Region]:
        """The regions the validated selection names (call after `is_valid()`)."""
        data = self.cleaned_data if data is None else data
        regions = Region.objects.all()
        selection = data["selection"]
        if selection == RegionSelection.ALL:
            return regions.exclude(cohort_year=None)
        if selection == RegionSelection.COHORT:
            return regions.filter(cohort_year=data["cohort_year"])
        if selection == RegionSelection.PROVINCE:
            return regions.filter(province=data["province"])
        return regions.filter(pk__in=data["regions"])

    def selection_description(self) -> str:
        """The selection in words, for the confirmation page."""
        data = self.cleaned_data
        selection = data["selection"]
        if selection == RegionSelection.COHORT:
            return _("cohort %(year)d") % {"year": data["cohort_year"]}
        if selection == RegionSelection.PROVINCE:
            return _("province %(name)s") % {"name": data["province"].name}
        return str(RegionSelection(selection).label)


def _grouped_region_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Every region, grouped by province (an <optgroup> each), in one query."""
    groups: dict[str, list[tuple[int, str]]] = {}
    rows = Region.objects.order_by("province__code", "name").values_list(
        "pk", "code", "name", "province__name"
    )
    for pk, code, name, province in rows:
        groups.setdefault(province, []).append((pk, f"{name} · {code}"))
    return list(groups.items())


class ExtensionForm(forms.Form):
    """A facilitator's new deadline for one region."""

    until = forms.DateField(
        label=_("New deadline"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Choose the new deadline."),
            "invalid": _("Enter the new deadline as a date."),
        },
    )
