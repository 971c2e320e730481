"""Framework files: every validation rule of docs/framework-format.md, each with its exact path.

Each bad file goes through `manage.py load_framework`: the command must fail with every problem
(path and reason) and write nothing at all. The inputs are the valid test frameworks in
tests/fixtures/frameworks/ with one deliberate change each, so every path below is concrete.
"""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from smartcity.framework_files import (
    FrameworkFileError,
    FrameworkProblem,
    parse_framework_text,
    read_framework_file,
)
from smartcity.models import (
    CrosswalkEntry,
    Element,
    Framework,
    Indicator,
    LevelDescriptor,
    Pillar,
    PredikatBand,
    ScaleLevel,
)
from tests.helpers import TEST_FRAMEWORKS

THREE_LEVEL = TEST_FRAMEWORKS / "three-level.yaml"
TEN_LEVEL = TEST_FRAMEWORKS / "ten-level.yaml"
THREE_LEVEL_V2 = TEST_FRAMEWORKS / "three-level-v2.yaml"

# Paths into three-level.yaml.
A1_1 = "pillars[0].elements[0].indicators[0]"  # LAY.A1.1: levels 1-3, `next` on 1 and 2
A1_2 = "pillars[0].elements[0].indicators[1]"  # LAY.A1.2: no `next`
B1_1 = "pillars[1].elements[0].indicators[0]"  # LIN.B1.1
STORED_MODELS = (
    Framework,
    ScaleLevel,
    PredikatBand,
    Pillar,
    Element,
    Indicator,
    LevelDescriptor,
    CrosswalkEntry,
)
# The messages asserted here are the English ones.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BAND_GAP = "must equal the previous band's 'to' (%s): bands may not leave a gap or overlap."
DESCRIBE = "must describe the levels %s once each, in order (found %s)."


# --- helpers ---------------------------------------------------------------------------------
def text(indonesian: str, english: str) -> dict:
    return {"id": indonesian, "en": english}


def three_level() -> dict:
    return yaml.safe_load(THREE_LEVEL.read_text(encoding="utf-8"))


def ten_level() -> dict:
    return yaml.safe_load(TEN_LEVEL.read_text(encoding="utf-8"))


def indicator(document: dict, pillar: int, element: int, index: int) -> dict:
    return document["pillars"][pillar]["elements"][element]["indicators"][index]


def tiny(values: list[int], generic: tuple[int, ...] = ()) -> dict:
    """A one-indicator framework on the scale `values`; valid whenever the scale itself is."""
    described = [value for value in values if value not in generic]
    return {
        "slug": "kecil",
        "version": 1,
        "title": text("Kecil", "Small"),
        "scale": {
            "levels": [
                {
                    "value": value,
                    "label": text(f"Tingkat {value}", f"Level {value}"),
                    "description": text("Umum.", "Generic."),
                    **({"generic": True} if value in generic else {}),
                }
                for value in values
            ]
        },
        "bands": [{"label": text("Semua", "All"), "from": min(values), "to": max(values)}],
        "pillars": [
            {
                "code": "P",
                "kind": "dimension",
                "name": text("Pilar", "Pillar"),
                "elements": [
                    {
                        "code": "P.1",
                        "name": text("Elemen", "Element"),
                        "indicators": [
                            {
                                "code": "P.1.1",
                                "name": text("Indikator", "Indicator"),
                                "levels": [
                                    {"level": value, "id": f"Isi {value}.", "en": f"Text {value}."}
                                    for value in described
                                ],
                            }
                        ],
                    }
                ],
            }
        ],
    }


def write(tmp_path: Path, content: dict | str | bytes, name: str = "framework.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, dict):
        content = yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def stored_rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in STORED_MODELS}


NOTHING_STORED = {model.__name__: 0 for model in STORED_MODELS}


def refused(tmp_path: Path, content: dict | str | bytes) -> list[tuple[str, str]]:
    """Load `content` with the command; it must fail, write nothing, and name every problem."""
    path = write(tmp_path, content)
    with pytest.raises(FrameworkFileError) as read_error:
        read_framework_file(path)
    problems = read_error.value.problems
    with pytest.raises(CommandError) as command_error:
        call_command("load_framework", str(path), stdout=StringIO())
    assert str(command_error.value) == f"{path}: nothing was loaded:\n" + "\n".join(
        f"  {problem}" for problem in problems
    )
    assert stored_rows() == NOTHING_STORED
    return [(problem.path, problem.message) for problem in problems]


# --- the test inputs themselves are valid -------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "indicators"), [(THREE_LEVEL, 4), (TEN_LEVEL, 4), (THREE_LEVEL_V2, 5)]
)
def test_test_frameworks_are_valid(path, indicators):
    assert len(read_framework_file(path).indicators()) == indicators


