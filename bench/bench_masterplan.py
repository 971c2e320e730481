"""Drafting a master plan with the pure scheduler: the full default framework and its library.

Every indicator starts two levels below its target (targets 2 to 5), so every one of the 55
indicators needs two steps; no database. `masterplan_draft_full` (the service, with the database)
is measured on the same shape, so the two can be compared.
"""

from pathlib import Path

from bench.runner import Benchmark
from masterplan.library_files import LibrarySpec, framework_scope, read_library_file
from masterplan.planning import IndicatorGoal, LevelGuide, PlanOptions, draft_plan
from smartcity.framework_files import FrameworkSpec, read_framework_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FRAMEWORK = FIXTURES / "frameworks" / "kota-cerdas-v1.yaml"
LIBRARY = FIXTURES / "action_library" / "kota-cerdas-v1.yaml"


def framework_goals(
    framework: FrameworkSpec, levels: dict[str, tuple[int, int, float]]
) -> list[IndicatorGoal]:
    """Goals for `framework` from {indicator code: (current, target, priority)}."""
    scale = {level.value: level for level in framework.levels}
    goals = []
    for pillar in framework.pillars:
        for element in pillar.elements:
            for indicator in element.indicators:
                if indicator.code not in levels:
                    continue
                current, target, priority = levels[indicator.code]
                described = {d.level: d for d in indicator.levels}
                guides = tuple(
                    LevelGuide(
                        level=value,
                        label=level.label,
                        descriptor=described[value].text
                        if value in described
                        else level.description,
                        next=described[value].next if value in described else None,
                    )
                    for value, level in scale.items()
                )
                goals.append(
                    IndicatorGoal(
                        indicator=indicator.code,
                        element=element.code,
                        pillar=pillar.code,
                        name=indicator.name,
                        current=current,
                        target=target,
                        priority=priority,
                        levels=guides,
                    )
                )
    return goals


def two_below_target(framework: FrameworkSpec) -> dict[str, tuple[int, int, float]]:
    """Each indicator two levels below a target between 2 and 5, with distinct priorities."""
    return {
        indicator.code: (target - 2, target, round(1 + index / 10, 1))
        for index, indicator in enumerate(framework.indicators())
        for target in [2 + index % 4]
    }


def _setup() -> tuple[list[IndicatorGoal], LibrarySpec]:
    framework = read_framework_file(FRAMEWORK)
    library = read_library_file(LIBRARY, framework_scope(framework))
    return framework_goals(framework, two_below_target(framework)), library


def _draft(prepared: tuple[list[IndicatorGoal], LibrarySpec]) -> None:
    goals, library = prepared
    plan = draft_plan(goals, library, PlanOptions(start_year=2026, ceiling=25_000_000_000))
    assert plan.items


def benchmarks() -> list[Benchmark]:
    return [
        Benchmark(
            name="masterplan_plan_pure_full",
            n=55,
            setup=_setup,
            run=_draft,
            rounds=5,
            uses_database=False,
        )
    ]
