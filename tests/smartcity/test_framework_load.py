"""manage.py load_framework and framework_load: the stored tree, versions, publishing, crosswalks.

The inputs are tests/fixtures/frameworks/three-level.yaml (1-3 scale, no generic level, two
dimension pillars), ten-level.yaml (0-9 scale with 0 generic, a readiness and a dimension pillar),
three-level-v2.yaml (v2 of three-level with a crosswalk) and the default framework.
"""

import contextlib
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, ManagementUtility, call_command
from django.core.management import base as management_base
from django.utils import translation

from smartcity.framework_files import parse_framework_text, read_framework_file
from smartcity.models import (
    CrosswalkEntry,
    Element,
    Framework,
    FrameworkStatus,
    Indicator,
    LevelDescriptor,
    Pillar,
    PredikatBand,
    ScaleLevel,
)
from smartcity.services import FrameworkRefused, framework_load, framework_publish
from tests.factories import UserFactory
from tests.helpers import PROJECT_ROOT, TEST_FRAMEWORKS

THREE_LEVEL = TEST_FRAMEWORKS / "three-level.yaml"
TEN_LEVEL = TEST_FRAMEWORKS / "ten-level.yaml"
THREE_LEVEL_V2 = TEST_FRAMEWORKS / "three-level-v2.yaml"
DEFAULT = PROJECT_ROOT / "fixtures" / "frameworks" / "kota-cerdas-v1.yaml"

# The messages asserted here are the English ones.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PUBLISHED_MESSAGE = (
    "tiga-tingkat version 1 is published and cannot change. Give the changed content a new "
    "version (version: 2, previous_version: 1)."
)


# --- helpers ---------------------------------------------------------------------------------
def load(path: Path, *options: str) -> str:
    out = StringIO()
    call_command("load_framework", str(path), *options, stdout=out)
    return out.getvalue()


def load_refused(path: Path, *options: str) -> str:
    with pytest.raises(CommandError) as error:
        call_command("load_framework", str(path), *options, stdout=StringIO())
    return str(error.value)