def test_a_round_trip_through_yaml_dump_keeps_the_content():
    """The mutations below start from a yaml.safe_dump of the file: the same content."""
    assert (
        parse_framework_text(yaml.safe_dump(three_level())).content_hash
        == read_framework_file(THREE_LEVEL).content_hash
    )


# --- required and unknown keys --------------------------------------------------------------
@pytest.mark.parametrize(
    ("where", "key", "problems"),
    [
        ((), "slug", [("slug", "is required.")]),
        ((), "version", [("version", "is required.")]),
        ((), "title", [("title", "is required.")]),
        ((), "scale", [("scale", "is required.")]),
        ((), "bands", [("bands", "is required.")]),
        ((), "pillars", [("pillars", "is required.")]),
        (("scale",), "levels", [("scale.levels", "is required.")]),
        (("scale", "levels", 0), "description", [("scale.levels[0].description", "is required.")]),
        (("bands", 1), "label", [("bands[1].label", "is required.")]),
        (("pillars", 1), "kind", [("pillars[1].kind", "is required.")]),
        (("pillars", 1), "elements", [("pillars[1].elements", "is required.")]),
        (("pillars", 0, "elements", 1), "code", [("pillars[0].elements[1].code", "is required.")]),
        (
            ("pillars", 0, "elements", 0, "indicators", 1),
            "name",
            [(f"{A1_2}.name", "is required.")],
        ),
        (
            ("pillars", 1, "elements", 0, "indicators", 0),
            "levels",
            [(f"{B1_1}.levels", "is required.")],
        ),
        (
            ("pillars", 0, "elements", 0, "indicators", 1, "levels", 2),
            "id",
            [(f"{A1_2}.levels[2].id", "is required.")],
        ),
        (
            ("pillars", 0, "elements", 0, "indicators", 0, "levels", 0),
            "level",
            [
                (f"{A1_1}.levels[0].level", "is required."),
                (f"{A1_1}.levels", DESCRIBE % ("1, 2, 3", "2, 3")),
            ],
        ),
    ],
)
def test_a_missing_required_key_is_named(tmp_path, where, key, problems):
    document = three_level()
    target = document
    for step in where:
        target = target[step]
    del target[key]
    assert refused(tmp_path, document) == problems


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        (
            lambda d: indicator(d, 0, 0, 0).update(alow_na=True),
            [(f"{A1_1}.alow_na", "unknown key.")],
        ),
        (
            lambda d: d.update(versoin=d.pop("version")),
            [("versoin", "unknown key."), ("version", "is required.")],
        ),
        (
            lambda d: d["scale"]["levels"][0].update(generik=True),
            [("scale.levels[0].generik", "unknown key.")],
        ),
        (
            lambda d: indicator(d, 0, 0, 1)["levels"][0].update(nxt=text("Lanjut", "Next")),
            [(f"{A1_2}.levels[0].nxt", "unknown key.")],
        ),
        (
            lambda d: d["pillars"][0]["name"].update(fr="Services"),
            [("pillars[0].name.fr", "unknown key.")],
        ),
    ],
)
def test_an_unknown_key_is_refused(tmp_path, change, problems):
    document = three_level()
    change(document)
    assert refused(tmp_path, document) == problems


@pytest.mark.parametrize("content", ["", "# only a comment\n", "- slug: tiga-tingkat\n", "42\n"])
def test_a_document_that_is_not_a_mapping(tmp_path, content):
    assert refused(tmp_path, content) == [("(top level)", "must be a mapping of keys to values.")]


# --- texts ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "problems"),
    [
        (
            lambda d: d["pillars"][1].update(name={"id": "Lingkungan"}),
            [("pillars[1].name.en", "is required.")],
        ),
        (
            lambda d: d["pillars"][1].update(name={"en": "Environment"}),
            [("pillars[1].name.id", "is required.")],
        ),
        (
            lambda d: d["pillars"][0].update(description={"id": "Layanan kepada warga."}),
            [("pillars[0].description.en", "is required.")],
        ),
        (
            lambda d: indicator(d, 0, 0, 0)["levels"][1].pop("en"),
            [(f"{A1_1}.levels[1].en", "is required.")],
        ),
        (
            lambda d: indicator(d, 0, 0, 0)["levels"][0].update(next={"id": "Buka formulir."}),
            [(f"{A1_1}.levels[0].next.en", "is required.")],
        ),
        (
            lambda d: d["bands"][0].update(label="Rendah"),
            [("bands[0].label", "must be a mapping of keys to values.")],
        ),
    ],
)
def test_a_text_needs_both_languages(tmp_path, change, problems):
    document = three_level()
    change(document)
    assert refused(tmp_path, document) == problems


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["scale"]["levels"][2]["label"].update(id="   "), "scale.levels[2].label.id"),
        (lambda d: d["pillars"][1]["name"].update(en=""), "pillars[1].name.en"),
        (
            lambda d: d["pillars"][0]["elements"][1]["name"].update(id=None),
            "pillars[0].elements[1].name.id",
        ),
        (lambda d: indicator(d, 0, 0, 1)["levels"][1].update(id=""), f"{A1_2}.levels[1].id"),
        (
            lambda d: indicator(d, 0, 0, 0)["levels"][1]["next"].update(en=" "),
            f"{A1_1}.levels[1].next.en",
        ),
        (lambda d: indicator(d, 1, 0, 0)["name"].update(en=12), f"{B1_1}.name.en"),
    ],
)
def test_an_empty_text_is_refused(tmp_path, change, path):
    document = three_level()
    change(document)
    assert refused(tmp_path, document) == [(path, "must be a non-empty text.")]


