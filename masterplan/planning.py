"""The master plan scheduler: pure functions over plain dataclasses (no Django models, no I/O).

`draft_plan` turns the gap report's goals (per indicator: current level, target, priority) and the
action library into a ten-year plan: it picks the actions that take each indicator from its
current level to its target, falls back on the framework's own guidance where the library has no
action, and schedules them by priority into quick wins, medium and long term, with prerequisites
first and an optional yearly budget ceiling. `regenerate` merges a new draft into an existing
plan without touching what people edited or added. The same inputs always give the same output.
"""

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from masterplan.library_files import ActionSpec, CostBand, Kpi, LibrarySpec
from smartcity.framework_files import Text

PLAN_YEARS = 10
MEDIUM_YEARS = 5  # medium term: ends within the RPJMD period, the plan's first five years
QUICK_WIN_MONTHS = 12


class Horizon:
    QUICK_WIN = "quick_win"
    MEDIUM = "medium"
    LONG = "long"


class Origin:
    GENERATED = "generated"
    EDITED = "edited"
    MANUAL = "manual"


class OverflowReason:
    ABOVE_CEILING = "above_ceiling"  # its share of one year alone exceeds the ceiling
    NO_ROOM = "no_room"  # no run of years inside the plan has room for it
    AFTER_OVERFLOW = "after_overflow"  # something it waits for is not scheduled
    CYCLE = "cycle"  # it waits, through prerequisites, on itself


# --- inputs -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class LevelGuide:
    """What the framework says about one level of one indicator (for the generic fallback)."""

    level: int
    label: Text  # the scale's label of the level
    descriptor: Text  # the indicator's descriptor, or the scale's description for a generic level
    next: Text | None = None  # the framework's guidance to go from this level to the next


@dataclass(frozen=True)
class IndicatorGoal:
    """One indicator of the gap report: where it is, where the region wants it, how urgent."""

    indicator: str
    element: str
    pillar: str
    name: Text
    current: int
    target: int
    priority: float
    levels: tuple[LevelGuide, ...]


@dataclass(frozen=True)
class PlanOptions:
    start_year: int
    ceiling: int | None = None  # yearly budget ceiling in rupiah; None = no ceiling
    generic_months: int = 12  # duration of a generic (fallback) action
    generic_budget: int = 0  # budget of a generic action: unknown until the region sets it


# --- outputs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProposedAction:
    """One step of one indicator, chosen before it is scheduled."""

    key: str  # stable across drafts: indicator, action code (or "generic"), from-to
    indicator: str
    element: str
    pillar: str
    action_code: str | None  # None for a generic action from the framework's guidance
    from_level: int
    to_level: int
    title: Text
    description: Text
    lead: str | None
    partners: tuple[str, ...]
    months: int
    cost_band: str | None
    budget: int
    funding: tuple[str, ...]
    kpi: Kpi
    depends_on: tuple[str, ...]  # keys of the actions that must end before this one starts
    priority: float  # the indicator's priority, raised to that of anything waiting on it
    quick_win_candidate: bool  # short, low cost band, nothing to wait for
    beyond_target: bool  # a step above the region's target, needed by another prerequisite

    @property
    def generic(self) -> bool:
        return self.action_code is None

    @property
    def years(self) -> int:
        return max(1, math.ceil(self.months / 12))


@dataclass(frozen=True)
class PlanItem:
    action: ProposedAction
    horizon: str
    start_year: int
    end_year: int

    @property
    def key(self) -> str:
        return self.action.key

    def budget_by_year(self) -> dict[int, int]:
        return dict(
            zip(range(self.start_year, self.end_year + 1), _shares(self.action), strict=True)
        )


@dataclass(frozen=True)
class Overflow:
    """An action that could not be scheduled inside the ten years: reported, never dropped."""

    action: ProposedAction
    reason: str


