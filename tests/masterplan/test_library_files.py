"""Action library files: every validation rule of docs/action-library-format.md, with its path.

No database: a library is checked against a framework scope given as plain data. Each bad file is
a valid small library with one deliberate change, so every path below is concrete, and a bad file
gives no result at all (all-or-nothing).
"""

import copy

import pytest
import yaml
from django.utils import translation

from masterplan.library_files import (
    FrameworkScope,
    LibraryFileError,
    Prerequisite,
    framework_scope,
    parse_library_text,
    read_library_file,
    uncovered_steps,
)
from smartcity.framework_files import FrameworkFileError, FrameworkProblem, read_framework_file
from tests.conftest import PROJECT_ROOT

SCOPE = FrameworkScope(
    slug="uji", version=2, levels=(0, 1, 2, 3), indicator_codes=frozenset({"A.1", "A.2", "R.1"})
)


@pytest.fixture(autouse=True)
def english():
    """The project's LANGUAGE_CODE is "id"; the messages asserted here are the English ones."""
    with translation.override("en"):
        yield


def text(indonesian: str, english: str) -> dict:
    return {"id": indonesian, "en": english}


def action(code: str, indicator: str, low: int, high: int, **changes) -> dict:
    entry = {
        "code": code,
        "indicator": indicator,
        "from_level": low,
        "to_level": high,
        "title": text(f"Aksi {code}", f"Action {code}"),
        "description": text("Uraian aksi.", "What the action does."),
        "lead": "KOMINFO",
        "partners": ["BAPPEDA", "KAMPUS"],
        "months": 6,
        "cost_band": "KECIL",
        "kpi": {"name": text("Capaian", "Result"), "unit": text("persen", "percent")},
        "funding": ["APBD"],
    }
    entry.update(changes)
    return entry


def library() -> dict:
    return {
        "framework": {"slug": "uji", "version": 2},
        "version": 1,
        "title": text("Pustaka uji", "Test library"),
        "opd_types": [
            {"code": "KOMINFO", "name": text("Diskominfo", "ICT office")},
            {"code": "BAPPEDA", "name": text("Bappeda", "Planning agency")},
        ],
        "partner_types": [{"code": "KAMPUS", "name": text("Kampus", "Universities")}],
        "funding_sources": [
            {"code": "APBD", "name": text("APBD", "Regional budget")},
            {"code": "CSR", "name": text("CSR", "CSR")},
        ],
        "cost_bands": [
            {
                "code": "KECIL",
                "label": text("< 100 juta", "< 100 million"),
                "from": 0,
                "to": 100_000_000,
                "budget": 75_000_000,
                "quick_win": True,
            },
            {
                "code": "BESAR",
                "label": text(">= 100 juta", ">= 100 million"),
                "from": 100_000_000,
                "budget": 500_000_000,
            },
        ],
        "actions": [
            action("R.1-01", "R.1", 0, 2),
            action("A.1-01", "A.1", 0, 3, prerequisites=[{"indicator": "R.1", "level": 2}]),
        ],
    }


def parse(document: dict):
    return parse_library_text(yaml.safe_dump(document, allow_unicode=True), SCOPE)


def problems(document: dict) -> list[str]:
    with pytest.raises(LibraryFileError) as caught:
        parse(document)
    assert all(isinstance(p, FrameworkProblem) for p in caught.value.problems)
    return [str(p) for p in caught.value.problems]


def changed(change) -> list[str]:
    document = copy.deepcopy(library())
    change(document)
    return problems(document)


# --- a valid file ----------------------------------------------------------------------------
def test_a_valid_library_reads_into_frozen_dataclasses():
    spec = parse(library())
    assert (spec.framework_slug, spec.framework_version, spec.version) == ("uji", 2, 1)
    first, second = spec.actions
    assert (first.code, first.from_level, first.to_level, first.prerequisites) == (
        "R.1-01",
        0,
        2,
        (),
    )
    assert second.prerequisites == (Prerequisite("R.1", 2),)
    assert second.partners == ("BAPPEDA", "KAMPUS")
    assert spec.cost_band("KECIL").budget == 75_000_000
    assert spec.cost_band("BESAR").upper is None
    assert [band.quick_win for band in spec.cost_bands] == [True, False]
    with pytest.raises(AttributeError):
        first.months = 3  # frozen


def test_the_content_hash_ignores_formatting_and_changes_with_the_content():
    document = library()
    flow = yaml.safe_dump(document, default_flow_style=True)
    assert parse_library_text(flow, SCOPE).content_hash == parse(document).content_hash
    document["actions"][0]["months"] = 7
    assert parse(document).content_hash != parse(library()).content_hash


def test_uncovered_steps_lists_what_the_fallback_must_fill():
    spec = parse(library())
    assert uncovered_steps(spec, SCOPE) == [("A.2", 1), ("A.2", 2), ("A.2", 3), ("R.1", 3)]
    assert len(uncovered_steps(None, SCOPE)) == 9


