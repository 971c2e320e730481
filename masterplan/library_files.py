"""Reading and validating action library files (YAML; format in docs/action-library-format.md).

A library serves one framework version. It is validated against that framework's indicator codes
and scale, given as plain data (`FrameworkScope`), so this module needs no database. Validation is
all-or-nothing: every problem is collected with its path in the file (`actions[12].cost_band`).
The YAML reading and the basic shape checks are the framework files' own (smartcity).
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from smartcity.framework_files import (
    MISSING,
    FileValidator,
    FrameworkFileError,
    FrameworkSpec,
    Text,
    given,
    join_path,
    load_yaml,
    read_text,
)

MAX_MONTHS = 120  # the plan's ten years
MAX_RUPIAH = 10**15  # what a BigIntegerField holds comfortably; a library never gets near it


@dataclass(frozen=True)
class FrameworkScope:
    """What a library is checked against: the framework version's identity, levels, indicators."""

    slug: str
    version: int
    levels: tuple[int, ...]
    indicator_codes: frozenset[str]


def framework_scope(framework: FrameworkSpec) -> FrameworkScope:
    """The scope of a validated framework file."""
    return FrameworkScope(
        slug=framework.slug,
        version=framework.version,
        levels=tuple(level.value for level in framework.levels),
        indicator_codes=frozenset(indicator.code for indicator in framework.indicators()),
    )


@dataclass(frozen=True)
class NamedCode:
    """An entry of a controlled list: an OPD type, a partner type or a kind of funding."""

    code: str
    name: Text


@dataclass(frozen=True)
class CostBand:
    """A cost band in whole rupiah: lower <= cost < upper (no upper on the last band)."""

    code: str
    label: Text
    lower: int
    upper: int | None
    budget: int  # the figure used for budgeting an action of this band
    quick_win: bool  # low enough for a quick win


@dataclass(frozen=True)
class Prerequisite:
    indicator: str
    level: int


@dataclass(frozen=True)
class Kpi:
    name: Text
    unit: Text


@dataclass(frozen=True)
class ActionSpec:
    """One action: takes `indicator` from `from_level` to `to_level` (a range of steps)."""

    code: str
    indicator: str
    from_level: int
    to_level: int
    title: Text
    description: Text
    lead: str
    partners: tuple[str, ...]
    months: int
    cost_band: str
    prerequisites: tuple[Prerequisite, ...]
    kpi: Kpi
    funding: tuple[str, ...]


@dataclass(frozen=True)
class LibrarySpec:
    framework_slug: str
    framework_version: int
    version: int
    title: Text
    description: Text | None
    opd_types: tuple[NamedCode, ...]
    partner_types: tuple[NamedCode, ...]
    funding_sources: tuple[NamedCode, ...]
    cost_bands: tuple[CostBand, ...]
    actions: tuple[ActionSpec, ...]

    @property
    def content_hash(self) -> str:
        canonical = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def cost_band(self, code: str) -> CostBand:
        return next(band for band in self.cost_bands if band.code == code)


class LibraryFileError(FrameworkFileError):
    """The library file cannot be loaded; `problems` lists every reason found."""


def parse_library_text(text: str, scope: FrameworkScope) -> LibrarySpec:
    """Validate YAML text against the framework `scope`; raises LibraryFileError."""
    try:
        document = load_yaml(text)
    except FrameworkFileError as error:
        raise LibraryFileError(error.problems) from error
    return parse_library_document(document, scope)


def parse_library_document(document: Any, scope: FrameworkScope) -> LibrarySpec:
    """Validate an already parsed YAML document against `scope`; raises LibraryFileError."""
    return _LibraryValidator(scope).library(document)


def read_library_file(path: Path, scope: FrameworkScope) -> LibrarySpec:
    """Read and validate a library file against the framework `scope`; raises LibraryFileError."""
    try:
        text = read_text(path)
    except FrameworkFileError as error:
        raise LibraryFileError(error.problems) from error
    return parse_library_text(text, scope)


def uncovered_steps(library: LibrarySpec | None, scope: FrameworkScope) -> list[tuple[str, int]]:
    """Every (indicator, level) of the scope that no action reaches from the level below.

    The step into the lowest level does not exist; a library need not cover every step (the plan
    falls back on the framework's guidance), but the default framework's library does.
    """
    covered = {
        (action.indicator, level)
        for action in (library.actions if library else ())
        for level in range(action.from_level + 1, action.to_level + 1)
    }
    return [
        (code, level)
        for code in sorted(scope.indicator_codes)
        for level in scope.levels[1:]
        if (code, level) not in covered
    ]


