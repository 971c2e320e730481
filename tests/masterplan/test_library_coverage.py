"""The shipped action library: valid against the default framework and covering every step.

Coverage is what lets the default framework's plans name real programmes instead of the generic
fallback: for every indicator, every step up its scale (0->1 ... 4->5) is reached by an action.
"""

from masterplan.library_files import framework_scope, read_library_file, uncovered_steps
from smartcity.framework_files import read_framework_file
from tests.conftest import PROJECT_ROOT

FRAMEWORK = PROJECT_ROOT / "fixtures" / "frameworks" / "kota-cerdas-v1.yaml"
LIBRARY = PROJECT_ROOT / "fixtures" / "action_library" / "kota-cerdas-v1.yaml"


def shipped():
    scope = framework_scope(read_framework_file(FRAMEWORK))
    return scope, read_library_file(LIBRARY, scope)


def test_the_library_covers_every_step_of_every_indicator_of_the_default_framework():
    scope, library = shipped()
    assert len(scope.indicator_codes) == 55
    assert uncovered_steps(library, scope) == []


def test_every_action_names_its_programme_in_both_languages_with_a_kpi_and_funding():
    _scope, library = shipped()
    for action in library.actions:
        assert action.title.id != action.title.en, action.code  # translated, not copied
        assert len(action.description.id) >= 80, action.code  # says what is done, not a slogan
        assert action.kpi.unit.id and action.funding, action.code


def test_action_codes_follow_their_indicator():
    _scope, library = shipped()
    for action in library.actions:
        assert action.code.startswith(action.indicator + "-"), action.code


def test_prerequisites_point_mostly_at_readiness_or_spbe_indicators():
    _scope, library = shipped()
    targets = [p.indicator for a in library.actions for p in a.prerequisites]
    readiness = [code for code in targets if code.split(".")[0] in {"STR", "INF", "SUP"}]
    spbe = [code for code in targets if code.startswith(("GOV.G2", "GOV.G3.1"))]
    assert targets
    assert len(readiness) + len(spbe) >= 0.7 * len(targets)