def document(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write(tmp_path: Path, content: dict | str, name: str = "framework.yaml") -> Path:
    if isinstance(content, dict):
        content = yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def spec_of(content: dict):
    return parse_framework_text(yaml.safe_dump(content, allow_unicode=True))


def stored(framework: Framework) -> dict:
    """Everything stored for one framework version, in the order users see it."""
    pillars = Pillar.objects.filter(framework=framework).order_by("position")
    elements = Element.objects.filter(framework=framework).order_by("pillar__position", "position")
    indicators = Indicator.objects.filter(framework=framework).order_by(
        "element__pillar__position", "element__position", "position"
    )
    return {
        "levels": [
            (s.value, s.label_id, s.label_en, s.description_id, s.description_en, s.generic)
            for s in ScaleLevel.objects.filter(framework=framework).order_by("value")
        ],
        "bands": [
            (b.label_id, b.label_en, b.lower, b.upper)
            for b in PredikatBand.objects.filter(framework=framework).order_by("lower")
        ],
        "pillars": [
            (
                p.position,
                p.code,
                p.kind,
                p.name_id,
                p.name_en,
                p.description_id,
                p.description_en,
                p.weight,
            )
            for p in pillars
        ],
        "elements": [
            (
                e.pillar.code,
                e.position,
                e.code,
                e.name_id,
                e.name_en,
                e.description_id,
                e.description_en,
                e.weight,
            )
            for e in elements.select_related("pillar")
        ],
        "indicators": [
            (
                i.element.code,
                i.position,
                i.code,
                i.name_id,
                i.name_en,
                i.description_id,
                i.description_en,
                i.weight,
                i.evidence_from_level,
                i.allow_na,
            )
            for i in indicators.select_related("element")
        ],
        "descriptors": {
            i.code: [
                (d.level, d.text_id, d.text_en, d.next_id, d.next_en)
                for d in LevelDescriptor.objects.filter(indicator=i).order_by("level")
            ]
            for i in indicators
        },
        "crosswalk": [
            (c.old_code, c.new_code)
            for c in CrosswalkEntry.objects.filter(framework=framework).order_by(
                "old_code", "new_code"
            )
        ],
    }


def all_rows() -> dict[str, int]:
    models = (
        Framework,
        ScaleLevel,
        PredikatBand,
        Pillar,
        Element,
        Indicator,
        LevelDescriptor,
        CrosswalkEntry,
    )
    return {model.__name__: model.objects.count() for model in models}


# --- three-level.yaml ------------------------------------------------------------------------
# fmt: off
THREE_LEVEL_STORED = {
    "levels": [
        (1, "Dasar", "Basic", "Baru dimulai.", "Just started.", False),
        (2, "Berkembang", "Developing", "Sedang tumbuh.", "Growing.", False),
        (3, "Mapan", "Established", "Sudah mantap.", "Well established.", False),
    ],
    "bands": [
        ("Rendah", "Low", Decimal("1"), Decimal("1.75")),
        ("Sedang", "Medium", Decimal("1.75"), Decimal("2.375")),
        ("Tinggi", "High", Decimal("2.375"), Decimal("3")),
    ],
    "pillars": [  # position, code, kind, name id/en, description id/en, weight
        (0, "LAY", "dimension", "Layanan", "Services", "Layanan kepada warga.",
         "Services to citizens.", Decimal("2")),
        (1, "LIN", "dimension", "Lingkungan", "Environment", "", "", Decimal("0.5")),
    ],
    "elements": [  # pillar, position, code, name id/en, description id/en, weight
        ("LAY", 0, "LAY.A1", "Layanan dasar", "Basic services", "", "", Decimal("1.5")),
        ("LAY", 1, "LAY.A2", "Layanan lanjutan", "Advanced services", "", "", Decimal("1")),
        ("LIN", 0, "LIN.B1", "Sampah", "Waste", "Pengelolaan sampah kota.",
         "Municipal waste management.", Decimal("1")),
    ],
    "indicators": [  # element, position, code, name id/en, description id/en, weight,
                     # evidence_from_level, allow_na
        ("LAY.A1", 0, "LAY.A1.1", "Loket daring", "Online counter", "Apakah ada loket daring.",
         "Whether there is an online counter.", Decimal("1"), None, False),
        ("LAY.A1", 1, "LAY.A1.2", "Pengaduan", "Complaints", "", "", Decimal("0.25"), 3, False),
        ("LAY.A2", 0, "LAY.A2.1", "Layanan proaktif", "Proactive services", "", "",
         Decimal("1"), None, False),
        ("LIN.B1", 0, "LIN.B1.1", "Pemilahan sampah", "Waste sorting", "", "", Decimal("1"), 2,
         False),
    ],
    "descriptors": {  # level, text id/en, next id/en
        "LAY.A1.1": [
            (1, "Loket hanya tatap muka.", "Counter in person only.", "Buka formulir daring.",
             "Open an online form."),
            (2, "Formulir daring tersedia.", "An online form is available.",
             "Sambungkan ke sistem back office.", "Connect it to the back office."),
            (3, "Layanan daring penuh.", "Fully online service.", "", ""),
        ],
        "LAY.A1.2": [
            (1, "Pengaduan lisan.", "Spoken complaints.", "", ""),
            (2, "Pengaduan tercatat.", "Recorded complaints.", "", ""),
            (3, "Pengaduan dipantau.", "Monitored complaints.", "", ""),
        ],
        "LAY.A2.1": [
            (1, "Tidak proaktif.", "Not proactive.", "", ""),
            (2, "Sebagian proaktif.", "Partly proactive.", "", ""),
            (3, "Proaktif.", "Proactive.", "", ""),
        ],
        "LIN.B1.1": [
            (1, "Tanpa pemilahan.", "No sorting.", "", ""),
            (2, "Pemilahan di sebagian kelurahan.", "Sorting in some wards.", "", ""),
            (3, "Pemilahan di seluruh kota.", "Sorting city-wide.", "", ""),
        ],
    },
    "crosswalk": [],
}
# fmt: on


def test_three_level_framework_is_stored_as_written():
    output = load(THREE_LEVEL)

    assert output == "tiga-tingkat version 1: created (2 pillars, 3 elements, 4 indicators).\n"
    framework = Framework.objects.get()
    assert (framework.slug, framework.version, framework.status) == ("tiga-tingkat", 1, "draft")
    assert (framework.title_id, framework.title_en) == (
        "Kerangka Tiga Tingkat",
        "Three-Level Framework",
    )
    assert (framework.description_id, framework.description_en) == ("", "")
    assert framework.previous is None
    assert framework.published_at is None
    assert framework.content_hash == read_framework_file(THREE_LEVEL).content_hash
    assert stored(framework) == THREE_LEVEL_STORED
    assert all_rows() == {
        "Framework": 1,
        "ScaleLevel": 3,
        "PredikatBand": 3,
        "Pillar": 2,
        "Element": 3,
        "Indicator": 4,
        "LevelDescriptor": 12,
        "CrosswalkEntry": 0,
    }


def test_stored_texts_follow_the_active_language():
    load(THREE_LEVEL)
    indicator = Indicator.objects.get(code="LAY.A1.1")
    descriptor = indicator.descriptors.get(level=1)
    level = ScaleLevel.objects.get(value=2)
    with translation.override("en"):
        assert (indicator.name, descriptor.text, descriptor.next, level.label) == (
            "Online counter",
            "Counter in person only.",
            "Open an online form.",
            "Developing",
        )
    with translation.override("id"):
        assert (indicator.name, descriptor.text, descriptor.next, level.label) == (
            "Loket daring",
            "Loket hanya tatap muka.",
            "Buka formulir daring.",
            "Berkembang",
        )


# --- ten-level.yaml --------------------------------------------------------------------------
def test_ten_level_framework_is_stored_as_written():
    output = load(TEN_LEVEL)

    assert output == "sepuluh-tingkat version 1: created (2 pillars, 2 elements, 4 indicators).\n"
    framework = Framework.objects.get()
    assert (framework.slug, framework.version) == ("sepuluh-tingkat", 1)
    assert (framework.description_id, framework.description_en) == (
        "Skala rinci nol sampai sembilan.",
        "A fine scale from zero to nine.",
    )
    tree = stored(framework)
    assert tree["levels"] == [
        (0, "Nihil", "Nothing", "Belum ada apa-apa.", "Nothing in place.", True)
    ] + [
        (v, f"Tahap {v}", f"Stage {v}", f"Umum tahap {v}.", f"Generic stage {v}.", False)
        for v in range(1, 10)
    ]
    assert tree["bands"] == [
        ("Awal", "Early", Decimal("0"), Decimal("2.5")),
        ("Tengah", "Middle", Decimal("2.5"), Decimal("5")),
        ("Lanjut", "Advanced", Decimal("5"), Decimal("7.5")),
        ("Unggul", "Leading", Decimal("7.5"), Decimal("9")),
    ]
    assert tree["pillars"] == [
        (0, "KES", "readiness", "Kesiapan", "Readiness", "", "", Decimal("1")),
        (
            1,
            "DIM",
            "dimension",
            "Masyarakat",
            "Society",
            "Warga kota.",
            "City residents.",
            Decimal("3"),
        ),
    ]
    assert tree["elements"] == [
        ("KES", 0, "KES.1", "Anggaran", "Budget", "", "", Decimal("1")),
        ("DIM", 0, "DIM.1", "Partisipasi", "Participation", "", "", Decimal("0.75")),
    ]
    assert tree["indicators"] == [
        ("KES.1", 0, "KES.1.1", "Anggaran TIK", "ICT budget", "", "", Decimal("1"), 5, False),
        (
            "DIM.1",
            0,
            "DIM.1.1",
            "Musrenbang daring",
            "Online planning forum",
            "",
            "",
            Decimal("2"),
            None,
            False,
        ),
        ("DIM.1", 1, "DIM.1.2", "Relawan TIK", "ICT volunteers", "", "", Decimal("1"), 0, True),
        ("DIM.1", 2, "DIM.1.3", "Data terbuka", "Open data", "", "", Decimal("0.125"), 9, False),
    ]
    for code, descriptors in tree["descriptors"].items():
        assert descriptors == [
            (
                v,
                f"{code} tahap {v}.",
                f"{code} stage {v}.",
                f"Naik dari {v}." if v < 9 else "",
                f"Climb from {v}." if v < 9 else "",
            )
            for v in range(1, 10)
        ], code
    assert list(tree["descriptors"]) == ["KES.1.1", "DIM.1.1", "DIM.1.2", "DIM.1.3"]
    assert LevelDescriptor.objects.count() == 36
    assert not LevelDescriptor.objects.filter(level=0).exists()


def test_evidence_and_not_applicable_rules_are_kept_per_indicator():
    load(TEN_LEVEL)
    relawan = Indicator.objects.get(code="DIM.1.2")
    data = Indicator.objects.get(code="DIM.1.3")
    musrenbang = Indicator.objects.get(code="DIM.1.1")
    assert [relawan.needs_evidence_at(level) for level in (None, 0, 9)] == [False, True, True]
    assert [data.needs_evidence_at(level) for level in (8, 9)] == [False, True]
    assert [musrenbang.needs_evidence_at(level) for level in (0, 9)] == [False, False]
    assert list(Indicator.objects.filter(allow_na=True).values_list("code", flat=True)) == [
        "DIM.1.2"
    ]


# --- the default framework -------------------------------------------------------------------
def test_default_framework_loads_completely():
    output = load(DEFAULT)

    assert output == "kota-cerdas version 1: created (9 pillars, 27 elements, 55 indicators).\n"
    framework = Framework.objects.get(slug="kota-cerdas", version=1)
    assert (framework.title_id, framework.title_en) == (
        "Kerangka Kematangan Kota Cerdas",
        "Smart City Maturity Framework",
    )
    assert list(Pillar.objects.order_by("position").values_list("code", "kind")) == [
        ("STR", "readiness"),
        ("INF", "readiness"),
        ("SUP", "readiness"),
        ("GOV", "dimension"),
        ("BRA", "dimension"),
        ("ECO", "dimension"),
        ("LIV", "dimension"),
        ("SOC", "dimension"),
        ("ENV", "dimension"),
    ]
    assert Element.objects.count() == 27
    assert Indicator.objects.count() == 55
    assert LevelDescriptor.objects.count() == 55 * 5
    assert list(
        ScaleLevel.objects.order_by("value").values_list("value", "label_id", "label_en", "generic")
    ) == [
        (0, "Belum ada", "None", True),
        (1, "Rintisan", "Initial", False),
        (2, "Terkelola", "Managed", False),
        (3, "Terdefinisi", "Defined", False),
        (4, "Terpadu dan Terukur", "Integrated and Measured", False),
        (5, "Optimum", "Optimised", False),
    ]
    assert list(
        PredikatBand.objects.order_by("lower").values_list("label_en", "lower", "upper")
    ) == [
        ("Poor", Decimal("0"), Decimal("1.8")),
        ("Fair", Decimal("1.8"), Decimal("2.6")),
        ("Good", Decimal("2.6"), Decimal("3.5")),
        ("Very Good", Decimal("3.5"), Decimal("4.2")),
        ("Excellent", Decimal("4.2"), Decimal("5")),
    ]
    assert list(
        Element.objects.filter(pillar__code="GOV")
        .order_by("position")
        .values_list("code", flat=True)
    ) == ["GOV.G1", "GOV.G2", "GOV.G3"]

    indicator = Indicator.objects.select_related("element__pillar").get(code="GOV.G1.1")
    assert (indicator.element.code, indicator.element.pillar.code, indicator.position) == (
        "GOV.G1",
        "GOV",
        0,
    )
    assert (indicator.name_id, indicator.name_en) == (
        "Layanan publik digital",
        "Digital public services",
    )
    assert (indicator.evidence_from_level, indicator.allow_na, indicator.weight) == (2, False, 1)
    descriptors = list(indicator.descriptors.order_by("level"))
    assert [d.level for d in descriptors] == [1, 2, 3, 4, 5]
    assert (descriptors[0].text_id, descriptors[0].text_en) == (
        "Layanan daring baru berupa informasi persyaratan dan prosedur, atau kurang dari 10% "
        "layanan prioritas dapat diajukan secara daring.",
        "Online services are limited to information on requirements and procedures, or fewer "
        "than 10% of priority services can be applied for online.",
    )
    assert descriptors[0].next_en == (
        "Adopt a list of priority services, publish downloadable forms, and open online "
        "applications for the highest-volume services until at least 10% of priority services "
        "are covered."
    )
    assert (descriptors[4].text_id, descriptors[4].text_en) == (
        "Lebih dari 85% layanan prioritas tersedia daring secara penuh, termasuk layanan proaktif "
        "atau gabungan berbasis peristiwa kehidupan, dan lebih dari 50% transaksi dilakukan "
        "melalui kanal daring.",
        "More than 85% of priority services are fully online, including proactive or bundled "
        "life-event services, and more than 50% of transactions go through online channels.",
    )
    assert (descriptors[4].next_id, descriptors[4].next_en) == ("", "")


# --- versions: unchanged, replaced, refused --------------------------------------------------
def test_the_same_content_again_is_unchanged_and_rewrites_nothing():
    load(THREE_LEVEL)
    framework = Framework.objects.get()
    indicator_pks = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))
    descriptor_pks = list(LevelDescriptor.objects.order_by("pk").values_list("pk", flat=True))

    output = load(THREE_LEVEL)

    assert output == "tiga-tingkat version 1: unchanged (2 pillars, 3 elements, 4 indicators).\n"
    again = Framework.objects.get()
    assert (again.pk, again.loaded_at) == (framework.pk, framework.loaded_at)
    assert list(Indicator.objects.order_by("pk").values_list("pk", flat=True)) == indicator_pks
    assert (
        list(LevelDescriptor.objects.order_by("pk").values_list("pk", flat=True)) == descriptor_pks
    )
    assert stored(again) == THREE_LEVEL_STORED


