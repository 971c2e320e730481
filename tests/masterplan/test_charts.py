"""The plan's Plotly figures, built from plain rows without a database: what they carry, their
colours by dimension and funding, the quick-win stars, and their texts in both languages."""

import pandas as pd
from django.utils import translation

from masterplan import charts, selectors
from masterplan.planning import Horizon

DIMENSIONS = {"GOV": "Tata Kelola", "ECO": "Ekonomi"}
FUNDING = {"APBD": "APBD", "CSR": "CSR"}
ITEMS = pd.DataFrame(
    [
        ("Perwal tata kelola data", 2027, 2027, 90, Horizon.QUICK_WIN, "GOV", "APBD"),
        ("Portal Satu Data", 2028, 2030, 1_000, Horizon.MEDIUM, "GOV", "APBD"),
        ("QRIS pasar", 2029, 2033, 500, Horizon.LONG, "ECO", "CSR"),
        ("Aksi manual", 2030, 2031, 7, Horizon.MEDIUM, "", ""),
    ],
    columns=list(selectors.ITEM_COLUMNS),
)


def test_roadmap_has_a_bar_per_action_coloured_by_dimension_and_stars_quick_wins():
    with translation.override("en"):
        figure = charts.roadmap_figure(
            selectors.roadmap_rows(ITEMS),
            dimensions=DIMENSIONS,
            first_year=2027,
            last_year=2036,
            title="Roadmap",
        )
    gov, eco, other, quick = figure.data
    assert [trace.name for trace in figure.data] == ["Tata Kelola", "Ekonomi", "Other", "Quick win"]
    assert list(gov.y) == [0, 1] and list(gov.base) == [2026.5, 2027.5] and list(gov.x) == [1, 3]
    assert list(eco.y) == [2] and list(eco.x) == [5]
    assert len({gov.marker.color, eco.marker.color, other.marker.color}) == 3
    assert list(quick.y) == [0] and quick.marker.symbol == "star"
    assert list(figure.layout.yaxis.ticktext)[1] == "Portal Satu Data"
    assert list(figure.layout.xaxis.tickvals) == list(range(2027, 2037))


def test_roadmap_speaks_indonesian_and_draws_an_empty_plan():
    empty = selectors.roadmap_rows(ITEMS.iloc[0:0])
    with translation.override("id"):
        figure = charts.roadmap_figure(
            selectors.roadmap_rows(ITEMS), dimensions={}, first_year=2027, last_year=2036, title="P"
        )
        assert (
            charts.roadmap_figure(
                empty, dimensions=DIMENSIONS, first_year=2027, last_year=2036, title="P"
            ).data
            == ()
        )
    assert figure.layout.xaxis.title.text == "Tahun"
    assert [trace.name for trace in figure.data][-1] == "Quick win"


def test_budget_is_spread_over_the_years_and_stacked_by_funding_source():
    rows = selectors.budget_rows(ITEMS)
    with translation.override("en"):
        figure = charts.budget_figure(
            rows, funding=FUNDING, first_year=2027, last_year=2036, title="Budget"
        )
    apbd, csr, unfunded = figure.data
    assert [trace.name for trace in figure.data] == ["APBD", "CSR", "No funding source"]
    assert list(apbd.x) == list(range(2027, 2037))
    # 90 in 2027; 1000 over 2028-2030, the remainder in the first year
    assert list(apbd.y)[:4] == [90, 334, 333, 333]
    assert list(csr.y)[2:7] == [100] * 5
    assert list(unfunded.y)[3:5] == [4, 3]
    assert sum(sum(trace.y) for trace in figure.data) == ITEMS["budget"].sum()
    assert figure.layout.barmode == "stack"


def test_budget_of_an_unknown_source_counts_as_unfunded_and_empty_has_no_bars():
    rows = pd.DataFrame({charts.YEAR: [2027], charts.FUNDING: ["KPBU"], charts.AMOUNT: [5]})
    with translation.override("id"):
        (bar,) = charts.budget_figure(
            rows, funding=FUNDING, first_year=2027, last_year=2036, title="A"
        ).data
        empty = charts.budget_figure(
            selectors.budget_rows(ITEMS.iloc[0:0]),
            funding=FUNDING,
            first_year=2027,
            last_year=2036,
            title="A",
        )
    assert bar.y[0] == 5 and bar.name == "Tanpa sumber dana"
    assert empty.data == ()
