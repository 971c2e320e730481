"""The pure scheduler: small hand-made plans, random ones (hypothesis), the shipped library.

No database. The hand-made library has a readiness indicator R.1 that the dimension indicators
depend on, cost bands with a low (quick-win) band, and a framework scale 0..3 whose levels carry
guidance for the generic fallback.
"""

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.bench_masterplan import FRAMEWORK, LIBRARY, framework_goals, two_below_target
from masterplan.library_files import (
    ActionSpec,
    CostBand,
    Kpi,
    LibrarySpec,
    NamedCode,
    Prerequisite,
    framework_scope,
    read_library_file,
)
from masterplan.planning import (
    ExistingItem,
    Horizon,
    IndicatorGoal,
    LevelGuide,
    Origin,
    OverflowReason,
    Plan,
    PlanOptions,
    draft_plan,
    regenerate,
)
from smartcity.framework_files import Text, read_framework_file

START = 2026
MILLION = 1_000_000
LABELS = ["Belum ada", "Rintisan", "Terkelola", "Terdefinisi"]


def guides(code: str, with_next: bool = True) -> tuple[LevelGuide, ...]:
    return tuple(
        LevelGuide(
            level=level,
            label=Text(LABELS[level], f"L{level}"),
            descriptor=Text(f"{code} deskriptor {level}", f"{code} descriptor {level}"),
            next=Text(f"{code} panduan {level}", f"{code} guidance {level}")
            if with_next and 0 < level < 3
            else None,
        )
        for level in range(4)
    )


def goal(code: str, current: int, target: int, priority: float = 1.0, **changes) -> IndicatorGoal:
    made = IndicatorGoal(
        indicator=code,
        element=code.rsplit(".", 1)[0] + ".E",
        pillar=code.split(".")[0],
        name=Text(f"Indikator {code}", f"Indicator {code}"),
        current=current,
        target=target,
        priority=priority,
        levels=guides(code),
    )
    return replace(made, **changes)


def act(code: str, indicator: str, low: int, high: int, **changes) -> ActionSpec:
    made = ActionSpec(
        code=code,
        indicator=indicator,
        from_level=low,
        to_level=high,
        title=Text(f"Aksi {code}", f"Action {code}"),
        description=Text("Uraian.", "Description."),
        lead="KOMINFO",
        partners=("BAPPEDA",),
        months=6,
        cost_band="LOW",
        prerequisites=(),
        kpi=Kpi(Text("Capaian", "Result"), Text("persen", "percent")),
        funding=("APBD",),
    )
    return replace(made, **changes)


def library(*actions: ActionSpec) -> LibrarySpec:
    return LibrarySpec(
        framework_slug="uji",
        framework_version=1,
        version=1,
        title=Text("Uji", "Test"),
        description=None,
        opd_types=(NamedCode("KOMINFO", Text("a", "b")), NamedCode("BAPPEDA", Text("c", "d"))),
        partner_types=(),
        funding_sources=(NamedCode("APBD", Text("e", "f")),),
        cost_bands=(
            CostBand("LOW", Text("kecil", "small"), 0, 100 * MILLION, 50 * MILLION, True),
            CostBand("HIGH", Text("besar", "large"), 100 * MILLION, None, 400 * MILLION, False),
        ),
        actions=actions,
    )


def by_key(plan: Plan) -> dict:
    return {item.key: item for item in plan.items}


def assert_order_holds(plan: Plan) -> None:
    items = by_key(plan)
    for item in plan.items:
        for dependency in item.action.depends_on:
            assert items[dependency].end_year < item.start_year, (item.key, dependency)


# --- prerequisites ---------------------------------------------------------------------------
def test_a_dependant_starts_in_a_later_year_than_its_prerequisite_ends():
    spec = library(
        act("R.1-a", "R.1", 0, 2, months=18, cost_band="HIGH"),
        act("A.1-a", "A.1", 0, 1, prerequisites=(Prerequisite("R.1", 2),)),
    )
    plan = draft_plan([goal("R.1", 0, 2), goal("A.1", 0, 1, priority=9)], spec, PlanOptions(START))
    items = by_key(plan)
    readiness, dependant = items["R.1:R.1-a:0-2"], items["A.1:A.1-a:0-1"]
    assert (readiness.start_year, readiness.end_year) == (START, START + 1)  # 18 months: 2 years
    assert dependant.action.depends_on == ("R.1:R.1-a:0-2",)
    assert dependant.start_year == START + 2
    # The readiness action inherits the priority of what waits on it, so it goes first.
    assert readiness.action.priority == 9