def test_a_reformatted_file_with_comments_is_unchanged(tmp_path):
    load(THREE_LEVEL, "--publish")
    indicator_pk = Indicator.objects.get(code="LAY.A1.1").pk
    # Block style instead of flow style, other key order, comments, and equal numbers written
    # differently (2.0 for 2, 0.50 for 0.5, '1.750' for 1.75).
    content = document(THREE_LEVEL)
    content["pillars"][0]["weight"] = 2.0
    content["pillars"][1]["weight"] = "0.50"
    content["bands"][0]["to"] = "1.750"
    content["bands"][1]["from"] = 1.75
    reordered = {key: content[key] for key in reversed(list(content))}
    text = "# Dokumen yang sama, ditulis ulang.\n" + yaml.safe_dump(
        reordered, allow_unicode=True, default_flow_style=False, sort_keys=True, indent=4
    ).replace("\n", "  # komentar\n", 3)
    path = write(tmp_path, text)
    assert path.read_text() != THREE_LEVEL.read_text()

    output = load(path)

    assert output == "tiga-tingkat version 1: unchanged (2 pillars, 3 elements, 4 indicators).\n"
    assert Indicator.objects.get(code="LAY.A1.1").pk == indicator_pk


def test_a_draft_reloaded_with_changed_content_is_replaced(tmp_path):
    load(THREE_LEVEL)
    framework = Framework.objects.get()
    content = document(THREE_LEVEL)
    content["title"]["en"] = "Three-Level Framework, revised"
    lay = content["pillars"][0]
    lay["elements"][0]["indicators"][0]["name"]["en"] = "Online service counter"
    del lay["elements"][0]["indicators"][1]  # LAY.A1.2 goes
    lay["elements"].reverse()  # LAY.A2 now comes first
    content["bands"] = [{"label": {"id": "Semua", "en": "All"}, "from": 1, "to": 3}]

    output = load(write(tmp_path, content))

    assert output == "tiga-tingkat version 1: replaced (2 pillars, 3 elements, 3 indicators).\n"
    replaced = Framework.objects.get()
    assert replaced.pk == framework.pk
    assert replaced.title_en == "Three-Level Framework, revised"
    assert replaced.content_hash == spec_of(content).content_hash != framework.content_hash
    tree = stored(replaced)
    assert [(e[0], e[1], e[2]) for e in tree["elements"]] == [
        ("LAY", 0, "LAY.A2"),
        ("LAY", 1, "LAY.A1"),
        ("LIN", 0, "LIN.B1"),
    ]
    assert [(i[2], i[4]) for i in tree["indicators"]] == [
        ("LAY.A2.1", "Proactive services"),
        ("LAY.A1.1", "Online service counter"),
        ("LIN.B1.1", "Waste sorting"),
    ]
    assert tree["bands"] == [("Semua", "All", Decimal("1"), Decimal("3"))]
    assert all_rows() == {
        "Framework": 1,
        "ScaleLevel": 3,
        "PredikatBand": 1,
        "Pillar": 2,
        "Element": 3,
        "Indicator": 3,
        "LevelDescriptor": 9,
        "CrosswalkEntry": 0,
    }