def test_the_scope_of_a_framework_file_holds_its_identity_levels_and_indicators():
    framework = read_framework_file(PROJECT_ROOT / "tests/fixtures/frameworks/three-level.yaml")
    scope = framework_scope(framework)
    assert (scope.slug, scope.version) == (framework.slug, framework.version)
    assert scope.levels == tuple(level.value for level in framework.levels)
    assert scope.indicator_codes == {i.code for i in framework.indicators()}


# --- YAML and the file itself -----------------------------------------------------------------
def test_a_key_given_twice_is_refused_with_its_line():
    text_with_duplicate = yaml.safe_dump(library()) + "version: 2\n"
    with pytest.raises(LibraryFileError) as caught:
        parse_library_text(text_with_duplicate, SCOPE)
    assert "duplicate key 'version'" in str(caught.value)
    assert str(caught.value).startswith("line ")


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "library.yaml"
    path.write_bytes("title: caf\xe9".encode("latin-1"))
    with pytest.raises(LibraryFileError, match="not UTF-8"):
        read_library_file(path, SCOPE)


def test_library_errors_are_framework_file_errors_for_callers_that_catch_both():
    assert issubclass(LibraryFileError, FrameworkFileError)


def test_the_top_level_must_be_a_mapping_with_known_keys():
    assert problems(["a", "list"]) == ["(top level): must be a mapping of keys to values."]

    def broken(document):
        document["colour"] = "blue"
        del document["title"]

    assert changed(broken) == ["colour: unknown key.", "title: is required."]


def test_the_library_must_serve_the_framework_it_is_checked_against():
    def other_version(document):
        document["framework"]["version"] = 1

    assert changed(other_version) == [
        "framework: this library serves uji v1, not the framework uji v2."
    ]


# --- controlled lists --------------------------------------------------------------------------
def test_codes_are_unique_across_the_three_lists():
    def duplicate(document):
        document["partner_types"].append({"code": "APBD", "name": text("x", "y")})
        document["funding_sources"].append({"code": "APBD", "name": text("x", "y")})

    assert changed(duplicate) == [
        "funding_sources[0].code: code APBD is already used at partner_types[1].code.",
        "funding_sources[2].code: code APBD is already used at partner_types[1].code.",
    ]


def test_a_controlled_list_entry_needs_a_code_and_both_names():
    def broken(document):
        document["opd_types"][1] = {"code": "BAD CODE", "name": {"id": "Bappeda"}}

    assert changed(broken) == [
        "opd_types[1].code: 'BAD CODE' may hold only letters, digits, '.', '-' and '_'.",
        "opd_types[1].name.en: is required.",
        # the actions naming BAPPEDA as a partner now name an unknown type
        "actions[0].partners[0]: BAPPEDA is not an OPD or partner type defined in this file "
        "(KOMINFO, BAD CODE, KAMPUS).",
        "actions[1].partners[0]: BAPPEDA is not an OPD or partner type defined in this file "
        "(KOMINFO, BAD CODE, KAMPUS).",
    ]


# --- cost bands ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("from", -1, "cost_bands[0].from: must be at least 0."),
        ("from", "nol", "cost_bands[0].from: must be a whole number."),
        ("from", 1.5, "cost_bands[0].from: must be a whole number."),
        ("budget", True, "cost_bands[0].budget: must be a whole number."),
        ("budget", 10**15, "cost_bands[0].budget: must be below 1000000000000000."),
        ("quick_win", "ya", "cost_bands[0].quick_win: must be true or false."),
    ],
)
def test_cost_band_amounts_are_whole_non_negative_rupiah(key, value, message):
    def broken(document):
        document["cost_bands"][0][key] = value

    assert message in changed(broken)


def test_cost_bands_start_at_zero_and_follow_each_other_without_gap_or_overlap():
    def gap(document):
        document["cost_bands"][1]["from"] = 150_000_000

    assert changed(gap) == [
        "cost_bands[1].from: must be 100000000: bands start at 0, each where the previous one ends."
    ]

    def late_start(document):
        document["cost_bands"][0]["from"] = 10

    assert changed(late_start) == [
        "cost_bands[0].from: must be 0: bands start at 0, each where the previous one ends."
    ]


def test_only_the_last_cost_band_may_be_open_and_budgets_lie_inside_their_band():
    def open_first(document):
        del document["cost_bands"][0]["to"]

    assert changed(open_first) == ["cost_bands[0].to: is required on every band but the last."]

    def outside(document):
        document["cost_bands"][0]["budget"] = 100_000_000
        document["cost_bands"][1]["budget"] = 99

    assert changed(outside) == [
        "cost_bands[0].budget: must lie inside the band.",
        "cost_bands[1].budget: must lie inside the band.",
    ]

    def upside_down(document):
        document["cost_bands"][0]["to"] = 0
        document["cost_bands"][1]["from"] = 0

    assert "cost_bands[0].to: must be greater than 'from'." in changed(upside_down)


# --- actions ---------------------------------------------------------------------------------
def test_an_action_names_an_indicator_of_the_framework_and_levels_of_its_scale():
    def broken(document):
        document["actions"][0].update(indicator="Z.9", from_level=-1, to_level=4)

    assert changed(broken) == [
        "actions[0].indicator: Z.9 is not an indicator of the framework uji v2.",
        "actions[0].from_level: -1 is not a level of the scale (0 to 3).",
        "actions[0].to_level: 4 is not a level of the scale (0 to 3).",
    ]