def test_steps_of_one_indicator_follow_each_other():
    spec = library(act("A.1-a", "A.1", 0, 1), act("A.1-b", "A.1", 1, 2), act("A.1-c", "A.1", 2, 3))
    plan = draft_plan([goal("A.1", 0, 3)], spec, PlanOptions(START))
    assert [(i.key, i.start_year) for i in plan.items] == [
        ("A.1:A.1-a:0-1", START),
        ("A.1:A.1-b:1-2", START + 1),
        ("A.1:A.1-c:2-3", START + 2),
    ]
    assert_order_holds(plan)


def test_a_prerequisite_above_the_regions_target_is_planned_too():
    spec = library(
        act("R.1-a", "R.1", 0, 1),
        act("R.1-b", "R.1", 1, 2),
        act("A.1-a", "A.1", 0, 1, prerequisites=(Prerequisite("R.1", 2),)),
    )
    plan = draft_plan([goal("R.1", 0, 1), goal("A.1", 0, 1)], spec, PlanOptions(START))
    items = by_key(plan)
    assert not items["R.1:R.1-a:0-1"].action.beyond_target
    assert items["R.1:R.1-b:1-2"].action.beyond_target
    assert items["A.1:A.1-a:0-1"].action.depends_on == ("R.1:R.1-b:1-2",)
    assert_order_holds(plan)


def test_a_prerequisite_already_met_adds_no_dependency():
    spec = library(act("A.1-a", "A.1", 0, 1, prerequisites=(Prerequisite("R.1", 2),)))
    plan = draft_plan([goal("R.1", 2, 2), goal("A.1", 0, 1)], spec, PlanOptions(START))
    (item,) = plan.items
    assert item.action.depends_on == ()
    assert item.horizon == Horizon.QUICK_WIN


def test_a_prerequisite_on_an_indicator_outside_the_report_is_reported_and_ignored():
    spec = library(act("A.1-a", "A.1", 0, 1, prerequisites=(Prerequisite("N.A", 2),)))
    plan = draft_plan([goal("A.1", 0, 1)], spec, PlanOptions(START))
    assert [(u.key, u.indicator, u.level) for u in plan.unmet_prerequisites] == [
        ("A.1:A.1-a:0-1", "N.A", 2)
    ]
    assert plan.items[0].start_year == START


def test_a_prerequisite_above_the_indicators_scale_is_reported_not_planned():
    spec = library(act("A.1-a", "A.1", 0, 1, prerequisites=(Prerequisite("R.1", 5),)))
    plan = draft_plan([goal("R.1", 0, 1), goal("A.1", 0, 1)], spec, PlanOptions(START))
    assert [(u.key, u.indicator, u.level) for u in plan.unmet_prerequisites] == [
        ("A.1:A.1-a:0-1", "R.1", 5)
    ]
    assert sorted(item.key for item in plan.items) == ["A.1:A.1-a:0-1", "R.1:generic:0-1"]


# --- choosing actions ------------------------------------------------------------------------
def test_the_action_starting_at_the_current_level_and_not_passing_the_target_is_chosen():
    spec = library(
        act("A.1-wide", "A.1", 0, 3),  # started below the current level
        act("A.1-over", "A.1", 1, 3),  # starts here but passes the target
        act("A.1-fit", "A.1", 1, 2),  # starts here, reaches the target
    )
    plan = draft_plan([goal("A.1", 1, 2)], spec, PlanOptions(START))
    assert [item.key for item in plan.items] == ["A.1:A.1-fit:1-2"]


def test_an_action_started_below_the_current_level_is_used_for_the_remaining_steps():
    spec = library(act("A.1-wide", "A.1", 0, 3))
    plan = draft_plan([goal("A.1", 1, 3)], spec, PlanOptions(START))
    assert [(i.key, i.action.from_level, i.action.to_level) for i in plan.items] == [
        ("A.1:A.1-wide:1-3", 1, 3)
    ]


def test_an_indicator_at_or_above_its_target_gets_no_action():
    spec = library(act("A.1-a", "A.1", 0, 1))
    plan = draft_plan([goal("A.1", 2, 2), goal("A.2", 3, 1)], spec, PlanOptions(START))
    assert plan.items == () and plan.overflow == ()


