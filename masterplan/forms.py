"""The plan page's forms: they parse what a person typed; the services validate and write.

The item form hands an `ItemInput` to `services.action_item_save`/`_create`, whose refusals
(`InvalidInput`, by field) come back onto the form with `add_problems`, so the browser and the
services refuse for the same reasons in the same words.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from masterplan.models import (
    ActionItem,
    FundingSource,
    HorizonChoice,
    ItemStatus,
    MasterPlan,
)
from masterplan.rules import TITLE_LENGTH, ItemInput
from masterplan.services.sections import LIST_SECTIONS, MEMBER_SECTIONS, TEXT_SECTIONS

OUT_OF_DATE = _("This page is out of date. Reload it and make your change again.")
BUDGET_MAX = 10**15  # a thousand trillion rupiah: far above any regional budget
MEMBER_SEPARATOR = "|"


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE},
    )


class FormProblemsMixin:
    def add_problems(self, problems: dict[str, str]) -> None:
        """A service's refusal by field; a problem of no field of the form goes on top."""
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)


class ItemForm(FormProblemsMixin, forms.Form):
    """One action item; `version` is the item's version the person started from (editing)."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_LENGTH)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    horizon = forms.ChoiceField(label=_("Horizon"), choices=HorizonChoice.choices)
    start_year = forms.IntegerField(label=_("Start year"))
    end_year = forms.IntegerField(label=_("End year"))
    lead_opd = forms.CharField(label=_("Lead OPD"), max_length=100, required=False)
    partners = forms.CharField(
        label=_("Partners"),
        required=False,
        help_text=_("Separate them with commas."),
    )
    kpi_name = forms.CharField(label=_("KPI"), max_length=300, required=False)
    kpi_baseline = forms.CharField(label=_("KPI baseline"), max_length=100, required=False)
    kpi_target = forms.CharField(label=_("KPI target"), max_length=100, required=False)
    kpi_unit = forms.CharField(label=_("KPI unit"), max_length=100, required=False)
    budget = forms.IntegerField(
        label=_("Budget (IDR)"),
        max_value=BUDGET_MAX,
        error_messages={"invalid": _("Enter the budget as a whole number of rupiah.")},
    )
    funding_source = forms.ChoiceField(
        label=_("Funding source"),
        choices=[("", "—"), *FundingSource.choices],
        required=False,
    )
    rpjmd_program = forms.CharField(label=_("RPJMD program"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    depends_on = forms.MultipleChoiceField(
        label=_("Waits for"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={
            "invalid_choice": _("An action can only wait for other actions of this plan.")
        },
    )
    version = _version_field()

    def __init__(self, *args, plan: MasterPlan, item: ActionItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_year", "end_year"):
            self.fields[name].error_messages["invalid"] = _(
                "Enter a year, for example %(year)d."
            ) % {"year": plan.start_year}
        others = [
            (str(pk), f"{start}–{end} {title}")
            for pk, title, start, end in plan.items.exclude(
                pk=item.pk if item else None
            ).values_list("pk", "title", "start_year", "end_year")
        ]
        self.fields["depends_on"].choices = others
        if item is None:
            self.fields["version"].required = False

    @classmethod
    def initial_of(cls, item: ActionItem) -> dict:
        return {
            **{name: getattr(item, name) for name in cls.base_fields if hasattr(item, name)},
            "partners": ", ".join(item.partners),
            "depends_on": [str(pk) for pk in item.depends_on.values_list("pk", flat=True)],
            "version": item.version,
        }

    def item_input(self) -> ItemInput:
        data = self.cleaned_data
        return ItemInput(
            title=data["title"],
            description=data["description"],
            horizon=data["horizon"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            lead_opd=data["lead_opd"],
            partners=tuple(p.strip() for p in data["partners"].split(",") if p.strip()),
            kpi_name=data["kpi_name"],
            kpi_baseline=data["kpi_baseline"],
            kpi_target=data["kpi_target"],
            kpi_unit=data["kpi_unit"],
            budget=data["budget"],
            funding_source=data["funding_source"],
            rpjmd_program=data["rpjmd_program"],
            status=data["status"],
            depends_on=tuple(int(pk) for pk in data["depends_on"]),
        )


class DeleteForm(forms.Form):
    version = _version_field()


SECTION_LABELS = {
    "background": _("Background"),
    "legal_basis": _("Legal basis (one reference a line)"),
    "region_profile": _("Region profile"),
    "issues": _("Issues"),
    "strengths": _("Strengths (one a line)"),
    "weaknesses": _("Weaknesses (one a line)"),
    "opportunities": _("Opportunities (one a line)"),
    "threats": _("Threats (one a line)"),
    "vision": _("Vision"),
    "mission": _("Mission"),
    "objectives": _("Objectives"),
    "strategy": _("Strategy"),
    "council_members": _("Dewan Smart City (one member a line: role | name | OPD)"),
    "team_members": _("Tim Pelaksana (one member a line: role | name | OPD)"),
    "monitoring": _("Monitoring and evaluation"),
}


class SectionsForm(FormProblemsMixin, forms.Form):
    """The book's text sections: texts, SWOT lists one entry a line, members `role | name | OPD`."""

    version = _version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in SECTION_LABELS.items():
            self.fields[name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )

    @staticmethod
    def initial_of(plan: MasterPlan) -> dict:
        initial = {name: getattr(plan, name) for name in TEXT_SECTIONS}
        initial.update({name: "\n".join(getattr(plan, name)) for name in LIST_SECTIONS})
        for name in MEMBER_SECTIONS:
            initial[name] = "\n".join(
                f" {MEMBER_SEPARATOR} ".join(m[key] for key in ("role", "name", "opd"))
                for m in getattr(plan, name)
            )
        return {**initial, "version": plan.version}

    def clean(self) -> dict:
        data = super().clean()
        for name in MEMBER_SECTIONS:
            members = []
            for line in (data.get(name) or "").splitlines():
                if not line.strip():
                    continue
                parts = [part.strip() for part in line.split(MEMBER_SEPARATOR)]
                if len(parts) > 3 or not parts[0]:
                    self.add_error(
                        name,
                        _("Write each member as: role | name | OPD (%(line)s).")
                        % {"line": line.strip()},
                    )
                    break
                parts += [""] * (3 - len(parts))
                members.append(dict(zip(("role", "name", "opd"), parts, strict=True)))
            data[name] = members
        for name in LIST_SECTIONS:
            data[name] = [
                line.strip() for line in (data.get(name) or "").splitlines() if line.strip()
            ]
        return data

    def sections(self) -> dict:
        return {name: self.cleaned_data[name] for name in SECTION_LABELS}


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class DraftForm(forms.Form):
    """Drafting a plan from one of the approved assessments the person may draft from."""

    assessment = forms.TypedChoiceField(label=_("Approved assessment"), coerce=int)
    start_year = forms.IntegerField(
        label=_("First year of the plan"), required=False, min_value=2000, max_value=2100
    )
    ceiling = forms.IntegerField(
        label=_("Yearly budget ceiling (IDR, optional)"),
        required=False,
        min_value=1,
        max_value=BUDGET_MAX,
    )

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].choices = [(a.pk, str(a)) for a in assessments]