def test_a_published_version_with_changed_content_is_refused(tmp_path):
    load(THREE_LEVEL, "--publish")
    framework = Framework.objects.get()
    indicator_pks = sorted(Indicator.objects.values_list("pk", flat=True))
    content = document(THREE_LEVEL)
    content["pillars"][1]["weight"] = 0.75
    path = write(tmp_path, content)

    message = load_refused(path)

    assert message == f"{path}: nothing was loaded: {PUBLISHED_MESSAGE}"
    with pytest.raises(FrameworkRefused) as error:
        framework_load(spec=spec_of(content))
    assert str(error.value) == PUBLISHED_MESSAGE
    untouched = Framework.objects.get()
    assert (untouched.content_hash, untouched.status, untouched.loaded_at) == (
        framework.content_hash,
        "published",
        framework.loaded_at,
    )
    assert sorted(Indicator.objects.values_list("pk", flat=True)) == indicator_pks
    assert stored(untouched) == THREE_LEVEL_STORED


def test_the_refusal_of_a_published_version_is_in_indonesian_when_indonesian_is_active():
    framework_load(spec=read_framework_file(THREE_LEVEL), publish=True)
    content = document(THREE_LEVEL)
    content["title"]["id"] = "Judul lain"
    with translation.override("id"), pytest.raises(FrameworkRefused) as error:
        framework_load(spec=spec_of(content))
    assert str(error.value) == (
        "tiga-tingkat versi 1 sudah diterbitkan dan tidak dapat diubah. Berikan versi baru untuk "
        "isi yang berubah (version: 2, previous_version: 1)."
    )