# --- the generic fallback ----------------------------------------------------------------------
def test_a_framework_without_a_library_gets_a_complete_generic_plan():
    plan = draft_plan([goal("A.1", 0, 3), goal("B.1", 1, 2)], None, PlanOptions(START))
    steps = [(i.action.indicator, i.action.from_level, i.action.to_level) for i in plan.items]
    assert sorted(steps) == [("A.1", 0, 1), ("A.1", 1, 2), ("A.1", 2, 3), ("B.1", 1, 2)]
    assert all(item.action.generic and item.action.action_code is None for item in plan.items)
    items = by_key(plan)
    # Level 0 has no guidance: "reach level 1" with level 1's descriptor.
    first = items["A.1:generic:0-1"].action
    assert first.title == Text(
        "Indikator A.1: capai level 1 (Rintisan)", "Indicator A.1: reach level 1 (L1)"
    )
    assert first.description == Text("A.1 deskriptor 1", "A.1 descriptor 1")
    # Level 1 has guidance: it becomes the description.
    second = items["A.1:generic:1-2"].action
    assert second.title.en == "Indicator A.1: towards level 2 (L2)"
    assert second.description == Text("A.1 panduan 1", "A.1 guidance 1")
    assert (second.months, second.budget, second.lead, second.cost_band) == (12, 0, None, None)
    assert_order_holds(plan)


def test_a_level_without_guidance_falls_back_on_its_descriptor():
    plan = draft_plan([goal("A.1", 1, 2, levels=guides("A.1", False))], None, PlanOptions(START))
    (item,) = plan.items
    assert item.action.title.id == "Indikator A.1: capai level 2 (Terkelola)"
    assert item.action.description == Text("A.1 deskriptor 2", "A.1 descriptor 2")


def test_only_the_steps_the_library_misses_fall_back():
    spec = library(act("A.1-a", "A.1", 0, 1), act("A.1-c", "A.1", 2, 3))
    plan = draft_plan([goal("A.1", 0, 3)], spec, PlanOptions(START))
    assert [(i.key, i.action.generic) for i in plan.items] == [
        ("A.1:A.1-a:0-1", False),
        ("A.1:generic:1-2", True),
        ("A.1:A.1-c:2-3", False),
    ]


def test_generic_actions_can_carry_a_budget_and_duration_from_the_options():
    options = PlanOptions(START, generic_months=30, generic_budget=900 * MILLION)
    (item,) = draft_plan([goal("A.1", 1, 2)], None, options).items
    assert (item.start_year, item.end_year) == (START, START + 2)
    assert item.budget_by_year() == {
        START: 300 * MILLION,
        START + 1: 300 * MILLION,
        START + 2: 300 * MILLION,
    }


# --- quick wins and horizons -------------------------------------------------------------------
def test_a_quick_win_is_short_low_cost_free_of_prerequisites_and_in_the_first_year():
    spec = library(
        act("Q.1-a", "Q.1", 0, 1),  # 6 months, low band, nothing to wait for
        act("L.1-a", "L.1", 0, 1, months=13),  # too long
        act("H.1-a", "H.1", 0, 1, cost_band="HIGH"),  # not a low band
        act("D.1-a", "D.1", 0, 1, prerequisites=(Prerequisite("Q.1", 1),)),  # waits on Q.1
        act("Q.1-b", "Q.1", 1, 2),  # a second step waits on the first
    )
    goals = [goal(code, 0, 1) for code in ("L.1", "H.1", "D.1")] + [goal("Q.1", 0, 2)]
    plan = draft_plan(goals, spec, PlanOptions(START))
    horizons = {item.key: (item.horizon, item.start_year, item.end_year) for item in plan.items}
    assert horizons == {
        "Q.1:Q.1-a:0-1": (Horizon.QUICK_WIN, START, START),
        "L.1:L.1-a:0-1": (Horizon.MEDIUM, START, START + 1),
        "H.1:H.1-a:0-1": (Horizon.MEDIUM, START, START),
        "D.1:D.1-a:0-1": (Horizon.MEDIUM, START + 1, START + 1),
        "Q.1:Q.1-b:1-2": (Horizon.MEDIUM, START + 1, START + 1),
    }


