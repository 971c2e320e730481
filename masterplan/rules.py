"""The rules of an action item, shared by the services and (later) the plan page's form."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from masterplan.models import FundingSource, HorizonChoice, ItemStatus

TITLE_LENGTH = 300


@dataclass(frozen=True)
class ItemInput:
    """What a person sets on an item; `depends_on` holds primary keys of items of the plan."""

    title: str
    horizon: str
    start_year: int
    end_year: int
    description: str = ""
    lead_opd: str = ""
    partners: tuple[str, ...] = ()
    kpi_name: str = ""
    kpi_baseline: str = ""
    kpi_target: str = ""
    kpi_unit: str = ""
    budget: int = 0
    funding_source: str = ""
    rpjmd_program: str = ""
    status: str = ItemStatus.PLANNED
    depends_on: tuple[int, ...] = field(default=())


EDITABLE_FIELDS = (
    "title",
    "horizon",
    "start_year",
    "end_year",
    "description",
    "lead_opd",
    "kpi_name",
    "kpi_baseline",
    "kpi_target",
    "kpi_unit",
    "budget",
    "funding_source",
    "rpjmd_program",
    "status",
)


def item_input_of(item, **changes) -> ItemInput:
    """The input that saves a stored `ActionItem` as it is, with `changes` applied."""
    values = {name: getattr(item, name) for name in EDITABLE_FIELDS}
    values["partners"] = tuple(item.partners)
    values["depends_on"] = tuple(item.depends_on.values_list("pk", flat=True))
    return ItemInput(**{**values, **changes})


@dataclass(frozen=True)
class Neighbour:
    """An item this one waits on, or one that waits on it: its title and years."""

    pk: int
    title: str
    start_year: int
    end_year: int


def item_problems(
    values: ItemInput,
    *,
    first_year: int,
    last_year: int,
    dependencies: list[Neighbour],
    dependants: list[Neighbour],
) -> dict[str, str]:
    """Every rule the item breaks, by field (empty when it may be saved)."""
    problems: dict[str, str] = {}
    if not values.title.strip():
        problems["title"] = _("Give the action a title.")
    elif len(values.title) > TITLE_LENGTH:
        problems["title"] = _("The title may have at most %(count)d characters.") % {
            "count": TITLE_LENGTH
        }
    if values.horizon not in HorizonChoice.values:
        problems["horizon"] = _("Choose quick win, medium or long term.")
    if values.status not in ItemStatus.values:
        problems["status"] = _("Choose a status from the list.")
    if values.funding_source and values.funding_source not in FundingSource.values:
        problems["funding_source"] = _("Choose a funding source from the list.")
    if values.budget < 0:
        problems["budget"] = _("The budget cannot be negative.")
    for name, year in (("start_year", values.start_year), ("end_year", values.end_year)):
        if not first_year <= year <= last_year:
            problems[name] = _("Choose a year of the plan's period, %(first)d to %(last)d.") % {
                "first": first_year,
                "last": last_year,
            }
    if "start_year" not in problems and "end_year" not in problems:
        if values.end_year < values.start_year:
            problems["end_year"] = _("The end year cannot be before the start year.")
        elif values.horizon == HorizonChoice.QUICK_WIN and not (
            values.start_year == values.end_year == first_year
        ):
            problems["horizon"] = _(
                "A quick win starts and ends in the plan's first year, %(year)d."
            ) % {"year": first_year}
    if "start_year" not in problems:
        late = [d for d in dependencies if d.end_year >= values.start_year]
        if late:
            problems["depends_on"] = _(
                "It starts in %(year)d, but what it waits for ends later: %(items)s."
            ) % {
                "year": values.start_year,
                "items": "; ".join(f"{d.title} ({d.end_year})" for d in late),
            }
    if "end_year" not in problems:
        early = [d for d in dependants if d.start_year <= values.end_year]
        if early:
            problems["end_year"] = _(
                "It ends in %(year)d, but actions waiting for it start earlier: %(items)s."
            ) % {
                "year": values.end_year,
                "items": "; ".join(f"{d.title} ({d.start_year})" for d in early),
            }
    return problems