class _LibraryValidator(FileValidator):
    """Walks a library document; cross-references are checked once the lists are read."""

    def __init__(self, scope: FrameworkScope) -> None:
        super().__init__()
        self.scope = scope

    def library(self, document: Any) -> LibrarySpec:
        top = self.mapping(
            document,
            "",
            {
                "framework",
                "version",
                "title",
                "opd_types",
                "partner_types",
                "funding_sources",
                "cost_bands",
                "actions",
            },
            {"description"},
        )
        slug, framework_version = self.framework(top.get("framework", MISSING))
        version = self.whole(top.get("version", MISSING), "version", 1)
        title = self.text(top.get("title", MISSING), "title", "title")
        description = self.optional_text(top, "description", "")
        seen: dict[str, str] = {}  # codes of the three lists share one namespace
        opd_types = self.named_codes(top.get("opd_types", MISSING), "opd_types", seen)
        partner_types = self.named_codes(top.get("partner_types", MISSING), "partner_types", seen)
        funding = self.named_codes(top.get("funding_sources", MISSING), "funding_sources", seen)
        bands = self.cost_bands(top.get("cost_bands", MISSING), "cost_bands")
        actions = self.actions(
            top.get("actions", MISSING),
            "actions",
            opd=[entry.code for entry in opd_types],
            partners=[entry.code for entry in opd_types + partner_types],
            funding=[entry.code for entry in funding],
            bands=[band.code for band in bands],
        )
        self.prerequisite_cycles(actions)
        if self.problems:
            raise LibraryFileError(self.problems)
        return LibrarySpec(
            framework_slug=slug,
            framework_version=framework_version,
            version=version,
            title=title,
            description=description,
            opd_types=opd_types,
            partner_types=partner_types,
            funding_sources=funding,
            cost_bands=bands,
            actions=actions,
        )

    def framework(self, value: Any) -> tuple[str, int]:
        if value is MISSING:
            return "", 0
        mapping = self.mapping(value, "framework", {"slug", "version"}, set())
        slug = self.string(mapping.get("slug", MISSING), "framework.slug", "slug")
        version = self.whole(mapping.get("version", MISSING), "framework.version", 1)
        if (
            slug
            and version is not None
            and (slug, version)
            != (
                self.scope.slug,
                self.scope.version,
            )
        ):
            self.fail(
                "framework",
                _("this library serves %(file)s, not the framework %(framework)s.")
                % {
                    "file": f"{slug} v{version}",
                    "framework": f"{self.scope.slug} v{self.scope.version}",
                },
            )
        return slug, version or 0

    def named_codes(self, value: Any, path: str, seen: dict[str, str]) -> tuple[NamedCode, ...]:
        entries = []
        for index, entry in enumerate(self.items(value, path)):
            item_path = f"{path}[{index}]"
            mapping = self.mapping(entry, item_path, {"code", "name"}, set())
            code = self.unique_code(
                mapping.get("code", MISSING), join_path(item_path, "code"), seen
            )
            name = self.text(mapping.get("name", MISSING), join_path(item_path, "name"), "name")
            entries.append(NamedCode(code, name))
        return tuple(entries)

    def rupiah(self, value: Any, path: str) -> int | None:
        amount = self.whole(value, path, 0)
        if amount is not None and amount >= MAX_RUPIAH:
            self.fail(path, _("must be below %(limit)s.") % {"limit": MAX_RUPIAH})
            return None
        return amount

    def cost_bands(self, value: Any, path: str) -> tuple[CostBand, ...]:
        entries = self.items(value, path)
        seen: dict[str, str] = {}
        bands: list[CostBand] = []
        previous_upper: int | None = 0
        for index, entry in enumerate(entries):
            item_path = f"{path}[{index}]"
            band = self.mapping(
                entry, item_path, {"code", "label", "from", "budget"}, {"to", "quick_win"}
            )
            code = self.unique_code(band.get("code", MISSING), join_path(item_path, "code"), seen)
            label = self.text(band.get("label", MISSING), join_path(item_path, "label"), "label")
            lower = self.rupiah(band.get("from", MISSING), join_path(item_path, "from"))
            upper = self.rupiah(given(band, "to"), join_path(item_path, "to"))
            budget = self.rupiah(band.get("budget", MISSING), join_path(item_path, "budget"))
            quick_win = self.boolean(band, "quick_win", item_path)
            last = index == len(entries) - 1
            if not last and given(band, "to") is MISSING:
                self.fail(join_path(item_path, "to"), _("is required on every band but the last."))
            if lower is not None and previous_upper is not None and lower != previous_upper:
                self.fail(
                    join_path(item_path, "from"),
                    _("must be %(expected)d: bands start at 0, each where the previous one ends.")
                    % {"expected": previous_upper},
                )
            if lower is not None and upper is not None and upper <= lower:
                self.fail(join_path(item_path, "to"), _("must be greater than 'from'."))
            elif (
                lower is not None
                and budget is not None
                and (budget < lower or (upper is not None and budget >= upper))
            ):
                self.fail(join_path(item_path, "budget"), _("must lie inside the band."))
            previous_upper = upper
            if None not in (lower, budget):
                bands.append(CostBand(code, label, lower, upper, budget, quick_win))
        return tuple(bands)

    def actions(
        self,
        value: Any,
        path: str,
        *,
        opd: list[str],
        partners: list[str],
        funding: list[str],
        bands: list[str],
    ) -> tuple[ActionSpec, ...]:
        seen: dict[str, str] = {}
        actions = []
        for index, entry in enumerate(self.items(value, path)):
            item_path = f"{path}[{index}]"
            action = self.mapping(
                entry,
                item_path,
                {
                    "code",
                    "indicator",
                    "from_level",
                    "to_level",
                    "title",
                    "description",
                    "lead",
                    "months",
                    "cost_band",
                    "kpi",
                    "funding",
                },
                {"partners", "prerequisites"},
            )
            at = partial(join_path, item_path)
            code = self.unique_code(action.get("code", MISSING), at("code"), seen)
            indicator = self.indicator(action.get("indicator", MISSING), at("indicator"))
            from_level = self.level(action.get("from_level", MISSING), at("from_level"))
            to_level = self.level(action.get("to_level", MISSING), at("to_level"))
            if from_level is not None and to_level is not None and to_level <= from_level:
                self.fail(at("to_level"), _("must be above from_level."))
            lead = self.choice(action.get("lead", MISSING), at("lead"), opd, _("an OPD type"))
            partner_codes = self.choices(
                given(action, "partners"), at("partners"), partners, _("an OPD or partner type")
            )
            if lead and lead in partner_codes:
                self.fail(at("partners"), _("%(code)s is already the lead.") % {"code": lead})
            months = self.whole(action.get("months", MISSING), at("months"), 1)
            if months is not None and months > MAX_MONTHS:
                self.fail(at("months"), _("must be at most %(max)d.") % {"max": MAX_MONTHS})
            actions.append(
                ActionSpec(
                    code=code,
                    indicator=indicator,
                    from_level=from_level if from_level is not None else 0,
                    to_level=to_level if to_level is not None else 0,
                    title=self.text(action.get("title", MISSING), at("title"), "title"),
                    description=self.text(action.get("description", MISSING), at("description")),
                    lead=lead,
                    partners=tuple(partner_codes),
                    months=months or 0,
                    cost_band=self.choice(
                        action.get("cost_band", MISSING), at("cost_band"), bands, _("a cost band")
                    ),
                    prerequisites=self.prerequisites(
                        given(action, "prerequisites"), at("prerequisites"), indicator
                    ),
                    kpi=self.kpi(action.get("kpi", MISSING), at("kpi")),
                    funding=tuple(
                        self.choices(
                            action.get("funding", MISSING),
                            at("funding"),
                            funding,
                            _("a funding source"),
                        )
                    ),
                )
            )
        return tuple(actions)

    def indicator(self, value: Any, path: str) -> str:
        code = self.string(value, path, "code")
        if code and code not in self.scope.indicator_codes:
            self.fail(
                path,
                _("%(code)s is not an indicator of the framework %(framework)s.")
                % {"code": code, "framework": f"{self.scope.slug} v{self.scope.version}"},
            )
        return code

    def level(self, value: Any, path: str) -> int | None:
        level = self.whole(value, path)
        levels = self.scope.levels
        if level is not None and levels and level not in levels:
            self.fail(
                path,
                _("%(level)d is not a level of the scale (%(low)d to %(high)d).")
                % {"level": level, "low": min(levels), "high": max(levels)},
            )
            return None
        return level

    def choice(self, value: Any, path: str, allowed: list[str], kind: str) -> str:
        code = self.string(value, path, "code")
        if code and code not in allowed:
            self.fail(
                path,
                _("%(code)s is not %(kind)s defined in this file (%(allowed)s).")
                % {"code": code, "kind": kind, "allowed": ", ".join(allowed) or "-"},
            )
        return code

    def choices(self, value: Any, path: str, allowed: list[str], kind: str) -> list[str]:
        codes: list[str] = []
        for index, entry in enumerate(self.items(value, path)):
            code = self.choice(entry, f"{path}[{index}]", allowed, kind)
            if code in codes:
                self.fail(f"{path}[{index}]", _("%(code)s is listed twice.") % {"code": code})
            codes.append(code)
        return codes

    def prerequisites(self, value: Any, path: str, own: str) -> tuple[Prerequisite, ...]:
        entries = []
        for index, entry in enumerate(self.items(value, path)):
            item_path = f"{path}[{index}]"
            mapping = self.mapping(entry, item_path, {"indicator", "level"}, set())
            indicator = self.indicator(
                mapping.get("indicator", MISSING), join_path(item_path, "indicator")
            )
            level = self.level(mapping.get("level", MISSING), join_path(item_path, "level"))
            if indicator and indicator == own:
                self.fail(
                    join_path(item_path, "indicator"),
                    _("an action's own indicator is reached step by step; name another one."),
                )
            if level is not None and self.scope.levels and level == min(self.scope.levels):
                self.fail(
                    join_path(item_path, "level"),
                    _("the lowest level is always reached; name a higher one."),
                )
            if any(p.indicator == indicator for p in entries):
                self.fail(
                    join_path(item_path, "indicator"),
                    _("%(code)s is listed twice.") % {"code": indicator},
                )
            if indicator and indicator != own and level is not None:
                entries.append(Prerequisite(indicator, level))
        return tuple(entries)

    def kpi(self, value: Any, path: str) -> Kpi:
        if value is MISSING:
            return Kpi(Text("", ""), Text("", ""))
        mapping = self.mapping(value, path, {"name", "unit"}, set())
        return Kpi(
            self.text(mapping.get("name", MISSING), join_path(path, "name"), "title"),
            self.text(mapping.get("unit", MISSING), join_path(path, "unit"), "label"),
        )

    def prerequisite_cycles(self, actions: tuple[ActionSpec, ...]) -> None:
        """Refuse prerequisites that wait on each other: no order could ever satisfy them.

        A level of an indicator waits on the level below it and on the prerequisites of the
        actions starting just below it. One cycle in that graph is reported, at an action in it.
        """
        lowest = min(self.scope.levels, default=0)
        waits: dict[tuple[str, int], list[tuple[tuple[str, int], int | None]]] = {}
        for index, action in enumerate(actions):
            for prerequisite in action.prerequisites:
                node = (action.indicator, action.from_level + 1)
                waits.setdefault(node, []).append(
                    ((prerequisite.indicator, prerequisite.level), index)
                )

        def successors(node: tuple[str, int]) -> list[tuple[tuple[str, int], int | None]]:
            code, level = node
            below = [((code, level - 1), None)] if level - 1 > lowest else []
            return waits.get(node, []) + below

        done: set[tuple[str, int]] = set()
        for start in sorted(waits):
            if start in done:
                continue
            stack = [(start, iter(successors(start)))]
            open_nodes = {start}
            entered_by: list[int | None] = []  # the edge into each frame after the first
            while stack:
                node, pending = stack[-1]
                step = next(pending, None)
                if step is None:
                    stack.pop()
                    open_nodes.discard(node)
                    done.add(node)
                    if entered_by:
                        entered_by.pop()
                    continue
                target, index = step
                if target in open_nodes:
                    position = [frame[0] for frame in stack].index(target)
                    on_cycle = [*entered_by[position:], index]
                    culprit = next(i for i in on_cycle if i is not None)
                    self.fail(
                        f"actions[{culprit}].prerequisites",
                        _("the prerequisites of the actions wait on each other in a cycle."),
                    )
                    return
                if target not in done:
                    open_nodes.add(target)
                    stack.append((target, iter(successors(target))))
                    entered_by.append(index)