def test_a_name_longer_than_its_column_is_refused(tmp_path):
    document = three_level()
    document["pillars"][1]["name"]["id"] = "L" * 201
    document["scale"]["levels"][0]["label"]["en"] = "B" * 101
    assert refused(tmp_path, document) == [
        ("scale.levels[0].label.en", "is longer than 100 characters."),
        ("pillars[1].name.id", "is longer than 200 characters."),
    ]


# --- codes and slug -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "path", "code", "first"),
    [
        (lambda d: d["pillars"][1].update(code="LAY"), "pillars[1].code", "LAY", "pillars[0].code"),
        (
            lambda d: d["pillars"][1]["elements"][0].update(code="LAY"),
            "pillars[1].elements[0].code",
            "LAY",
            "pillars[0].code",
        ),
        (
            lambda d: indicator(d, 0, 1, 0).update(code="LAY.A1"),
            "pillars[0].elements[1].indicators[0].code",
            "LAY.A1",
            "pillars[0].elements[0].code",
        ),
        (
            lambda d: indicator(d, 1, 0, 0).update(code="LAY.A1.2"),
            f"{B1_1}.code",
            "LAY.A1.2",
            f"{A1_2}.code",
        ),
    ],
    ids=["pillar-pillar", "element-pillar", "indicator-element", "indicator-indicator"],
)
def test_a_code_used_twice_names_its_first_use(tmp_path, change, path, code, first):
    document = three_level()
    change(document)
    assert refused(tmp_path, document) == [(path, f"code {code} is already used at {first}.")]


@pytest.mark.parametrize("code", ["LAY A1.1", ".LAY.A1.1", "LAY/A1.1", "LAY.A1.1!", "LAYÄ.1"])
def test_a_code_with_other_characters_is_refused(tmp_path, code):
    document = three_level()
    indicator(document, 0, 0, 0)["code"] = code
    assert refused(tmp_path, document) == [
        (f"{A1_1}.code", f"'{code}' may hold only letters, digits, '.', '-' and '_'.")
    ]


def test_codes_may_hold_letters_digits_dots_dashes_and_underscores():
    document = three_level()
    indicator(document, 0, 0, 0)["code"] = "lay.A1-x_9"
    spec = parse_framework_text(yaml.safe_dump(document))
    assert spec.pillars[0].elements[0].indicators[0].code == "lay.A1-x_9"


def test_a_code_longer_than_30_characters_is_refused(tmp_path):
    document = three_level()
    indicator(document, 0, 0, 0)["code"] = "LAY.A1." + "X" * 24
    assert refused(tmp_path, document) == [(f"{A1_1}.code", "is longer than 30 characters.")]


@pytest.mark.parametrize(
    "slug", ["Tiga-Tingkat", "tiga_tingkat", "tiga--tingkat", "-tiga", "tiga-", "tiga tingkat"]
)
def test_a_bad_slug_is_refused(tmp_path, slug):
    document = three_level()
    document["slug"] = slug
    assert refused(tmp_path, document) == [("slug", "use lowercase letters, digits and '-' only.")]


@pytest.mark.parametrize(
    ("slug", "problem"),
    [
        ("a" * 51, "is longer than 50 characters."),
        (17, "must be a non-empty text."),
        ("", "must be a non-empty text."),
    ],
)
def test_a_slug_that_is_not_short_text_is_refused(tmp_path, slug, problem):
    document = three_level()
    document["slug"] = slug
    assert refused(tmp_path, document) == [("slug", problem)]


# --- version --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("version", "problem"),
    [
        (0, "must be at least 1."),
        (-3, "must be at least 1."),
        ("1", "must be a whole number."),
        (1.5, "must be a whole number."),
        (True, "must be a whole number."),
        (None, "must be a whole number."),
    ],
)
def test_a_version_that_is_not_a_positive_whole_number_is_refused(tmp_path, version, problem):
    document = three_level()
    document["version"] = version
    assert refused(tmp_path, document) == [("version", problem)]