def test_another_version_of_the_same_slug_is_a_separate_framework(tmp_path):
    load(THREE_LEVEL, "--publish")
    content = document(THREE_LEVEL)
    content["version"] = 2
    output = load(write(tmp_path, content))
    assert output == "tiga-tingkat version 2: created (2 pillars, 3 elements, 4 indicators).\n"
    assert list(Framework.objects.values_list("version", "status", "previous")) == [
        (2, "draft", None),
        (1, "published", None),
    ]
    assert Indicator.objects.filter(code="LAY.A1.1").count() == 2


# --- publishing and dry runs -----------------------------------------------------------------
def test_publish_option_publishes():
    output = load(THREE_LEVEL, "--publish")

    assert output == (
        "tiga-tingkat version 1: created (2 pillars, 3 elements, 4 indicators).\nPublished.\n"
    )
    framework = Framework.objects.get()
    assert framework.status == FrameworkStatus.PUBLISHED
    assert framework.is_published
    assert framework.published_at is not None
    assert framework.published_by is None


def test_publishing_a_loaded_draft_and_loading_again_with_publish():
    load(THREE_LEVEL)
    assert Framework.objects.get().status == "draft"

    output = load(THREE_LEVEL, "--publish")

    assert output == (
        "tiga-tingkat version 1: unchanged (2 pillars, 3 elements, 4 indicators).\nPublished.\n"
    )
    published_at = Framework.objects.get().published_at
    assert published_at is not None
    # Already published: nothing more to do, no second "Published." and no new date.
    output = load(THREE_LEVEL, "--publish")
    assert output == "tiga-tingkat version 1: unchanged (2 pillars, 3 elements, 4 indicators).\n"
    assert Framework.objects.get().published_at == published_at