@dataclass(frozen=True)
class UnmetPrerequisite:
    """A prerequisite on an indicator the report does not cover (e.g. answered not applicable)."""

    key: str
    indicator: str
    level: int


@dataclass(frozen=True)
class Plan:
    start_year: int
    ceiling: int | None
    items: tuple[PlanItem, ...]
    overflow: tuple[Overflow, ...]
    unmet_prerequisites: tuple[UnmetPrerequisite, ...]

    @property
    def end_year(self) -> int:
        return self.start_year + PLAN_YEARS - 1

    def budget_by_year(self) -> dict[int, int]:
        totals = dict.fromkeys(range(self.start_year, self.end_year + 1), 0)
        for item in self.items:
            for year, amount in item.budget_by_year().items():
                totals[year] += amount
        return totals


# --- drafting ---------------------------------------------------------------------------------
def draft_plan(
    goals: Sequence[IndicatorGoal], library: LibrarySpec | None, options: PlanOptions
) -> Plan:
    """The plan that takes every goal from its current level to its target (see module doc)."""
    proposed, unmet = propose_actions(goals, library, options)
    items, overflow = _schedule(proposed, options)
    return Plan(
        start_year=options.start_year,
        ceiling=options.ceiling,
        items=tuple(sorted(items, key=_item_order)),
        overflow=tuple(overflow),
        unmet_prerequisites=tuple(unmet),
    )


def propose_actions(
    goals: Sequence[IndicatorGoal], library: LibrarySpec | None, options: PlanOptions
) -> tuple[list[ProposedAction], list[UnmetPrerequisite]]:
    """Every step to take, with its dependencies, in a stable order (not yet scheduled).

    A prerequisite on an indicator whose target is too low raises that indicator's planned
    target, so the readiness work it needs is planned too (marked `beyond_target`).
    """
    by_code = {goal.indicator: goal for goal in goals}
    actions: dict[str, list[ActionSpec]] = {}
    for action in library.actions if library else ():
        actions.setdefault(action.indicator, []).append(action)
    bands = {band.code: band for band in library.cost_bands} if library else {}
    steps = _planned_steps(by_code, actions)

    reaching: dict[tuple[str, int], str] = {}  # (indicator, level) -> key of the step reaching it
    proposed: dict[str, ProposedAction] = {}
    unmet: list[UnmetPrerequisite] = []
    for goal in sorted(goals, key=lambda g: g.indicator):
        for low, high, action in steps[goal.indicator]:
            key = _key(goal.indicator, action, low, high)
            for level in range(low + 1, high + 1):
                reaching[(goal.indicator, level)] = key
    for goal in sorted(goals, key=lambda g: g.indicator):
        previous = None
        for low, high, action in steps[goal.indicator]:
            key = _key(goal.indicator, action, low, high)
            depends = [previous] if previous else []
            for prerequisite in action.prerequisites if action else ():
                other = by_code.get(prerequisite.indicator)
                if other is None:
                    unmet.append(UnmetPrerequisite(key, prerequisite.indicator, prerequisite.level))
                elif other.current < prerequisite.level:
                    reached_by = reaching.get((prerequisite.indicator, prerequisite.level))
                    if reached_by is None:  # a level the indicator's scale does not have
                        unmet.append(
                            UnmetPrerequisite(key, prerequisite.indicator, prerequisite.level)
                        )
                    else:
                        depends.append(reached_by)
            proposed[key] = _proposed(
                goal, action, low, high, key, tuple(dict.fromkeys(depends)), bands, options
            )
            previous = key
    _raise_priorities(proposed)
    return list(proposed.values()), unmet


Step = tuple[int, int, ActionSpec | None]  # from level, to level, the action (None: generic)