# --- scale ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("values", "generic"), [([1, 2], ()), ([0, 1], (0,)), (list(range(10)), (0,)), ([3, 4, 5], ())]
)
def test_a_scale_of_2_to_10_levels_is_accepted(values, generic):
    spec = parse_framework_text(yaml.safe_dump(tiny(values, generic)))
    assert [level.value for level in spec.levels] == values
    assert [level.value for level in spec.levels if level.generic] == list(generic)


def test_a_scale_of_one_level_is_refused(tmp_path):
    assert refused(tmp_path, tiny([1])) == [
        ("scale.levels", "needs at least 2 entries."),
        ("bands[0]", "'from' must be lower than 'to'."),
    ]


def test_a_scale_of_eleven_levels_is_refused(tmp_path):
    assert refused(tmp_path, tiny(list(range(11)), (0,))) == [
        ("scale.levels", "has more than 10 levels.")
    ]


def test_an_empty_scale_is_refused(tmp_path):
    document = tiny([1, 2])
    document["scale"]["levels"] = []
    assert refused(tmp_path, document) == [("scale.levels", "must not be empty.")]


@pytest.mark.parametrize(
    ("values", "path", "expected", "found"),
    [
        ([1, 2, 4], "scale.levels[2].value", 3, 4),
        ([2, 1], "scale.levels[1].value", 3, 1),
        ([1, 1, 2], "scale.levels[1].value", 2, 1),
        ([0, 1, 3, 4], "scale.levels[2].value", 2, 3),
    ],
)
def test_levels_must_go_up_by_one(tmp_path, values, path, expected, found):
    assert refused(tmp_path, tiny(values)) == [
        (path, f"levels must go up by one: expected {expected}, found {found}.")
    ]


@pytest.mark.parametrize(
    ("value", "problem"), [(-1, "must be at least 0."), ("1", "must be a whole number.")]
)
def test_a_level_value_must_be_a_whole_number_from_zero(tmp_path, value, problem):
    document = three_level()
    document["scale"]["levels"][0]["value"] = value
    problems = refused(tmp_path, document)
    assert problems[0] == ("scale.levels[0].value", problem)


def test_a_scale_of_only_generic_levels_is_refused(tmp_path):
    assert refused(tmp_path, tiny([0, 1], (0, 1))) == [
        ("scale.levels", "at least one level must not be generic."),
        ("pillars[0].elements[0].indicators[0].levels", "must not be empty."),
    ]


def test_generic_must_be_true_or_false(tmp_path):
    document = three_level()
    document["scale"]["levels"][0]["generic"] = "ya"
    assert refused(tmp_path, document) == [("scale.levels[0].generic", "must be true or false.")]


# --- bands ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "problems"),
    [
        ({(1, "from"): 1.8}, [("bands[1].from", BAND_GAP % "1.75")]),  # gap
        ({(2, "from"): 2}, [("bands[2].from", BAND_GAP % "2.375")]),  # overlap
        (
            {(0, "from"): 0},
            [("bands[0].from", "the first band must start at the lowest level (1).")],
        ),
        (
            {(0, "from"): 1.5},
            [("bands[0].from", "the first band must start at the lowest level (1).")],
        ),
        ({(2, "to"): 3.5}, [("bands[2].to", "the last band must end at the highest level (3).")]),
        ({(2, "to"): 2.9}, [("bands[2].to", "the last band must end at the highest level (3).")]),
        ({(1, "to"): 1.5, (2, "from"): 1.5}, [("bands[1]", "'from' must be lower than 'to'.")]),
        ({(1, "to"): 1.75, (2, "from"): 1.75}, [("bands[1]", "'from' must be lower than 'to'.")]),
        # A broken band is reported once; its neighbour is not blamed for it.
        ({(1, "to"): "dua"}, [("bands[1].to", "must be a number.")]),
        ({(1, "to"): True}, [("bands[1].to", "must be a number.")]),
    ],
    ids=[
        "gap",
        "overlap",
        "start-low",
        "start-high",
        "end-high",
        "end-low",
        "from>to",
        "from=to",
        "not-a-number",
        "bool",
    ],
)
def test_bands_must_cover_the_scale_without_gap_or_overlap(tmp_path, change, problems):
    document = three_level()
    for (index, key), value in change.items():
        document["bands"][index][key] = value
    assert refused(tmp_path, document) == problems


def test_bands_must_not_be_empty(tmp_path):
    document = three_level()
    document["bands"] = []
    assert refused(tmp_path, document) == [("bands", "must not be empty.")]


def test_a_single_band_over_the_whole_scale_is_accepted():
    document = three_level()
    document["bands"] = [{"label": text("Semua", "All"), "from": 1, "to": 3}]
    assert parse_framework_text(yaml.safe_dump(document)).bands[0].upper == "3"


