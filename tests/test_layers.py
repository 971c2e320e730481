"""Layers point one way: smartcity (wiring and core) <- assessments <- masterplan <- evaluations
<- dashboards.

A module may import from its own layer and the layers below it, never from one above, not even
inside a function. Migrations are left out: Django writes their dependencies itself.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import PROJECT_ROOT

LAYERS = ("smartcity", "assessments", "masterplan", "evaluations", "dashboards")


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    imported: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.imported}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool) -> Iterator[tuple[int, str]]:
    """Every module `source` imports, anywhere in it, as (line, absolute dotted name)."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield node.lineno, node.module or ""
                continue
            if node.level - 1 > len(package) - 1:
                raise ValueError(f"{module}:{node.lineno}: relative import beyond the top package")
            base = package[: len(package) - (node.level - 1)]
            yield node.lineno, ".".join([*base, *([node.module] if node.module else [])])


def violations_in(source: str, module: str, *, is_package: bool = False) -> list[Violation]:
    own_layer = LAYERS.index(module.split(".")[0])
    found = []
    for line, imported in imported_modules(source, module, is_package=is_package):
        top = imported.split(".")[0]
        if top in LAYERS and LAYERS.index(top) > own_layer:
            found.append(Violation(module, line, imported))
    return found


def project_modules() -> Iterator[Path]:
    for layer in LAYERS:
        for path in sorted((PROJECT_ROOT / layer).rglob("*.py")):
            if "migrations" not in path.relative_to(PROJECT_ROOT).parts:
                yield path


def test_no_module_imports_from_a_higher_layer():
    checked, violations = 0, []
    for path in project_modules():
        violations += violations_in(
            path.read_text(encoding="utf-8"),
            module_name(path, PROJECT_ROOT),
            is_package=path.name == "__init__.py",
        )
        checked += 1
    assert checked > 50, "the walk found too few modules: is PROJECT_ROOT right?"
    assert not violations, "imports against the layer order:\n" + "\n".join(map(str, violations))


IN_FUNCTION = "def f():\n    from masterplan.models import Plan"
IN_METHOD = "class V:\n    def get(self):\n        import masterplan"
# (importing module, source, what the check must report)
CASES = {
    "from-import upwards": ("smartcity.demo", "from assessments import services", ["assessments"]),
    "import upwards": ("smartcity.demo", "import assessments.models as m", ["assessments.models"]),
    "inside a function": ("smartcity.views", IN_FUNCTION, ["masterplan.models"]),
    "inside a method": ("assessments.views.cycles", IN_METHOD, ["masterplan"]),
    "middle to top": ("assessments.selectors", "from masterplan import charts", ["masterplan"]),
    "relative, same app": ("assessments.views.cycles", "from .. import selectors", []),
    "relative module": ("assessments.views.cycles", "from ..selectors import cycle_for", []),
    "top to lower": ("masterplan.views", "from assessments import a\nfrom smartcity import b", []),
    "core and libraries": (
        "assessments.rules",
        "from smartcity.models import R\nimport pandas",
        [],
    ),
}


@pytest.mark.parametrize("module, source, expected", CASES.values(), ids=CASES.keys())
def test_the_check_sees_every_kind_of_import(module, source, expected):
    found = violations_in(source, module)
    assert [violation.imported for violation in found] == expected


def test_relative_imports_resolve_to_absolute_names():
    source = "from . import a\nfrom .. import b\nfrom ..c import d\nfrom .e.f import g"
    names = [
        name for _line, name in imported_modules(source, "assessments.views.x", is_package=False)
    ]
    assert names == ["assessments.views", "assessments", "assessments.c", "assessments.views.e.f"]
    package_names = [
        name
        for _l, name in imported_modules("from . import a", "assessments.views", is_package=True)
    ]
    assert package_names == ["assessments.views"]


@pytest.mark.parametrize("setting", ["DEMO_SEEDERS", "NAVIGATION_PROVIDERS"])
def test_each_apps_contributions_run_in_layer_order(setting):
    apps = [dotted_path.split(".")[0] for dotted_path in getattr(settings, setting)]
    assert apps[0] == "smartcity"
    assert [LAYERS.index(app) for app in apps] == sorted(LAYERS.index(app) for app in apps)