def test_framework_load_records_who_published():
    user = UserFactory(username="admin-kerangka")
    result = framework_load(spec=read_framework_file(THREE_LEVEL), publish=True, user=user)
    assert (result.outcome, result.published_now) == ("created", True)
    framework = Framework.objects.get()
    assert (framework.status, framework.published_by) == ("published", user)


def test_framework_publish_refuses_an_already_published_version():
    framework = framework_load(spec=read_framework_file(THREE_LEVEL)).framework
    published = framework_publish(framework=framework, user=None)
    assert published.status == "published"
    published_at = Framework.objects.get().published_at

    with pytest.raises(FrameworkRefused) as error:
        framework_publish(framework=framework, user=UserFactory())

    assert str(error.value) == "This framework version is already published."
    again = Framework.objects.get()
    assert (again.published_at, again.published_by) == (published_at, None)


@pytest.mark.parametrize("publish", [[], ["--publish"]])
def test_dry_run_writes_nothing(publish):
    output = load(THREE_LEVEL, "--dry-run", *publish)

    assert output == (
        "tiga-tingkat version 1: created (2 pillars, 3 elements, 4 indicators).\n"
        + ("Published.\n" if publish else "")
        + "Dry run: nothing was written.\n"
    )
    assert all_rows() == dict.fromkeys(all_rows(), 0)