# --- weights --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (0, "must be greater than zero."),
        (0.0, "must be greater than zero."),
        (-1, "must be greater than zero."),
        ("-0.5", "must be greater than zero."),
        ("berat", "must be a number."),
        (True, "must be a number."),
        (None, "must be a number."),
        (float("nan"), "must be a number."),
        ([1], "must be a number."),
    ],
)
@pytest.mark.parametrize(
    ("where", "path"),
    [
        (lambda d: d["pillars"][1], "pillars[1].weight"),
        (lambda d: d["pillars"][0]["elements"][1], "pillars[0].elements[1].weight"),
        (lambda d: indicator(d, 0, 0, 1), f"{A1_2}.weight"),
    ],
    ids=["pillar", "element", "indicator"],
)
def test_a_weight_must_be_a_number_above_zero(tmp_path, where, path, value, problem):
    document = three_level()
    where(document)["weight"] = value
    assert refused(tmp_path, document) == [(path, problem)]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        # Found by the fuzzer: a number of more than 25 digits once raised InvalidOperation.
        (1e25, "must be below 100000."),
        ("1e30", "must be below 100000."),
        (100000, "must be below 100000."),
        (0.0001, "may have at most three decimals."),
    ],
)
def test_a_weight_must_fit_the_database(tmp_path, value, problem):
    document = three_level()
    indicator(document, 0, 0, 1)["weight"] = value
    assert refused(tmp_path, document) == [(f"{A1_2}.weight", problem)]


# --- indicators -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (4, "4 is not a level of the scale (1 to 3)."),
        (0, "0 is not a level of the scale (1 to 3)."),
        (-1, "-1 is not a level of the scale (1 to 3)."),
        ("2", "must be a whole number."),
        (2.5, "must be a whole number."),
        (True, "must be a whole number."),
    ],
)
def test_evidence_from_level_must_be_a_level_of_the_scale(tmp_path, value, problem):
    document = three_level()
    indicator(document, 1, 0, 0)["evidence_from_level"] = value
    assert refused(tmp_path, document) == [(f"{B1_1}.evidence_from_level", problem)]


def test_evidence_from_level_may_be_the_generic_level_zero():
    document = ten_level()
    indicator(document, 1, 0, 0)["evidence_from_level"] = 0
    spec = parse_framework_text(yaml.safe_dump(document))
    assert spec.pillars[1].elements[0].indicators[0].evidence_from_level == 0


@pytest.mark.parametrize("value", ["ya", 1, 0, None, "true"])
def test_allow_na_must_be_true_or_false(tmp_path, value):
    document = three_level()
    indicator(document, 0, 0, 1)["allow_na"] = value
    assert refused(tmp_path, document) == [(f"{A1_2}.allow_na", "must be true or false.")]


@pytest.mark.parametrize(
    ("levels", "found"),
    [
        ([1, 3], "1, 3"),  # a level missing
        ([1, 2, 2, 3], "1, 2, 2, 3"),  # described twice
        ([2, 1, 3], "2, 1, 3"),  # out of order
        ([1, 2, 3, 4], "1, 2, 3, 4"),  # beyond the scale
        ([], "-"),  # none at all
    ],
)
def test_descriptors_cover_every_level_once_in_order(tmp_path, levels, found):
    document = three_level()
    indicator(document, 0, 0, 1)["levels"] = [
        {"level": level, "id": f"Isi {level}.", "en": f"Text {level}."} for level in levels
    ]
    expected = [(f"{A1_2}.levels", DESCRIBE % ("1, 2, 3", found))]
    if not levels:
        expected.insert(0, (f"{A1_2}.levels", "must not be empty."))
    assert refused(tmp_path, document) == expected


def test_a_generic_level_is_not_described(tmp_path):
    document = ten_level()
    indicator(document, 1, 0, 1)["levels"].insert(0, {"level": 0, "id": "Nol.", "en": "Zero."})
    assert refused(tmp_path, document) == [
        (
            "pillars[1].elements[0].indicators[1].levels",
            DESCRIBE % ("1, 2, 3, 4, 5, 6, 7, 8, 9", "0, 1, 2, 3, 4, 5, 6, 7, 8, 9"),
        )
    ]


@pytest.mark.parametrize(
    ("load", "where", "path"),
    [
        (three_level, (0, 0, 1, 2), f"{A1_2}.levels[2].next"),
        (ten_level, (1, 0, 2, 8), "pillars[1].elements[0].indicators[2].levels[8].next"),
    ],
)
def test_the_top_level_has_no_next(tmp_path, load, where, path):
    document = load()
    pillar, element, index, level = where
    descriptor = indicator(document, pillar, element, index)["levels"][level]
    descriptor["next"] = text("Lebih lanjut.", "Further.")
    assert refused(tmp_path, document) == [(path, "the top level has no next level.")]


def test_next_may_be_left_out_below_the_top_level():
    document = three_level()
    del indicator(document, 0, 0, 0)["levels"][0]["next"]
    spec = parse_framework_text(yaml.safe_dump(document))
    levels = spec.pillars[0].elements[0].indicators[0].levels
    assert [d.next is None for d in levels] == [True, False, True]