def _planned_steps(
    goals: dict[str, IndicatorGoal], actions: dict[str, list[ActionSpec]]
) -> dict[str, list[Step]]:
    """The steps of every indicator, its target raised to what the chosen actions require."""
    planned = {code: max(goal.current, goal.target) for code, goal in goals.items()}
    while True:
        steps = {
            code: _steps(goals[code], planned[code], actions.get(code, [])) for code in planned
        }
        raised = False
        for chosen in steps.values():
            for _low, _high, action in chosen:
                for prerequisite in action.prerequisites if action else ():
                    code, level = prerequisite.indicator, prerequisite.level
                    if code in planned and planned[code] < level <= _top(goals[code]):
                        planned[code] = level
                        raised = True
        if not raised:  # targets only rise, and never above the scale: this ends
            return steps


def _top(goal: IndicatorGoal) -> int:
    return max((guide.level for guide in goal.levels), default=goal.target)


def _steps(goal: IndicatorGoal, target: int, actions: list[ActionSpec]) -> list[Step]:
    """(from, to, action or None for generic) from the current level up to `target`."""
    steps = []
    position = goal.current
    while position < target:
        candidates = [a for a in actions if a.from_level <= position < a.to_level]
        if candidates:
            best = min(
                enumerate(candidates),
                key=lambda pair: (
                    position - pair[1].from_level,  # starts here, else nearest below
                    pair[1].to_level > target,  # does not pass the target
                    -pair[1].to_level if pair[1].to_level <= target else pair[1].to_level,
                    pair[0],  # order in the file
                ),
            )[1]
            steps.append((position, best.to_level, best))
            position = best.to_level
        else:
            steps.append((position, position + 1, None))
            position += 1
    return steps


def _key(indicator: str, action: ActionSpec | None, low: int, high: int) -> str:
    return f"{indicator}:{action.code if action else 'generic'}:{low}-{high}"


def _proposed(
    goal: IndicatorGoal,
    action: ActionSpec | None,
    low: int,
    high: int,
    key: str,
    depends_on: tuple[str, ...],
    bands: dict[str, CostBand],
    options: PlanOptions,
) -> ProposedAction:
    common = {
        "key": key,
        "indicator": goal.indicator,
        "element": goal.element,
        "pillar": goal.pillar,
        "from_level": low,
        "to_level": high,
        "depends_on": depends_on,
        "priority": goal.priority,
        "beyond_target": low >= max(goal.target, goal.current),
    }
    if action is None:
        title, description = _generic_texts(goal, low)
        return ProposedAction(
            **common,
            action_code=None,
            title=title,
            description=description,
            lead=None,
            partners=(),
            months=options.generic_months,
            cost_band=None,
            budget=options.generic_budget,
            funding=(),
            kpi=Kpi(goal.name, Text("level", "level")),
            quick_win_candidate=False,
        )
    band = bands[action.cost_band]
    return ProposedAction(
        **common,
        action_code=action.code,
        title=action.title,
        description=action.description,
        lead=action.lead,
        partners=action.partners,
        months=action.months,
        cost_band=action.cost_band,
        budget=band.budget,
        funding=action.funding,
        kpi=action.kpi,
        quick_win_candidate=(
            not depends_on and action.months <= QUICK_WIN_MONTHS and band.quick_win
        ),
    )


def _generic_texts(goal: IndicatorGoal, low: int) -> tuple[Text, Text]:
    """The framework's guidance from `low` as a generic action, else "reach level N"."""
    guides = {guide.level: guide for guide in goal.levels}
    here, there = guides.get(low), guides.get(low + 1)
    label = there.label if there else Text(str(low + 1), str(low + 1))
    if here and here.next:
        return (
            Text(
                f"{goal.name.id}: menuju level {low + 1} ({label.id})",
                f"{goal.name.en}: towards level {low + 1} ({label.en})",
            ),
            here.next,
        )
    return (
        Text(
            f"{goal.name.id}: capai level {low + 1} ({label.id})",
            f"{goal.name.en}: reach level {low + 1} ({label.en})",
        ),
        there.descriptor if there else Text("", ""),
    )


