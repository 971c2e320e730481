"""Reads of the masterplan app, every one scoped through `smartcity.access`."""

import pandas as pd
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from masterplan import charts
from masterplan.library_files import FrameworkScope, LibrarySpec, library_from_json
from masterplan.models import ActionItem, ActionLibrary, MasterPlan, PlanStatus
from masterplan.planning import ExistingItem
from smartcity import access
from smartcity.models import Framework, Indicator, ScaleLevel, User

NO_DIMENSION = ""  # the dimension of a manual item without an indicator


def framework_scope_of(framework: Framework) -> FrameworkScope:
    """The stored framework version as the library validator's scope (two queries)."""
    return FrameworkScope(
        slug=framework.slug,
        version=framework.version,
        levels=tuple(
            ScaleLevel.objects.filter(framework=framework)
            .order_by("value")
            .values_list("value", flat=True)
        ),
        indicator_codes=frozenset(
            Indicator.objects.filter(element__pillar__framework=framework).values_list(
                "code", flat=True
            )
        ),
    )


def library_for(framework: Framework) -> tuple[ActionLibrary | None, LibrarySpec | None]:
    """The newest action library loaded for the framework version, or (None, None)."""
    library = ActionLibrary.objects.filter(framework=framework).order_by("-version").first()
    return library, (library_from_json(library.spec) if library else None)


def plans_visible_to(user: User) -> QuerySet[MasterPlan]:
    return MasterPlan.objects.select_related("region", "assessment__cycle").filter(
        access.visible_regions_q(user, "region")
    )


def plan_for(user: User, pk: int) -> MasterPlan:
    """The plan, or 404 outside the user's scope."""
    plan = plans_visible_to(user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def require_visible(user: User | None, plan: MasterPlan) -> None:
    """404 unless the user may see the plan's region (None: an operator's command)."""
    if user is not None and not access.can_view_region(user, plan.region):
        raise Http404


def edit_refusal(plan: MasterPlan, user: User | None) -> str | None:
    """Why the person may not change the plan or its items now, or None."""
    if user is not None and not access.can_edit_region(user, plan.region):
        return _("Only the region's officials edit its master plan.")
    if plan.status == PlanStatus.FINAL:
        return _("This plan is final and can no longer be changed; start a new version from it.")
    return None


def current_plan_of(region_id: int) -> MasterPlan | None:
    """The region's newest plan version."""
    return MasterPlan.objects.filter(region_id=region_id).order_by("-edition").first()


def existing_items(plan: MasterPlan) -> list[ExistingItem]:
    """The plan's items with a key, as the regeneration sees them (two queries)."""
    items = list(plan.items.exclude(key="").prefetch_related("depends_on"))
    return [
        ExistingItem(
            key=item.key,
            origin=item.origin,
            horizon=item.horizon,
            start_year=item.start_year,
            end_year=item.end_year,
            depends_on=tuple(sorted(d.key for d in item.depends_on.all() if d.key)),
        )
        for item in items
    ]


def items_of(plan: MasterPlan) -> QuerySet[ActionItem]:
    return plan.items.select_related("indicator", "element__pillar").order_by(
        "start_year", "position", "pk"
    )


ITEM_COLUMNS = (
    "title",
    "start_year",
    "end_year",
    "budget",
    "horizon",
    "dimension",
    "funding",
)


def plan_frame(plan: MasterPlan) -> pd.DataFrame:
    """The plan's items as rows (ITEM_COLUMNS; `dimension` is the pillar code, "" without one),
    in the order of the plan page. One query."""
    rows = pd.DataFrame(
        list(
            items_of(plan).values_list(
                "title",
                "start_year",
                "end_year",
                "budget",
                "horizon",
                "element__pillar__code",
                "funding_source",
            )
        ),
        columns=list(ITEM_COLUMNS),
    )
    rows["dimension"] = rows["dimension"].fillna(NO_DIMENSION)
    return rows


def spread_by_year(rows: pd.DataFrame) -> pd.DataFrame:
    """Each item's budget spread evenly over its years, the remainder in the first year, as the
    scheduler does: one row per item and year, with `year` and `amount` added (pure)."""
    span = rows["end_year"] - rows["start_year"] + 1
    spread = rows.loc[rows.index.repeat(span)].copy()
    spread["span"] = span.loc[spread.index]
    offset = spread.groupby(level=0).cumcount()
    spread["year"] = spread["start_year"] + offset
    share, remainder = spread["budget"] // spread["span"], spread["budget"] % spread["span"]
    spread["amount"] = share + remainder.where(offset == 0, 0)
    return spread.reset_index(drop=True)


def roadmap_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """`charts.roadmap_figure`'s rows from `plan_frame`'s (pure)."""
    return rows.rename(columns={"title": charts.LABEL})[list(charts.ROADMAP_COLUMNS)]


def budget_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """`charts.budget_figure`'s rows (rupiah per year and funding source) from `plan_frame`'s."""
    if rows.empty:
        return pd.DataFrame(columns=list(charts.BUDGET_COLUMNS))
    spread = spread_by_year(rows)
    return (
        spread.groupby(["year", "funding"], as_index=False)["amount"]
        .sum()
        .rename(columns={"year": charts.YEAR, "funding": charts.FUNDING, "amount": charts.AMOUNT})
    )


def budget_totals(plan: MasterPlan, rows: pd.DataFrame | None = None) -> dict[str, pd.Series]:
    """The plan's budget per year, horizon, dimension (pillar code) and funding source.

    From `plan_frame`'s rows (one query when not given), one pandas pass. Years with nothing
    planned show 0.
    """
    rows = plan_frame(plan) if rows is None else rows
    years = list(range(plan.start_year, plan.end_year + 1))
    if rows.empty:
        return {
            "year": pd.Series(0, index=years, dtype="int64"),
            "horizon": pd.Series(dtype="int64"),
            "dimension": pd.Series(dtype="int64"),
            "funding": pd.Series(dtype="int64"),
        }
    by_year = spread_by_year(rows).groupby("year")["amount"].sum().reindex(years, fill_value=0)
    return {
        "year": by_year.astype("int64"),
        "horizon": rows.groupby("horizon")["budget"].sum().astype("int64"),
        "dimension": rows.groupby("dimension")["budget"].sum().astype("int64"),
        "funding": rows.groupby("funding")["budget"].sum().astype("int64"),
    }
