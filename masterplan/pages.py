"""The page models of the plan page, built from the plan's items and rows without queries."""

from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from masterplan import charts, selectors
from masterplan.models import ActionItem, FundingSource, HorizonChoice, MasterPlan


@dataclass(frozen=True)
class DimensionGroup:
    code: str
    name: str
    items: list[ActionItem]
    budget: int


@dataclass(frozen=True)
class HorizonGroup:
    horizon: str
    label: str
    dimensions: list[DimensionGroup]
    budget: int


@dataclass(frozen=True)
class Total:
    label: str
    amount: int


def horizon_groups(items: list[ActionItem]) -> list[HorizonGroup]:
    """Items by horizon (quick win, medium, long), then by dimension in framework order."""
    groups = []
    for horizon, label in HorizonChoice.choices:
        chosen = [item for item in items if item.horizon == horizon]
        by_dimension: dict[str, list[ActionItem]] = {}
        names, order = {}, {}
        for item in chosen:
            pillar = item.element.pillar if item.element else None
            code = pillar.code if pillar else selectors.NO_DIMENSION
            by_dimension.setdefault(code, []).append(item)
            names[code] = pillar.name if pillar else ""
            order[code] = pillar.position if pillar else 10_000
        dimensions = [
            DimensionGroup(code, names[code], group, sum(i.budget for i in group))
            for code, group in sorted(by_dimension.items(), key=lambda pair: order[pair[0]])
        ]
        groups.append(HorizonGroup(horizon, str(label), dimensions, sum(i.budget for i in chosen)))
    return groups


def totals_rows(totals: pd.Series, labels: dict[str, str] | None = None) -> list[Total]:
    return [
        Total(labels.get(str(key), str(key)) if labels else str(key), int(amount))
        for key, amount in totals.items()
    ]


def plan_page(plan: MasterPlan, items: list[ActionItem], totals: dict[str, pd.Series]) -> dict:
    """The template's context: groups and the four budget totals."""
    horizons = {key: str(label) for key, label in HorizonChoice.choices}
    funding = {key: str(label) for key, label in FundingSource.choices}
    return {
        "plan": plan,
        "groups": horizon_groups(items),
        "totals": [
            (_("Per year"), totals_rows(totals["year"])),
            (_("Per horizon"), totals_rows(totals["horizon"], horizons)),
            (_("Per dimension"), totals_rows(totals["dimension"])),
            (_("Per funding source"), totals_rows(totals["funding"], funding)),
        ],
        "total": int(totals["year"].sum()),
    }


def dimension_names(items: list[ActionItem]) -> dict[str, str]:
    """The dimensions of the plan's items, code -> name, in framework order."""
    pillars = {item.element.pillar.code: item.element.pillar for item in items if item.element}
    return {
        code: pillar.name for code, pillar in sorted(pillars.items(), key=lambda p: p[1].position)
    }


def plan_charts(plan: MasterPlan, items: list[ActionItem], rows: pd.DataFrame) -> dict:
    """The roadmap and the budget chart of the plan page, and the tables beside them."""
    years = {"first_year": plan.start_year, "last_year": plan.end_year}
    budget = selectors.budget_rows(rows)
    funding = {key: str(label) for key, label in FundingSource.choices}
    by_year = (
        budget.pivot_table(
            index=charts.YEAR, columns=charts.FUNDING, values=charts.AMOUNT, aggfunc="sum"
        ).reindex(range(plan.start_year, plan.end_year + 1), fill_value=0)
        if not budget.empty
        else pd.DataFrame(index=range(plan.start_year, plan.end_year + 1))
    ).fillna(0)
    sources = [code for code in [*funding, ""] if code in by_year.columns]
    return {
        "roadmap": charts.roadmap_figure(
            selectors.roadmap_rows(rows),
            dimensions=dimension_names(items),
            title=_("Roadmap"),
            **years,
        ),
        "budget_chart": charts.budget_figure(
            budget, funding=funding, title=_("Budget per year and funding source"), **years
        ),
        "budget_sources": [funding.get(code) or _("No funding source") for code in sources],
        "budget_table": [
            (year, [int(by_year.at[year, code]) for code in sources], int(by_year.loc[year].sum()))
            for year in by_year.index
        ],
    }