# --- pillars and elements -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "problems"),
    [
        (
            lambda d: [p.update(kind="readiness") for p in d["pillars"]],
            [("pillars", "needs at least one pillar of kind 'dimension'.")],
        ),
        (
            lambda d: d["pillars"][1].update(kind="dimensi"),
            [("pillars[1].kind", "must be 'readiness' or 'dimension'.")],
        ),
        (
            lambda d: [p.update(kind="Dimension") for p in d["pillars"]],
            [
                ("pillars[0].kind", "must be 'readiness' or 'dimension'."),
                ("pillars[1].kind", "must be 'readiness' or 'dimension'."),
                ("pillars", "needs at least one pillar of kind 'dimension'."),
            ],
        ),
        (lambda d: d.update(pillars=[]), [("pillars", "must not be empty.")]),
        (lambda d: d.update(pillars="LAY"), [("pillars", "must be a list.")]),
        (
            lambda d: d["pillars"][1].update(elements=[]),
            [("pillars[1].elements", "must not be empty.")],
        ),
        (
            lambda d: d["pillars"][0]["elements"][1].update(indicators=[]),
            [("pillars[0].elements[1].indicators", "must not be empty.")],
        ),
        (
            lambda d: d["pillars"][0]["elements"][1].update(indicators=None),
            [("pillars[0].elements[1].indicators", "must be a list.")],
        ),
        (
            lambda d: d["pillars"][1]["elements"].append("LIN.B2"),
            [("pillars[1].elements[1]", "must be a mapping of keys to values.")],
        ),
    ],
    ids=[
        "no-dimension",
        "bad-kind",
        "capitalised-kinds",
        "no-pillars",
        "pillars-not-list",
        "no-elements",
        "no-indicators",
        "indicators-null",
        "element-not-mapping",
    ],
)
def test_pillars_elements_and_indicators(tmp_path, change, problems):
    document = three_level()
    change(document)
    assert refused(tmp_path, document) == problems


def test_readiness_pillars_are_optional_but_allowed():
    spec = read_framework_file(TEN_LEVEL)
    assert [(p.code, p.kind) for p in spec.pillars] == [("KES", "readiness"), ("DIM", "dimension")]
    assert {p.kind for p in read_framework_file(THREE_LEVEL).pillars} == {"dimension"}


# --- YAML and encoding ----------------------------------------------------------------------
def test_a_yaml_syntax_error_names_line_and_column(tmp_path):
    source = THREE_LEVEL.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    line = lines.index('      label: {id: "Berkembang", en: "Developing"}\n')
    lines[line] = '      label: {id: "Berkembang", en: "Developing"\n'  # no closing brace
    assert refused(tmp_path, "".join(lines)) == [
        (f"line {line + 2}, column 7", "not valid YAML: expected ',' or '}', but got '<scalar>'")
    ]


def test_a_tab_in_the_indentation_is_a_yaml_error(tmp_path):
    content = "slug: tiga-tingkat\nversion: 1\ntitle:\n\tid: Kerangka\n"
    assert refused(tmp_path, content) == [
        ("line 4, column 1", "not valid YAML: found character '\\t' that cannot start any token")
    ]


@pytest.mark.parametrize(
    ("after", "duplicate", "key"),
    [
        ("version: 1\n", "version: 2\n", "version"),
        ("            weight: 0.25\n", "            weight: 5\n", "weight"),
    ],
)
def test_a_key_given_twice_is_refused_not_overwritten(tmp_path, after, duplicate, key):
    lines = THREE_LEVEL.read_text(encoding="utf-8").splitlines(keepends=True)
    line = lines.index(after) + 1
    lines.insert(line, duplicate)
    column = len(duplicate) - len(duplicate.lstrip()) + 1
    assert refused(tmp_path, "".join(lines)) == [
        (f"line {line + 1}, column {column}", f"not valid YAML: duplicate key '{key}'")
    ]


def test_a_key_given_twice_in_a_flow_mapping_is_refused(tmp_path):
    twice = '{level: 2, id: "Pengaduan tercatat.", level: 3, en: "Recorded complaints."}'
    source = THREE_LEVEL.read_text(encoding="utf-8").replace(
        '{level: 2, id: "Pengaduan tercatat.", en: "Recorded complaints."}', twice
    )
    line = source.splitlines().index(f"              - {twice}")
    assert refused(tmp_path, source) == [
        (f"line {line + 1}, column 55", "not valid YAML: duplicate key 'level'")
    ]


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    source = THREE_LEVEL.read_text(encoding="utf-8").replace("Dasar", "Dásar")
    assert refused(tmp_path, source.encode("latin-1")) == [
        ("", "the file is not UTF-8 text; save it as UTF-8.")
    ]


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path):
    source = THREE_LEVEL.read_text(encoding="utf-8").replace("Dasar", "Dásar")
    path = write(tmp_path, source.encode("utf-8-sig"))
    assert read_framework_file(path).levels[0].label.id == "Dásar"