def test_dry_run_of_a_changed_draft_keeps_the_stored_content(tmp_path):
    load(THREE_LEVEL)
    framework = Framework.objects.get()
    indicator_pks = sorted(Indicator.objects.values_list("pk", flat=True))
    content = document(THREE_LEVEL)
    content["pillars"][0]["name"]["en"] = "Public services"

    output = load(write(tmp_path, content), "--dry-run", "--publish")

    assert output == (
        "tiga-tingkat version 1: replaced (2 pillars, 3 elements, 4 indicators).\nPublished.\n"
        "Dry run: nothing was written.\n"
    )
    again = Framework.objects.get()
    assert (again.content_hash, again.status, again.loaded_at) == (
        framework.content_hash,
        "draft",
        framework.loaded_at,
    )
    assert sorted(Indicator.objects.values_list("pk", flat=True)) == indicator_pks
    assert stored(again) == THREE_LEVEL_STORED


def test_dry_run_with_a_published_version_reports_the_refusal(tmp_path):
    load(THREE_LEVEL, "--publish")
    content = document(THREE_LEVEL)
    content["pillars"][0]["weight"] = 3
    path = write(tmp_path, content)
    assert load_refused(path, "--dry-run") == f"{path}: nothing was loaded: {PUBLISHED_MESSAGE}"


def test_load_results_of_the_service():
    spec = read_framework_file(TEN_LEVEL)
    first = framework_load(spec=spec)
    second = framework_load(spec=spec, publish=True)
    third = framework_load(spec=spec, publish=True)
    dry = framework_load(spec=read_framework_file(THREE_LEVEL), dry_run=True)
    assert [(r.outcome, r.published_now) for r in (first, second, third, dry)] == [
        ("created", False),
        ("unchanged", True),
        ("unchanged", False),
        ("created", False),
    ]
    assert first.framework.pk == second.framework.pk == third.framework.pk
    assert list(Framework.objects.values_list("slug", flat=True)) == ["sepuluh-tingkat"]


# --- crosswalk -------------------------------------------------------------------------------
def test_a_second_version_with_a_crosswalk_is_loaded():
    load(THREE_LEVEL, "--publish")
    first = Framework.objects.get()

    output = load(THREE_LEVEL_V2)

    assert output == "tiga-tingkat version 2: created (2 pillars, 3 elements, 5 indicators).\n"
    second = Framework.objects.get(version=2)
    assert second.previous == first
    assert list(first.successors.all()) == [second]
    assert stored(second)["crosswalk"] == [
        ("LAY.A1.1", "LAY.A1.1"),
        ("LAY.A1.2", "LAY.A1.2"),
        ("LAY.A1.2", "LAY.A1.3"),
        ("LAY.A2.1", "LAY.A2.1"),
        ("LIN.B1.1", "LIN.B1.1"),
    ]
    assert [i[2] for i in stored(second)["indicators"]] == [
        "LAY.A1.1",
        "LAY.A1.2",
        "LAY.A1.3",
        "LAY.A2.1",
        "LIN.B1.1",
    ]
    assert stored(first)["crosswalk"] == []
    assert stored(first) == THREE_LEVEL_STORED
    # Loading v2 again changes nothing, crosswalk rows included.
    crosswalk_pks = sorted(CrosswalkEntry.objects.values_list("pk", flat=True))
    assert load(THREE_LEVEL_V2).startswith("tiga-tingkat version 2: unchanged ")
    assert sorted(CrosswalkEntry.objects.values_list("pk", flat=True)) == crosswalk_pks


def test_a_crosswalk_needs_the_previous_version_loaded():
    message = load_refused(THREE_LEVEL_V2)

    assert message == (
        f"{THREE_LEVEL_V2}: nothing was loaded: previous_version: tiga-tingkat version 1 is not "
        "loaded."
    )
    assert all_rows() == dict.fromkeys(all_rows(), 0)


def test_the_previous_version_must_have_the_same_slug(tmp_path):
    load(TEN_LEVEL)  # sepuluh-tingkat v1 exists, tiga-tingkat v1 does not
    content = document(THREE_LEVEL_V2)
    path = write(tmp_path, content)
    assert load_refused(path).endswith(
        "nothing was loaded: previous_version: tiga-tingkat version 1 is not loaded."
    )
    assert Framework.objects.count() == 1