def test_an_action_goes_up():
    def down(document):
        document["actions"][0].update(from_level=2, to_level=2)

    assert changed(down) == ["actions[0].to_level: must be above from_level."]


def test_action_codes_are_unique():
    def twice(document):
        document["actions"][1]["code"] = "R.1-01"

    assert changed(twice) == ["actions[1].code: code R.1-01 is already used at actions[0].code."]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "actions[0].months: must be at least 1."),
        (-3, "actions[0].months: must be at least 1."),
        (121, "actions[0].months: must be at most 120."),
        ("enam", "actions[0].months: must be a whole number."),
        (6.5, "actions[0].months: must be a whole number."),
    ],
)
def test_months_are_a_whole_number_from_1_to_120(value, message):
    def broken(document):
        document["actions"][0]["months"] = value

    assert changed(broken) == [message]


def test_lead_partners_cost_band_and_funding_come_from_the_lists_of_the_file():
    def broken(document):
        document["actions"][0].update(
            lead="KAMPUS",  # a partner type, not an OPD type
            partners=["KOMINFO", "DINAS_X", "BAPPEDA", "BAPPEDA"],
            cost_band="SEDANG",
            funding=["APBD", "PINJAMAN"],
        )

    assert changed(broken) == [
        "actions[0].lead: KAMPUS is not an OPD type defined in this file (KOMINFO, BAPPEDA).",
        "actions[0].partners[1]: DINAS_X is not an OPD or partner type defined in this file "
        "(KOMINFO, BAPPEDA, KAMPUS).",
        "actions[0].partners[3]: BAPPEDA is listed twice.",
        "actions[0].cost_band: SEDANG is not a cost band defined in this file (KECIL, BESAR).",
        "actions[0].funding[1]: PINJAMAN is not a funding source defined in this file (APBD, CSR).",
    ]


def test_the_lead_is_not_also_a_partner_and_funding_is_not_empty():
    def broken(document):
        document["actions"][0].update(partners=["KOMINFO"], funding=[])

    assert changed(broken) == [
        "actions[0].partners: KOMINFO is already the lead.",
        "actions[0].funding: must not be empty.",
    ]


def test_an_action_needs_every_required_key_and_both_languages():
    def broken(document):
        entry = document["actions"][0]
        del entry["kpi"], entry["title"]["en"]
        entry["description"]["id"] = "  "
        entry["owner"] = "someone"

    assert changed(broken) == [
        "actions[0].owner: unknown key.",
        "actions[0].kpi: is required.",
        "actions[0].title.en: is required.",
        "actions[0].description.id: must be a non-empty text.",
    ]


# --- prerequisites ---------------------------------------------------------------------------
def test_a_prerequisite_names_another_known_indicator_at_a_level_of_the_scale():
    def broken(document):
        document["actions"][1]["prerequisites"] = [
            {"indicator": "A.1", "level": 2},
            {"indicator": "Q.7", "level": 9},
            {"indicator": "A.2", "level": 0},
            {"indicator": "R.1", "level": 1},
            {"indicator": "R.1", "level": 2},
        ]

    assert changed(broken) == [
        "actions[1].prerequisites[0].indicator: an action's own indicator is reached step by "
        "step; name another one.",
        "actions[1].prerequisites[1].indicator: Q.7 is not an indicator of the framework uji v2.",
        "actions[1].prerequisites[1].level: 9 is not a level of the scale (0 to 3).",
        "actions[1].prerequisites[2].level: the lowest level is always reached; name a higher one.",
        "actions[1].prerequisites[4].indicator: R.1 is listed twice.",
    ]


def test_prerequisites_that_wait_on_each_other_are_refused():
    def cycle(document):
        # A.1 from level 0 needs R.1 at 2, and R.1 from level 0 now needs A.1 at 1.
        document["actions"][0]["prerequisites"] = [{"indicator": "A.1", "level": 1}]

    assert changed(cycle) == [
        "actions[1].prerequisites: the prerequisites of the actions wait on each other in a cycle."
    ]


def test_prerequisites_in_a_chain_without_a_cycle_are_accepted():
    document = library()
    document["actions"].append(
        action("R.1-02", "R.1", 2, 3, prerequisites=[{"indicator": "A.1", "level": 3}])
    )
    document["actions"].append(
        action("A.2-01", "A.2", 0, 3, prerequisites=[{"indicator": "R.1", "level": 3}])
    )
    assert len(parse(document).actions) == 4


def test_every_problem_is_reported_at_once_and_nothing_is_returned():
    def many(document):
        document["version"] = 0
        document["actions"][0]["months"] = "x"
        document["actions"][1]["lead"] = "NOBODY"

    assert changed(many) == [
        "version: must be at least 1.",
        "actions[0].months: must be a whole number.",
        "actions[1].lead: NOBODY is not an OPD type defined in this file (KOMINFO, BAPPEDA).",
    ]