def test_yaml_tags_for_python_objects_are_refused(tmp_path):
    content = THREE_LEVEL.read_text(encoding="utf-8").replace(
        "version: 1\n", "version: !!python/object/apply:os.getpid []\n"
    )
    problems = refused(tmp_path, content)
    assert len(problems) == 1
    assert problems[0][0] == "line 4, column 10"
    assert problems[0][1].startswith(
        "not valid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.getpid'"
    )


# --- crosswalk (validation part; loading is in test_framework_load.py) -------------------------
def three_level_v2() -> dict:
    return yaml.safe_load(THREE_LEVEL_V2.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        (
            lambda d: d.pop("previous_version"),
            [
                (
                    "crosswalk",
                    "needs previous_version: a crosswalk maps the previous version's codes.",
                )
            ],
        ),
        (
            lambda d: d["crosswalk"][1].update(to=["LAY.A1.2", "LAY.A1.9"]),
            [("crosswalk[1].to[1]", "LAY.A1.9 is not an indicator of this version.")],
        ),
        (
            lambda d: d["crosswalk"][2].update(to="LAY.A2"),
            [("crosswalk[2].to[0]", "LAY.A2 is not an indicator of this version.")],
        ),
        (
            lambda d: d["crosswalk"][0].update(to=[]),
            [("crosswalk[0].to", "must not be empty.")],
        ),
        (
            lambda d: d["crosswalk"][0].pop("from"),
            [("crosswalk[0].from", "is required.")],
        ),
        (
            lambda d: d["crosswalk"][0].update(ke=["LAY.A1.1"]),
            [("crosswalk[0].ke", "unknown key.")],
        ),
        (
            lambda d: d.update(previous_version=2),
            [("previous_version", "must be lower than version.")],
        ),
        (
            lambda d: d.update(previous_version="1"),
            [
                ("previous_version", "must be a whole number."),
                (
                    "crosswalk",
                    "needs previous_version: a crosswalk maps the previous version's codes.",
                ),
            ],
        ),
    ],
    ids=[
        "no-previous-version",
        "unknown-target",
        "element-as-target",
        "no-targets",
        "no-from",
        "typo",
        "previous-not-lower",
        "previous-not-whole",
    ],
)
def test_crosswalk_rules(tmp_path, change, problems):
    document = three_level_v2()
    change(document)
    assert refused(tmp_path, document) == problems


# --- several problems -----------------------------------------------------------------------
def test_every_problem_of_a_file_is_reported_at_once_in_file_order(tmp_path):
    document = three_level()
    document["slug"] = "Tiga Tingkat"
    del document["scale"]["levels"][1]["label"]["en"]
    document["bands"][1]["from"] = 1.8
    indicator(document, 0, 0, 1)["weight"] = 0
    indicator(document, 1, 0, 0)["levels"][2]["next"] = text("Lagi.", "More.")
    indicator(document, 1, 0, 0)["allow_na"] = "tidak"
    assert refused(tmp_path, document) == [
        ("slug", "use lowercase letters, digits and '-' only."),
        ("scale.levels[1].label.en", "is required."),
        ("bands[1].from", BAND_GAP % "1.75"),
        (f"{A1_2}.weight", "must be greater than zero."),
        (f"{B1_1}.allow_na", "must be true or false."),
        (f"{B1_1}.levels[2].next", "the top level has no next level."),
    ]


def test_at_most_100_problems_are_reported(tmp_path):
    document = three_level()
    document["pillars"][0]["elements"][0]["indicators"] = [
        {"code": f"X{n}", "name": text("a", "b"), "levels": [], "weight": 0} for n in range(60)
    ]
    problems = refused(tmp_path, document)
    assert len(problems) == 100
    assert problems[:3] == [
        ("pillars[0].elements[0].indicators[0].weight", "must be greater than zero."),
        ("pillars[0].elements[0].indicators[0].levels", "must not be empty."),
        ("pillars[0].elements[0].indicators[0].levels", DESCRIBE % ("1, 2, 3", "-")),
    ]


# --- the command's own checks and messages in Indonesian -----------------------------------------
def test_a_file_that_does_not_exist(tmp_path):
    path = tmp_path / "tidak-ada.yaml"
    with pytest.raises(CommandError) as error:
        call_command("load_framework", str(path), stdout=StringIO())
    assert str(error.value) == f"{path}: no such file."
    assert stored_rows() == NOTHING_STORED