def _raise_priorities(proposed: dict[str, ProposedAction]) -> None:
    """Give each action the highest priority of anything that waits on it (readiness first)."""
    priority = {key: action.priority for key, action in proposed.items()}
    raised = True
    while raised:  # priorities only rise to values already present: this ends
        raised = False
        for key in sorted(proposed):
            for dependency in proposed[key].depends_on:
                if dependency in priority and priority[dependency] < priority[key]:
                    priority[dependency] = priority[key]
                    raised = True
    for key, value in priority.items():
        if value != proposed[key].priority:
            proposed[key] = replace(proposed[key], priority=value)


# --- scheduling -------------------------------------------------------------------------------
def _order(action: ProposedAction) -> tuple:
    return (-action.priority, action.indicator, action.from_level, action.key)


def _item_order(item: PlanItem) -> tuple:
    return (item.start_year, item.end_year, *_order(item.action))


def _shares(action: ProposedAction) -> list[int]:
    """The budget spread evenly over the action's years (the remainder in the first year)."""
    share, remainder = divmod(action.budget, action.years)
    return [share + remainder, *([share] * (action.years - 1))]


@dataclass
class _Ledger:
    """Money already planned per year, against the ceiling."""

    ceiling: int | None
    spent: dict[int, int] = field(default_factory=dict)

    def fits(self, action: ProposedAction, start: int) -> bool:
        if self.ceiling is None:
            return True
        return all(
            self.spent.get(start + i, 0) + share <= self.ceiling
            for i, share in enumerate(_shares(action))
        )

    def book(self, action: ProposedAction, start: int) -> None:
        for i, share in enumerate(_shares(action)):
            self.spent[start + i] = self.spent.get(start + i, 0) + share


def _schedule(
    proposed: Iterable[ProposedAction], options: PlanOptions
) -> tuple[list[PlanItem], list[Overflow]]:
    """Place actions by priority, each after what it waits on, where the ceiling has room."""
    actions = {action.key: action for action in proposed}
    waiting: dict[str, list[str]] = {}
    pending = {}
    for key, action in actions.items():
        known = [d for d in action.depends_on if d in actions]
        pending[key] = len(known)
        for dependency in known:
            waiting.setdefault(dependency, []).append(key)
    ready = [(_order(a), k) for k, a in actions.items() if pending[k] == 0]
    heapq.heapify(ready)
    first, last = options.start_year, options.start_year + PLAN_YEARS - 1
    ledger = _Ledger(options.ceiling)
    placed: dict[str, PlanItem] = {}
    lost: dict[str, Overflow] = {}
    while ready:
        _sort_key, key = heapq.heappop(ready)
        action = actions[key]
        item_or_reason = _place(action, placed, lost, ledger, first, last)
        if isinstance(item_or_reason, PlanItem):
            placed[key] = item_or_reason
        else:
            lost[key] = Overflow(action, item_or_reason)
        for dependant in waiting.get(key, []):
            pending[dependant] -= 1
            if pending[dependant] == 0:
                heapq.heappush(ready, (_order(actions[dependant]), dependant))
    for key in sorted(actions, key=lambda k: _order(actions[k])):
        if key not in placed and key not in lost:
            lost[key] = Overflow(actions[key], OverflowReason.CYCLE)
    return list(placed.values()), sorted(lost.values(), key=lambda o: _order(o.action))


def _place(
    action: ProposedAction,
    placed: dict[str, PlanItem],
    lost: dict[str, Overflow],
    ledger: _Ledger,
    first: int,
    last: int,
) -> PlanItem | str:
    if any(d in lost for d in action.depends_on):
        return OverflowReason.AFTER_OVERFLOW
    earliest = max([first, *(placed[d].end_year + 1 for d in action.depends_on if d in placed)])
    if ledger.ceiling is not None and max(_shares(action)) > ledger.ceiling:
        return OverflowReason.ABOVE_CEILING
    for start in range(earliest, last - action.years + 2):
        if ledger.fits(action, start):
            ledger.book(action, start)
            end = start + action.years - 1
            return PlanItem(action, _horizon(action, start, end, first), start, end)
    return OverflowReason.NO_ROOM


