"""Reading and validating framework files (YAML; format in docs/framework-format.md).

Validation is complete before anything is written: every problem is collected with its path in the
file (`pillars[3].elements[1].indicators[0].levels[4].id`). The result is a tree of frozen
dataclasses whose canonical JSON hash identifies the content.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from smartcity.models import PillarKind

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
LIMITS = {"code": 30, "slug": 50, "title": 200, "name": 200, "label": 100}
MIN_LEVELS, MAX_LEVELS = 2, 10
# What the database columns hold (three decimals): weights below 100000, band bounds below 1000.
WEIGHT_LIMIT, BAND_LIMIT = Decimal(100_000), Decimal(1000)
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class Text:
    id: str
    en: str


@dataclass(frozen=True)
class LevelSpec:
    value: int
    label: Text
    description: Text
    generic: bool


@dataclass(frozen=True)
class BandSpec:
    label: Text
    lower: str  # decimal as text, so the content hash is exact
    upper: str


@dataclass(frozen=True)
class DescriptorSpec:
    level: int
    text: Text
    next: Text | None


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: Text
    description: Text | None
    weight: str
    evidence_from_level: int | None
    allow_na: bool
    levels: tuple[DescriptorSpec, ...]


@dataclass(frozen=True)
class ElementSpec:
    code: str
    name: Text
    description: Text | None
    weight: str
    indicators: tuple[IndicatorSpec, ...]


@dataclass(frozen=True)
class PillarSpec:
    code: str
    kind: str
    name: Text
    description: Text | None
    weight: str
    elements: tuple[ElementSpec, ...]


@dataclass(frozen=True)
class CrosswalkSpec:
    old_code: str
    new_codes: tuple[str, ...]


@dataclass(frozen=True)
class FrameworkSpec:
    slug: str
    version: int
    title: Text
    description: Text | None
    previous_version: int | None
    crosswalk: tuple[CrosswalkSpec, ...]
    levels: tuple[LevelSpec, ...]
    bands: tuple[BandSpec, ...]
    pillars: tuple[PillarSpec, ...]

    @property
    def content_hash(self) -> str:
        canonical = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def indicators(self) -> list[IndicatorSpec]:
        return [i for p in self.pillars for e in p.elements for i in e.indicators]


@dataclass(frozen=True)
class FrameworkProblem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class FrameworkFileError(Exception):
    """The file cannot be loaded; `problems` lists every reason found."""

    def __init__(self, problems: list[FrameworkProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (PyYAML keeps the last silently)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> Any:
    """The YAML document in `text` (duplicate keys refused); raises FrameworkFileError."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = (
            _("line %(line)d, column %(column)d")
            % {"line": mark.line + 1, "column": mark.column + 1}
            if mark
            else ""
        )
        reason = getattr(error, "problem", None) or str(error)
        raise FrameworkFileError(
            [FrameworkProblem(where, _("not valid YAML: %(reason)s") % {"reason": reason})]
        ) from error


def parse_framework_text(text: str) -> FrameworkSpec:
    """Validate YAML text; raises FrameworkFileError listing every problem."""
    return _Validator().framework(load_yaml(text))


