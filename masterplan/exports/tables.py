"""Pure tables of the exports (pandas, no database): the budget by funding source and year,
the roadmap's years per item. The spreading rule is the scheduler's and `budget_totals`': a
budget is spread evenly over its item's years, the remainder in the first year."""

import pandas as pd

START = "start"
END = "end"
BUDGET = "budget"
FUNDING = "funding"
YEAR = "year"
AMOUNT = "amount"


def yearly_amounts(items: pd.DataFrame) -> pd.DataFrame:
    """One row per item and year of it, with the year's share of its budget (column AMOUNT).

    `items` has START, END, BUDGET (and any other columns, repeated on every year's row)."""
    if items.empty:
        return items.assign(**{YEAR: pd.Series(dtype="int64"), AMOUNT: pd.Series(dtype="int64")})
    span = items[END] - items[START] + 1
    spread = items.loc[items.index.repeat(span)].copy()
    offset = spread.groupby(level=0).cumcount()
    spread[YEAR] = spread[START] + offset
    share, remainder = (
        spread[BUDGET] // span.loc[spread.index],
        spread[BUDGET] % span.loc[spread.index],
    )
    spread[AMOUNT] = share + remainder.where(offset == 0, 0)
    return spread


def funding_by_year(items: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Budget per funding source (rows, in order of first appearance sorted by code) and year
    (columns `years`), with a total column; `items` has START, END, BUDGET, FUNDING."""
    spread = yearly_amounts(items)
    if spread.empty:
        return pd.DataFrame(columns=[*years, "total"], dtype="int64")
    table = spread.pivot_table(
        index=FUNDING, columns=YEAR, values=AMOUNT, aggfunc="sum", fill_value=0
    ).reindex(columns=years, fill_value=0)
    table["total"] = table.sum(axis=1)
    return table.sort_index().astype("int64")