def library_to_json(library: LibrarySpec) -> dict[str, Any]:
    """The validated library as JSON-ready data (stored with the loaded library)."""
    return asdict(library)


def library_from_json(data: dict[str, Any]) -> LibrarySpec:
    """The `LibrarySpec` of `library_to_json` output (already validated when it was stored)."""

    def text(value: dict | None) -> Text | None:
        return Text(value["id"], value["en"]) if value else None

    def named(values: list[dict]) -> tuple[NamedCode, ...]:
        return tuple(NamedCode(v["code"], text(v["name"])) for v in values)

    return LibrarySpec(
        framework_slug=data["framework_slug"],
        framework_version=data["framework_version"],
        version=data["version"],
        title=text(data["title"]),
        description=text(data["description"]),
        opd_types=named(data["opd_types"]),
        partner_types=named(data["partner_types"]),
        funding_sources=named(data["funding_sources"]),
        cost_bands=tuple(
            CostBand(**{**band, "label": text(band["label"])}) for band in data["cost_bands"]
        ),
        actions=tuple(
            ActionSpec(
                **{
                    **action,
                    "title": text(action["title"]),
                    "description": text(action["description"]),
                    "partners": tuple(action["partners"]),
                    "prerequisites": tuple(Prerequisite(**p) for p in action["prerequisites"]),
                    "kpi": Kpi(text(action["kpi"]["name"]), text(action["kpi"]["unit"])),
                    "funding": tuple(action["funding"]),
                }
            )
            for action in data["actions"]
        ),
    )