def read_text(path: Path) -> str:
    """The file's text (UTF-8, with or without BOM); raises FrameworkFileError otherwise."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FrameworkFileError(
            [FrameworkProblem("", _("the file is not UTF-8 text; save it as UTF-8."))]
        ) from error


def read_framework_file(path: Path) -> FrameworkSpec:
    """Read and validate a framework file; raises FrameworkFileError."""
    return parse_framework_text(read_text(path))


MISSING = object()


class FileValidator:
    """Checks the basic shapes of a parsed YAML file, collecting problems with their paths.

    A key that is missing is reported once: the checks accept MISSING and then add nothing.
    Shared by the framework files here and the action library files of the masterplan app.
    """

    def __init__(self) -> None:
        self.problems: list[FrameworkProblem] = []

    def fail(self, path: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(FrameworkProblem(path, message))

    # --- basic shapes -----------------------------------------------------------------------
    def mapping(self, value: Any, path: str, required: set[str], optional: set[str]) -> dict:
        """The mapping at `path` (empty when it is not one); reports unknown and missing keys."""
        if not isinstance(value, dict):
            self.fail(path or _("(top level)"), _("must be a mapping of keys to values."))
            return {}
        for key in sorted(set(value) - required - optional, key=str):
            self.fail(join_path(path, str(key)), _("unknown key."))
        for key in sorted(required - set(value)):
            self.fail(join_path(path, key), _("is required."))
        return value

    def items(self, value: Any, path: str, minimum: int = 1) -> list:
        if value is MISSING:
            return []
        if not isinstance(value, list):
            self.fail(path, _("must be a list."))
            return []
        if not value:
            self.fail(path, _("must not be empty."))
        elif len(value) < minimum:
            self.fail(path, _("needs at least %(count)d entries.") % {"count": minimum})
        return value

    def string(self, value: Any, path: str, limit: str | None = None) -> str:
        if value is MISSING:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(path, _("must be a non-empty text."))
            return ""
        value = value.strip()
        if limit and len(value) > LIMITS[limit]:
            self.fail(path, _("is longer than %(max)d characters.") % {"max": LIMITS[limit]})
        return value

    def text(self, value: Any, path: str, limit: str | None = None) -> Text:
        if value is MISSING:
            return Text("", "")
        mapping = self.mapping(value, path, {"id", "en"}, set())
        return Text(
            self.string(mapping.get("id", MISSING), join_path(path, "id"), limit),
            self.string(mapping.get("en", MISSING), join_path(path, "en"), limit),
        )

    def optional_text(
        self, mapping: dict, key: str, path: str, limit: str | None = None
    ) -> Text | None:
        if mapping.get(key) is None:
            return None
        return self.text(mapping[key], join_path(path, key), limit)

    def whole(self, value: Any, path: str, minimum: int | None = None) -> int | None:
        if value is MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, _("must be a whole number."))
            return None
        if minimum is not None and value < minimum:
            self.fail(path, _("must be at least %(min)d.") % {"min": minimum})
            return None
        return value

    def number(self, value: Any, path: str, *, limit: Decimal) -> Decimal | None:
        """A number with at most three decimals, below `limit` (what the database can keep)."""
        if value is MISSING:
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise InvalidOperation
            number = Decimal(str(value))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.fail(path, _("must be a number."))
            return None
        # The limit first: quantizing a number of more than 25 digits raises InvalidOperation.
        if abs(number) >= limit:
            self.fail(path, _("must be below %(limit)s.") % {"limit": limit})
            return None
        if number != number.quantize(Decimal("0.001")):
            self.fail(path, _("may have at most three decimals."))
            return None
        return number

    def unique_code(self, value: Any, path: str, seen: dict[str, str]) -> str:
        """A well-formed code not yet in `seen` (code -> path of its first use), then added."""
        code = self.string(value, path, "code")
        if not code:
            return ""
        if not CODE.match(code):
            self.fail(
                path,
                _("'%(code)s' may hold only letters, digits, '.', '-' and '_'.") % {"code": code},
            )
        elif code in seen:
            self.fail(
                path,
                _("code %(code)s is already used at %(first)s.")
                % {"code": code, "first": seen[code]},
            )
        else:
            seen[code] = path
        return code

    def boolean(self, mapping: dict, key: str, path: str) -> bool:
        value = mapping.get(key, False)
        if not isinstance(value, bool):
            self.fail(join_path(path, key), _("must be true or false."))
            return False
        return value


class _Validator(FileValidator):
    """Walks a framework document (docs/framework-format.md)."""

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[str, str] = {}  # every code -> path of its first use
        self.indicator_codes: set[str] = set()

    def weight(self, mapping: dict, path: str) -> str:
        number = self.number(
            mapping.get("weight", 1), join_path(path, "weight"), limit=WEIGHT_LIMIT
        )
        if number is None:
            return "1"
        if number <= 0:
            self.fail(join_path(path, "weight"), _("must be greater than zero."))
        return _decimal_text(number)

    def code(self, value: Any, path: str) -> str:
        return self.unique_code(value, path, self.codes)

    # --- the document ---------------------------------------------------------------------------
    def framework(self, document: Any) -> FrameworkSpec:
        top = self.mapping(
            document,
            "",
            {"slug", "version", "title", "scale", "bands", "pillars"},
            {"description", "previous_version", "crosswalk"},
        )
        slug = self.string(top.get("slug", MISSING), "slug", "slug")
        if slug and not SLUG.match(slug):
            self.fail("slug", _("use lowercase letters, digits and '-' only."))
        version = self.whole(top.get("version", MISSING), "version", 1)
        previous = self.whole(given(top, "previous_version"), "previous_version", 1)
        if previous is not None and version is not None and previous >= version:
            self.fail("previous_version", _("must be lower than version."))
        title = self.text(top.get("title", MISSING), "title", "title")
        description = self.optional_text(top, "description", "")
        levels = self.scale(top.get("scale", MISSING), "scale")
        bands = self.bands(top.get("bands", MISSING), "bands", [lv.value for lv in levels])
        pillars = self.pillars(top.get("pillars", MISSING), "pillars", levels)
        crosswalk = self.crosswalk(top.get("crosswalk"), previous)
        if self.problems:
            raise FrameworkFileError(self.problems)
        return FrameworkSpec(
            slug=slug,
            version=version,
            title=title,
            description=description,
            previous_version=previous,
            crosswalk=crosswalk,
            levels=levels,
            bands=bands,
            pillars=pillars,
        )

    def scale(self, value: Any, path: str) -> tuple[LevelSpec, ...]:
        if value is MISSING:
            return ()
        scale = self.mapping(value, path, {"levels"}, set())
        levels_path = join_path(path, "levels")
        entries = self.items(scale.get("levels", MISSING), levels_path, MIN_LEVELS)
        if len(entries) > MAX_LEVELS:
            self.fail(levels_path, _("has more than %(max)d levels.") % {"max": MAX_LEVELS})
        levels: list[LevelSpec] = []
        for index, entry in enumerate(entries):
            item_path = f"{levels_path}[{index}]"
            level = self.mapping(entry, item_path, {"value", "label", "description"}, {"generic"})
            number = self.whole(level.get("value", MISSING), join_path(item_path, "value"), 0)
            label = self.text(level.get("label", MISSING), join_path(item_path, "label"), "label")
            description = self.text(
                level.get("description", MISSING), join_path(item_path, "description")
            )
            generic = self.boolean(level, "generic", item_path)
            if number is None:
                continue
            if levels and number != levels[-1].value + 1:
                self.fail(
                    join_path(item_path, "value"),
                    _("levels must go up by one: expected %(expected)d, found %(found)d.")
                    % {"expected": levels[-1].value + 1, "found": number},
                )
            levels.append(LevelSpec(number, label, description, generic))
        if levels and all(level.generic for level in levels):
            self.fail(levels_path, _("at least one level must not be generic."))
        return tuple(levels)

    def bands(self, value: Any, path: str, scale_values: list[int]) -> tuple[BandSpec, ...]:
        entries = self.items(value, path)
        parsed: list[BandSpec | None] = []  # one per entry in the file; None where it is broken
        for index, entry in enumerate(entries):
            item_path = f"{path}[{index}]"
            band = self.mapping(entry, item_path, {"label", "from", "to"}, set())
            label = self.text(band.get("label", MISSING), join_path(item_path, "label"), "label")
            lower = self.number(
                band.get("from", MISSING), join_path(item_path, "from"), limit=BAND_LIMIT
            )
            upper = self.number(
                band.get("to", MISSING), join_path(item_path, "to"), limit=BAND_LIMIT
            )
            if lower is None or upper is None:
                parsed.append(None)
                continue
            if lower >= upper:
                self.fail(item_path, _("'from' must be lower than 'to'."))
            previous = parsed[-1] if parsed else None
            if previous is not None and lower != Decimal(previous.upper):
                self.fail(
                    join_path(item_path, "from"),
                    _(
                        "must equal the previous band's 'to' (%(previous)s): bands may not "
                        "leave a gap or overlap."
                    )
                    % {"previous": previous.upper},
                )
            parsed.append(BandSpec(label, _decimal_text(lower), _decimal_text(upper)))
        if parsed and scale_values:
            first, last = parsed[0], parsed[-1]
            if first is not None and Decimal(first.lower) != min(scale_values):
                self.fail(
                    f"{path}[0].from",
                    _("the first band must start at the lowest level (%(level)d).")
                    % {"level": min(scale_values)},
                )
            if last is not None and Decimal(last.upper) != max(scale_values):
                self.fail(
                    f"{path}[{len(parsed) - 1}].to",
                    _("the last band must end at the highest level (%(level)d).")
                    % {"level": max(scale_values)},
                )
        return tuple(band for band in parsed if band is not None)

    def pillars(
        self, value: Any, path: str, levels: tuple[LevelSpec, ...]
    ) -> tuple[PillarSpec, ...]:
        pillars: list[PillarSpec] = []
        for index, entry in enumerate(self.items(value, path)):
            item_path = f"{path}[{index}]"
            pillar = self.mapping(
                entry, item_path, {"code", "kind", "name", "elements"}, {"description", "weight"}
            )
            kind = pillar.get("kind", MISSING)
            if kind is not MISSING and kind not in PillarKind.values:
                self.fail(join_path(item_path, "kind"), _("must be 'readiness' or 'dimension'."))
            elements_path = join_path(item_path, "elements")
            elements = self.items(pillar.get("elements", MISSING), elements_path)
            pillars.append(
                PillarSpec(
                    code=self.code(pillar.get("code", MISSING), join_path(item_path, "code")),
                    kind=kind if kind in PillarKind.values else "",
                    name=self.text(
                        pillar.get("name", MISSING), join_path(item_path, "name"), "name"
                    ),
                    description=self.optional_text(pillar, "description", item_path),
                    weight=self.weight(pillar, item_path),
                    elements=tuple(
                        self.element(element, f"{elements_path}[{i}]", levels)
                        for i, element in enumerate(elements)
                    ),
                )
            )
        if pillars and not any(p.kind == PillarKind.DIMENSION for p in pillars):
            self.fail(path, _("needs at least one pillar of kind 'dimension'."))
        return tuple(pillars)

    def element(self, value: Any, path: str, levels: tuple[LevelSpec, ...]) -> ElementSpec:
        element = self.mapping(
            value, path, {"code", "name", "indicators"}, {"description", "weight"}
        )
        indicators_path = join_path(path, "indicators")
        indicators = self.items(element.get("indicators", MISSING), indicators_path)
        return ElementSpec(
            code=self.code(element.get("code", MISSING), join_path(path, "code")),
            name=self.text(element.get("name", MISSING), join_path(path, "name"), "name"),
            description=self.optional_text(element, "description", path),
            weight=self.weight(element, path),
            indicators=tuple(
                self.indicator(indicator, f"{indicators_path}[{i}]", levels)
                for i, indicator in enumerate(indicators)
            ),
        )

    def indicator(self, value: Any, path: str, levels: tuple[LevelSpec, ...]) -> IndicatorSpec:
        indicator = self.mapping(
            value,
            path,
            {"code", "name", "levels"},
            {"description", "weight", "evidence_from_level", "allow_na"},
        )
        code = self.code(indicator.get("code", MISSING), join_path(path, "code"))
        self.indicator_codes.add(code)
        evidence_path = join_path(path, "evidence_from_level")
        evidence = self.whole(given(indicator, "evidence_from_level"), evidence_path)
        scale_values = [level.value for level in levels]
        if evidence is not None and scale_values and evidence not in scale_values:
            self.fail(
                evidence_path,
                _("%(level)d is not a level of the scale (%(low)d to %(high)d).")
                % {"level": evidence, "low": min(scale_values), "high": max(scale_values)},
            )
        return IndicatorSpec(
            code=code,
            name=self.text(indicator.get("name", MISSING), join_path(path, "name"), "name"),
            description=self.optional_text(indicator, "description", path),
            weight=self.weight(indicator, path),
            evidence_from_level=evidence,
            allow_na=self.boolean(indicator, "allow_na", path),
            levels=self.descriptors(
                indicator.get("levels", MISSING), join_path(path, "levels"), levels
            ),
        )

    def descriptors(
        self, value: Any, path: str, levels: tuple[LevelSpec, ...]
    ) -> tuple[DescriptorSpec, ...]:
        expected = [level.value for level in levels if not level.generic]
        top = max((level.value for level in levels), default=None)
        descriptors: list[DescriptorSpec] = []
        for index, entry in enumerate(self.items(value, path)):
            item_path = f"{path}[{index}]"
            descriptor = self.mapping(entry, item_path, {"level", "id", "en"}, {"next"})
            level = self.whole(descriptor.get("level", MISSING), join_path(item_path, "level"))
            text = Text(
                self.string(descriptor.get("id", MISSING), join_path(item_path, "id")),
                self.string(descriptor.get("en", MISSING), join_path(item_path, "en")),
            )
            next_text = self.optional_text(descriptor, "next", item_path)
            if next_text is not None and level is not None and level == top:
                self.fail(join_path(item_path, "next"), _("the top level has no next level."))
            if level is not None:
                descriptors.append(DescriptorSpec(level, text, next_text))
        found = [d.level for d in descriptors]
        if value is not MISSING and expected and found != expected:
            self.fail(
                path,
                _("must describe the levels %(expected)s once each, in order (found %(found)s).")
                % {"expected": _list(expected), "found": _list(found) or "-"},
            )
        return tuple(descriptors)

    def crosswalk(self, value: Any, previous: int | None) -> tuple[CrosswalkSpec, ...]:
        if value is None:
            return ()
        if previous is None:
            self.fail(
                "crosswalk",
                _("needs previous_version: a crosswalk maps the previous version's codes."),
            )
        entries: list[CrosswalkSpec] = []
        first_entry_of: dict[str, str] = {}
        for index, entry in enumerate(self.items(value, "crosswalk")):
            item_path = f"crosswalk[{index}]"
            mapping = self.mapping(entry, item_path, {"from", "to"}, set())
            old = self.string(mapping.get("from", MISSING), join_path(item_path, "from"), "code")
            if old in first_entry_of:
                self.fail(
                    join_path(item_path, "from"),
                    _("%(code)s is already mapped at %(first)s; list all its targets there.")
                    % {"code": old, "first": first_entry_of[old]},
                )
            elif old:
                first_entry_of[old] = item_path
            targets = mapping.get("to", MISSING)
            targets = [targets] if isinstance(targets, str) else targets
            new_codes = []
            for i, target in enumerate(self.items(targets, join_path(item_path, "to"))):
                code = self.string(target, f"{item_path}.to[{i}]", "code")
                if code and code not in self.indicator_codes:
                    self.fail(
                        f"{item_path}.to[{i}]",
                        _("%(code)s is not an indicator of this version.") % {"code": code},
                    )
                elif code in new_codes:
                    self.fail(
                        f"{item_path}.to[{i}]", _("%(code)s is listed twice.") % {"code": code}
                    )
                new_codes.append(code)
            entries.append(CrosswalkSpec(old, tuple(new_codes)))
        return tuple(entries)


def given(mapping: dict, key: str) -> Any:
    """The value under `key`, or MISSING when the key is absent or null (optional fields)."""
    value = mapping.get(key)
    return MISSING if value is None else value


def join_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _list(values: list[int]) -> str:
    return ", ".join(str(v) for v in values)


def _decimal_text(number: Decimal) -> str:
    return format(number.normalize(), "f")