def test_problems_are_in_indonesian_when_indonesian_is_active():
    document = three_level()
    document["version"] = 0
    indicator(document, 0, 0, 0)["alow_na"] = True
    indicator(document, 0, 0, 1)["weight"] = 0
    del document["pillars"][1]["name"]["en"]
    with translation.override("id"), pytest.raises(FrameworkFileError) as error:
        parse_framework_text(yaml.safe_dump(document))
    assert error.value.problems == [
        FrameworkProblem("version", "paling kecil 1."),
        FrameworkProblem(f"{A1_1}.alow_na", "kunci tidak dikenal."),
        FrameworkProblem(f"{A1_2}.weight", "harus lebih besar dari nol."),
        FrameworkProblem("pillars[1].name.en", "wajib diisi."),
    ]


def test_scale_problems_are_in_indonesian_when_indonesian_is_active():
    with translation.override("id"), pytest.raises(FrameworkFileError) as error:
        parse_framework_text(yaml.safe_dump(tiny([1, 2, 4])))
    assert [str(problem) for problem in error.value.problems] == [
        "scale.levels[2].value: level harus naik satu per satu: seharusnya 3, ditemukan 4."
    ]


def test_yaml_and_encoding_problems_are_in_indonesian_when_indonesian_is_active(tmp_path):
    with translation.override("id"):
        with pytest.raises(FrameworkFileError) as yaml_error:
            parse_framework_text("slug: a\nslug: b\n")
        with pytest.raises(FrameworkFileError) as top_error:
            parse_framework_text("- a\n")
        with pytest.raises(FrameworkFileError) as encoding_error:
            read_framework_file(write(tmp_path, "slug: Dásar\n".encode("latin-1")))
    assert yaml_error.value.problems == [
        FrameworkProblem("baris 2, kolom 1", "bukan YAML yang sah: duplicate key 'slug'")
    ]
    assert top_error.value.problems == [
        FrameworkProblem("(tingkat teratas)", "harus berupa pemetaan kunci ke nilai.")
    ]
    assert [str(p) for p in encoding_error.value.problems] == [
        "berkas bukan teks UTF-8; simpan ulang sebagai UTF-8."
    ]


def test_a_problem_prints_as_path_and_message():
    assert str(FrameworkProblem("slug", "is required.")) == "slug: is required."
    assert str(FrameworkProblem("", "the file is not UTF-8 text.")) == "the file is not UTF-8 text."
    error = FrameworkFileError([FrameworkProblem("a", "x."), FrameworkProblem("b", "y.")])
    assert str(error) == "a: x.\nb: y."


# --- Former bugs, found by these tests ---
def problems_of(content: dict) -> list[tuple[str, str]]:
    with pytest.raises(FrameworkFileError) as error:
        parse_framework_text(yaml.safe_dump(content, allow_unicode=True))
    return [(problem.path, problem.message) for problem in error.value.problems]


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("title", "Judul saja", ("title", "must be a mapping of keys to values.")),
        ("title", {"id": "Judul"}, ("title.en", "is required.")),
        ("title", {"id": "Judul", "en": " "}, ("title.en", "must be a non-empty text.")),
        ("title", {"id": "J", "en": "T" * 201}, ("title.en", "is longer than 200 characters.")),
        ("description", {"id": "Uraian"}, ("description.en", "is required.")),
    ],
)
def test_former_bug_title_and_description_are_validated(key, value, problem):
    content = three_level()
    content[key] = value
    assert problems_of(content) == [problem]


@pytest.mark.parametrize("value", [False, 0.0])
def test_former_bug_evidence_from_level_false_is_not_level_zero(value):
    content = ten_level()
    indicator(content, 1, 0, 0)["evidence_from_level"] = value
    assert problems_of(content) == [
        ("pillars[1].elements[0].indicators[0].evidence_from_level", "must be a whole number.")
    ]


@pytest.mark.parametrize(
    ("value", "problem"), [(0, "must be at least 1."), (False, "must be a whole number.")]
)
def test_former_bug_previous_version_zero_or_false_is_refused(value, problem):
    content = three_level()
    content["version"] = 2
    content["previous_version"] = value
    assert problems_of(content) == [("previous_version", problem)]


def test_former_bug_band_paths_after_an_invalid_band():
    content = three_level()
    content["bands"][1]["from"] = "x"
    content["bands"][2]["to"] = 2.9
    assert problems_of(content)[-1] == (
        "bands[2].to",
        "the last band must end at the highest level (3).",
    )


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["pillars"][1].update(weight=0.0001), "pillars[1].weight"),
        (lambda d: d["pillars"][1].update(weight=1000000), "pillars[1].weight"),
        (
            lambda d: [d["bands"][0].update(to=1.0004), d["bands"][1].update({"from": 1.0004})],
            "bands[0].to",
        ),
    ],
    ids=["weight-rounds-to-zero", "weight-overflows", "band-rounds-empty"],
)
def test_former_bug_numbers_must_fit_their_columns(change, path):
    content = three_level()
    change(content)
    assert [problem_path for problem_path, _message in problems_of(content)][:1] == [path]