def test_a_quick_win_pushed_out_of_the_first_year_by_the_ceiling_is_no_longer_one():
    spec = library(act("A.1-a", "A.1", 0, 1), act("B.1-a", "B.1", 0, 1))
    options = PlanOptions(START, ceiling=50 * MILLION)  # one low-band action a year
    plan = draft_plan([goal("A.1", 0, 1, priority=2), goal("B.1", 0, 1)], spec, options)
    horizons = {item.key: (item.horizon, item.start_year) for item in plan.items}
    assert horizons == {
        "A.1:A.1-a:0-1": (Horizon.QUICK_WIN, START),
        "B.1:B.1-a:0-1": (Horizon.MEDIUM, START + 1),
    }


def test_medium_ends_within_five_years_and_long_after():
    spec = library(*(act(f"A.1-{n}", "A.1", n, n + 1, months=24) for n in range(3)))
    plan = draft_plan([goal("A.1", 0, 3)], spec, PlanOptions(START))
    assert [(i.start_year - START, i.end_year - START, i.horizon) for i in plan.items] == [
        (0, 1, Horizon.MEDIUM),
        (2, 3, Horizon.MEDIUM),
        (4, 5, Horizon.LONG),
    ]


# --- the budget ceiling -------------------------------------------------------------------------
def test_the_ceiling_holds_by_moving_work_later_and_what_does_not_fit_is_reported():
    spec = library(*(act(f"X.{n}-a", f"X.{n}", 0, 1, cost_band="HIGH") for n in range(12)))
    goals = [goal(f"X.{n}", 0, 1, priority=100 - n) for n in range(12)]
    plan = draft_plan(goals, spec, PlanOptions(START, ceiling=400 * MILLION))
    assert all(amount <= 400 * MILLION for amount in plan.budget_by_year().values())
    # One action a year for ten years, by priority; the two lowest priorities overflow.
    assert [item.action.indicator for item in plan.items] == [f"X.{n}" for n in range(10)]
    assert [item.start_year for item in plan.items] == list(range(START, START + 10))
    assert [(o.action.indicator, o.reason) for o in plan.overflow] == [
        ("X.10", OverflowReason.NO_ROOM),
        ("X.11", OverflowReason.NO_ROOM),
    ]


def test_an_action_above_the_ceiling_overflows_with_what_waits_on_it():
    spec = library(
        act("R.1-a", "R.1", 0, 1, cost_band="HIGH"),
        act("A.1-a", "A.1", 0, 1, prerequisites=(Prerequisite("R.1", 1),)),
        act("B.1-a", "B.1", 0, 1),
    )
    goals = [goal("R.1", 0, 1), goal("A.1", 0, 1), goal("B.1", 0, 1)]
    plan = draft_plan(goals, spec, PlanOptions(START, ceiling=100 * MILLION))
    assert [item.key for item in plan.items] == ["B.1:B.1-a:0-1"]
    assert {o.action.key: o.reason for o in plan.overflow} == {
        "R.1:R.1-a:0-1": OverflowReason.ABOVE_CEILING,
        "A.1:A.1-a:0-1": OverflowReason.AFTER_OVERFLOW,
    }


def test_a_multi_year_action_spreads_its_budget_and_fits_the_ceiling_each_year():
    spec = library(act("A.1-a", "A.1", 0, 1, cost_band="HIGH", months=36))
    (item,) = draft_plan([goal("A.1", 0, 1)], spec, PlanOptions(START, ceiling=134 * MILLION)).items
    assert item.budget_by_year() == {
        START: 133_333_334,
        START + 1: 133_333_333,
        START + 2: 133_333_333,
    }
    assert sum(item.budget_by_year().values()) == 400 * MILLION


def test_chains_that_cannot_finish_in_ten_years_overflow():
    spec = library(*(act(f"A.1-{n}", "A.1", n, n + 1, months=48) for n in range(3)))
    plan = draft_plan([goal("A.1", 0, 3)], spec, PlanOptions(START))
    assert [(i.start_year, i.end_year) for i in plan.items] == [
        (START, START + 3),
        (START + 4, START + 7),
    ]
    assert [(o.action.key, o.reason) for o in plan.overflow] == [
        ("A.1:A.1-2:2-3", OverflowReason.NO_ROOM)
    ]