def _horizon(action: ProposedAction, start: int, end: int, first: int) -> str:
    if action.quick_win_candidate and start == end == first:
        return Horizon.QUICK_WIN
    return Horizon.MEDIUM if end < first + MEDIUM_YEARS else Horizon.LONG


# --- regeneration -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ExistingItem:
    """An item already in the plan, as the regeneration needs to see it."""

    key: str
    origin: str  # generated / edited / manual
    horizon: str
    start_year: int
    end_year: int
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Regeneration:
    """What merging a new draft into a plan would do: shown first, applied on confirmation.

    `kept` items (edited or manual) are never changed or removed; a new item with the key of a
    kept one is not added. Generated items are replaced by their new version (`unchanged` and
    `rescheduled`), added, or removed. `conflicts` names (dependant, dependency) pairs whose
    order the merge breaks (an edited item moved past what waits on it), for the region to fix.
    """

    added: tuple[PlanItem, ...]
    removed: tuple[ExistingItem, ...]
    rescheduled: tuple[tuple[ExistingItem, PlanItem], ...]
    kept: tuple[ExistingItem, ...]
    unchanged: tuple[tuple[ExistingItem, PlanItem], ...]
    conflicts: tuple[tuple[str, str], ...]

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.removed or self.rescheduled)

    def merged(self) -> tuple[ExistingItem | PlanItem, ...]:
        """The plan after the merge: kept items as they are, generated ones in their new form."""
        return (
            *self.kept,
            *(new for _old, new in self.unchanged),
            *(new for _old, new in self.rescheduled),
            *self.added,
        )


def regenerate(existing: Sequence[ExistingItem], draft: Plan) -> Regeneration:
    """Merge `draft` into the `existing` items (see Regeneration); a pure preview."""
    old = {item.key: item for item in existing}
    new = {item.key: item for item in draft.items}
    kept = tuple(sorted((i for i in existing if i.origin != Origin.GENERATED), key=_existing_order))
    kept_keys = {item.key for item in kept}
    generated = [i for i in existing if i.origin == Origin.GENERATED]
    removed = tuple(sorted((i for i in generated if i.key not in new), key=_existing_order))
    rescheduled, unchanged = [], []
    for item in sorted(generated, key=_existing_order):
        if item.key in new:
            fresh = new[item.key]
            same = (item.horizon, item.start_year, item.end_year) == (
                fresh.horizon,
                fresh.start_year,
                fresh.end_year,
            )
            (unchanged if same else rescheduled).append((item, fresh))
    added = tuple(item for item in draft.items if item.key not in old)
    result = Regeneration(
        added=added,
        removed=removed,
        rescheduled=tuple(rescheduled),
        kept=kept,
        unchanged=tuple(unchanged),
        conflicts=(),
    )
    return replace(result, conflicts=_conflicts(result.merged(), kept_keys))


def _existing_order(item: ExistingItem) -> tuple:
    return (item.start_year, item.end_year, item.key)


def _conflicts(
    merged: Sequence[ExistingItem | PlanItem], kept_keys: set[str]
) -> tuple[tuple[str, str], ...]:
    by_key = {item.key: item for item in merged}
    conflicts = []
    for item in merged:
        depends = item.action.depends_on if isinstance(item, PlanItem) else item.depends_on
        for dependency in depends:
            other = by_key.get(dependency)
            involves_kept = item.key in kept_keys or dependency in kept_keys
            if other is not None and other.end_year >= item.start_year and involves_kept:
                conflicts.append((item.key, dependency))
    return tuple(sorted(conflicts))