@pytest.mark.parametrize(
    ("old_codes", "named"),
    [
        (["LAY.A9.9"], "LAY.A9.9"),
        (["LAY.A1"], "LAY.A1"),  # an element of v1, not an indicator
        (["LAY", "LAY.A1.1", "LIN.B1.2"], "LAY, LIN.B1.2"),
    ],
)
def test_crosswalk_old_codes_must_be_indicators_of_the_previous_version(tmp_path, old_codes, named):
    load(THREE_LEVEL)
    content = document(THREE_LEVEL_V2)
    content["crosswalk"] = [{"from": code, "to": ["LAY.A1.1"]} for code in old_codes]
    path = write(tmp_path, content)

    message = load_refused(path)

    assert message == f"{path}: nothing was loaded: crosswalk: {named} not indicators of version 1."
    assert list(Framework.objects.values_list("version", flat=True)) == [1]
    assert CrosswalkEntry.objects.count() == 0


def test_crosswalk_new_codes_must_be_indicators_of_the_new_version(tmp_path):
    load(THREE_LEVEL)
    content = document(THREE_LEVEL_V2)
    content["crosswalk"][1]["to"] = ["LAY.A1.2", "LAY.A1.4"]
    path = write(tmp_path, content)

    message = load_refused(path)

    assert message == (
        f"{path}: nothing was loaded:\n"
        "  crosswalk[1].to[1]: LAY.A1.4 is not an indicator of this version."
    )
    assert list(Framework.objects.values_list("version", flat=True)) == [1]


def test_a_crosswalk_without_previous_version_is_refused(tmp_path):
    load(THREE_LEVEL)
    content = document(THREE_LEVEL_V2)
    del content["previous_version"]
    path = write(tmp_path, content)

    message = load_refused(path)

    assert message == (
        f"{path}: nothing was loaded:\n"
        "  crosswalk: needs previous_version: a crosswalk maps the previous version's codes."
    )
    assert list(Framework.objects.values_list("version", flat=True)) == [1]


def test_a_new_version_may_name_its_predecessor_without_a_crosswalk(tmp_path):
    load(THREE_LEVEL)
    content = document(THREE_LEVEL_V2)
    del content["crosswalk"]
    load(write(tmp_path, content))
    second = Framework.objects.get(version=2)
    assert second.previous == Framework.objects.get(version=1)
    assert CrosswalkEntry.objects.count() == 0


# --- command output --------------------------------------------------------------------------
def test_refusal_output_lists_every_problem_and_writes_nothing(tmp_path):
    content = document(THREE_LEVEL)
    content["version"] = 0
    content["pillars"][1]["weight"] = -1
    path = write(tmp_path, content)

    message = load_refused(path)

    assert message == (
        f"{path}: nothing was loaded:\n"
        "  version: must be at least 1.\n"
        "  pillars[1].weight: must be greater than zero."
    )
    assert all_rows() == dict.fromkeys(all_rows(), 0)


def test_refusal_output_when_run_from_the_command_line(tmp_path, monkeypatch):
    """Run as from a shell, the refusal goes to stderr and the exit status is 1."""
    content = document(THREE_LEVEL)
    content["slug"] = "Tiga"
    path = write(tmp_path, content)
    # run_from_argv closes every connection when done, the test database's one included.
    monkeypatch.setattr(management_base.connections, "close_all", lambda: None)
    utility = ManagementUtility(["manage.py", "load_framework", str(path)])
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info, contextlib.redirect_stderr(err):
        utility.execute()
    assert exit_info.value.code == 1
    assert err.getvalue() == (
        f"CommandError: {path}: nothing was loaded:\n"
        "  slug: use lowercase letters, digits and '-' only.\n"
    )
    assert Framework.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["crosswalk"][0].update(to=["LAY.A1.1", "LAY.A1.1"]),
        lambda d: d["crosswalk"].append({"from": "LAY.A1.1", "to": ["LAY.A1.1"]}),
    ],
    ids=["same-target-twice", "same-entry-twice"],
)
def test_former_bug_a_crosswalk_pair_given_twice_is_refused(tmp_path, change):
    load(THREE_LEVEL)
    content = document(THREE_LEVEL_V2)
    change(content)
    load_refused(write(tmp_path, content))
    assert list(Framework.objects.values_list("version", flat=True)) == [1]