# --- determinism ------------------------------------------------------------------------------
def test_the_same_inputs_give_the_same_plan_whatever_the_order_of_the_goals():
    spec = library(
        act("R.1-a", "R.1", 0, 2, cost_band="HIGH", months=18),
        act("A.1-a", "A.1", 0, 2, prerequisites=(Prerequisite("R.1", 2),)),
        act("B.1-a", "B.1", 0, 1, cost_band="HIGH"),
    )
    goals = [goal("R.1", 0, 2), goal("A.1", 0, 3, priority=2), goal("B.1", 0, 1, priority=2)]
    options = PlanOptions(START, ceiling=500 * MILLION)
    first = draft_plan(goals, spec, options)
    assert draft_plan(goals, spec, options) == first
    assert draft_plan(list(reversed(goals)), spec, options) == first


# --- regeneration ------------------------------------------------------------------------------
def existing_from(plan: Plan, origin: str = Origin.GENERATED) -> list[ExistingItem]:
    return [
        ExistingItem(i.key, origin, i.horizon, i.start_year, i.end_year, i.action.depends_on)
        for i in plan.items
    ]


def test_regenerating_the_same_plan_changes_nothing():
    spec = library(act("A.1-a", "A.1", 0, 1), act("A.1-b", "A.1", 1, 2))
    plan = draft_plan([goal("A.1", 0, 2)], spec, PlanOptions(START))
    result = regenerate(existing_from(plan), plan)
    assert not result.changes_anything
    assert [old.key for old, _new in result.unchanged] == ["A.1:A.1-a:0-1", "A.1:A.1-b:1-2"]
    assert result.conflicts == ()


def test_regeneration_previews_added_removed_rescheduled_and_keeps_edited_and_manual_items():
    spec = library(
        act("A.1-a", "A.1", 0, 1),
        act("A.1-b", "A.1", 1, 2),
        act("B.1-a", "B.1", 0, 1),
        act("C.1-a", "C.1", 1, 2),
    )
    old_plan = draft_plan(
        [goal("A.1", 0, 2), goal("B.1", 0, 1)], spec, PlanOptions(START, ceiling=50 * MILLION)
    )
    existing = existing_from(old_plan)
    # A person edited B.1's item, and added one of their own.
    existing = [
        replace(i, origin=Origin.EDITED, start_year=START + 3, end_year=START + 3)
        if i.key.startswith("B.1")
        else i
        for i in existing
    ] + [ExistingItem("manual:1", Origin.MANUAL, Horizon.MEDIUM, START + 1, START + 2)]
    # The new report: A.1 is at level 1 now, B.1 still at 0, C.1 is new; no ceiling.
    new_plan = draft_plan(
        [goal("A.1", 1, 2), goal("B.1", 0, 1), goal("C.1", 1, 2)], spec, PlanOptions(START)
    )
    result = regenerate(existing, new_plan)
    assert [item.key for item in result.added] == ["C.1:C.1-a:1-2"]
    assert [item.key for item in result.removed] == ["A.1:A.1-a:0-1"]
    assert [(old.key, old.start_year, new.start_year) for old, new in result.rescheduled] == [
        ("A.1:A.1-b:1-2", START + 1, START)
    ]
    assert [(item.key, item.origin, item.start_year) for item in result.kept] == [
        ("manual:1", Origin.MANUAL, START + 1),
        ("B.1:B.1-a:0-1", Origin.EDITED, START + 3),
    ]
    assert result.changes_anything
    merged = {item.key: item for item in result.merged()}
    assert set(merged) == {"manual:1", "B.1:B.1-a:0-1", "A.1:A.1-b:1-2", "C.1:C.1-a:1-2"}
    assert merged["B.1:B.1-a:0-1"].start_year == START + 3  # the person's years, untouched


def test_an_edited_item_moved_past_its_dependant_is_reported_as_a_conflict():
    spec = library(act("A.1-a", "A.1", 0, 1), act("A.1-b", "A.1", 1, 2))
    plan = draft_plan([goal("A.1", 0, 2)], spec, PlanOptions(START))
    existing = existing_from(plan)
    existing[0] = replace(
        existing[0], origin=Origin.EDITED, start_year=START + 4, end_year=START + 4
    )
    result = regenerate(existing, plan)
    assert result.conflicts == (("A.1:A.1-b:1-2", "A.1:A.1-a:0-1"),)
    assert not result.changes_anything


# --- random small plans -------------------------------------------------------------------------
CODES = ["R.1", "R.2", "A.1", "A.2", "B.1"]


@st.composite
def small_plans(draw):
    goals = []
    for code in CODES:
        current = draw(st.integers(0, 3))
        goals.append(
            goal(code, current, draw(st.integers(0, 3)), priority=draw(st.integers(0, 5)) / 2)
        )
    actions = []
    for index in range(draw(st.integers(0, 8))):
        code = draw(st.sampled_from(CODES))
        low = draw(st.integers(0, 2))
        prerequisites = ()
        if not code.startswith("R") and draw(st.booleans()):
            # Only dimension indicators wait on readiness ones: no cycles.
            prerequisites = (
                Prerequisite(draw(st.sampled_from(["R.1", "R.2"])), draw(st.integers(1, 3))),
            )
        actions.append(
            act(
                f"{code}-{index}",
                code,
                low,
                draw(st.integers(low + 1, 3)),
                months=draw(st.integers(1, 40)),
                cost_band=draw(st.sampled_from(["LOW", "HIGH"])),
                prerequisites=prerequisites,
            )
        )
    ceiling = draw(st.none() | st.sampled_from([50, 100, 400, 1000]).map(lambda m: m * MILLION))
    return goals, library(*actions), PlanOptions(START, ceiling=ceiling)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_plans())
def test_random_plans_keep_every_rule(case):
    goals, spec, options = case
    plan = draft_plan(goals, spec, options)
    assert draft_plan(goals, spec, options) == plan  # deterministic
    scheduled = [item.action for item in plan.items]
    overflowed = [entry.action for entry in plan.overflow]
    keys = [a.key for a in scheduled + overflowed]
    assert len(keys) == len(set(keys))  # nothing twice
    by_indicator = {}
    for action in scheduled + overflowed:
        by_indicator.setdefault(action.indicator, []).append(action)
    for g in goals:
        steps = sorted(by_indicator.get(g.indicator, []), key=lambda a: a.from_level)
        if g.target > g.current:  # every step from current to target is planned, none dropped
            assert steps[0].from_level == g.current
            assert steps[-1].to_level >= g.target
        for before, after in zip(steps, steps[1:], strict=False):
            assert before.to_level == after.from_level
    assert_order_holds(plan)
    priority = {a.key: a.priority for a in scheduled + overflowed}
    for action in scheduled + overflowed:  # what others wait on is at least as urgent
        assert all(priority[d] >= action.priority for d in action.depends_on)
    for item in plan.items:
        assert START <= item.start_year <= item.end_year <= START + 9
        if item.horizon == Horizon.QUICK_WIN:
            assert item.start_year == item.end_year == START
            assert item.action.months <= 12 and item.action.cost_band == "LOW"
            assert item.action.depends_on == ()
    if options.ceiling is not None:
        assert all(amount <= options.ceiling for amount in plan.budget_by_year().values())
    lost = {entry.action.key for entry in plan.overflow}
    for entry in plan.overflow:  # what waits on an overflowed action overflows too
        if entry.reason == OverflowReason.AFTER_OVERFLOW:
            assert any(d in lost for d in entry.action.depends_on)


# --- the shipped library on the default framework -------------------------------------------------
@pytest.fixture(scope="module")
def default_framework_and_library():
    framework = read_framework_file(FRAMEWORK)
    return framework, read_library_file(LIBRARY, framework_scope(framework))


def test_the_default_framework_two_levels_below_target_gets_a_plan_from_the_library_only(
    default_framework_and_library,
):
    framework, spec = default_framework_and_library
    goals = framework_goals(framework, two_below_target(framework))
    plan = draft_plan(goals, spec, PlanOptions(START))
    assert plan.overflow == () and plan.unmet_prerequisites == ()
    assert not [item.key for item in plan.items if item.action.generic]
    assert {item.action.indicator for item in plan.items} == {g.indicator for g in goals}
    assert any(item.horizon == Horizon.QUICK_WIN for item in plan.items)
    assert_order_holds(plan)


def test_the_default_framework_under_a_ceiling_keeps_the_ceiling(default_framework_and_library):
    framework, spec = default_framework_and_library
    goals = framework_goals(framework, two_below_target(framework))
    plan = draft_plan(goals, spec, PlanOptions(START, ceiling=10_000 * MILLION))
    assert max(plan.budget_by_year().values()) <= 10_000 * MILLION
    assert_order_holds(plan)
    assert len(plan.items) + len(plan.overflow) == len(
        draft_plan(goals, spec, PlanOptions(START)).items
    )
