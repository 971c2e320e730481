"""manage.py load_action_library and draft_masterplan, run with call_command."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from assessments import services as assessment_services
from assessments.models import Assessment
from masterplan.models import ActionItem, ActionLibrary, MasterPlan, OriginChoice
from smartcity.models import Region
from tests.masterplan.conftest import LIBRARY_FILE, answer_everything

SMALL_LIBRARY = """\
framework: {slug: kota-cerdas, version: 1}
version: 1
title: {id: "Pustaka uji", en: "Test library"}
opd_types:
  - {code: DISKOMINFO, name: {id: "Diskominfo", en: "Diskominfo"}}
partner_types:
  - {code: KAMPUS, name: {id: "Perguruan tinggi", en: "University"}}
funding_sources:
  - {code: APBD, name: {id: "APBD", en: "APBD"}}
cost_bands:
  - {code: S, label: {id: "kecil", en: "small"}, from: 0, budget: 50_000_000, quick_win: true}
actions:
  - code: GOV.G1.1-01
    indicator: GOV.G1.1
    from_level: 0
    to_level: 1
    title: {id: "Judul", en: "Title"}
    description: {id: "Uraian", en: "Description"}
    lead: DISKOMINFO
    months: 6
    cost_band: S
    kpi: {name: {id: "KPI", en: "KPI"}, unit: {id: "dokumen", en: "document"}}
    funding: [APBD]
"""


def run(*args) -> str:
    """The command's output, the services' refusals in English (an English operator)."""
    out = StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out)
    return out.getvalue()


def test_load_a_good_file_then_again_unchanged(framework, tmp_path):
    path = tmp_path / "library.yaml"
    path.write_text(SMALL_LIBRARY)
    assert "loaded (1 actions)" in run("load_action_library", str(path))
    library = ActionLibrary.objects.get()
    assert (library.framework, library.version, library.action_count) == (framework, 1, 1)
    assert "already loaded, unchanged" in run("load_action_library", str(path))
    assert ActionLibrary.objects.count() == 1


def test_changed_content_under_a_loaded_version_is_refused(framework, tmp_path):
    path = tmp_path / "library.yaml"
    path.write_text(SMALL_LIBRARY)
    run("load_action_library", str(path))
    path.write_text(SMALL_LIBRARY.replace("months: 6", "months: 7"))
    with pytest.raises(CommandError, match="higher version"):
        run("load_action_library", str(path))


def test_a_dry_run_writes_nothing(framework, tmp_path):
    path = tmp_path / "library.yaml"
    path.write_text(SMALL_LIBRARY)
    assert "would load" in run("load_action_library", str(path), "--dry-run")
    assert not ActionLibrary.objects.exists()


def test_a_bad_file_lists_every_problem_and_writes_nothing(framework, tmp_path):
    path = tmp_path / "library.yaml"
    path.write_text(
        SMALL_LIBRARY.replace("indicator: GOV.G1.1", "indicator: NOPE.1")
        .replace("cost_band: S", "cost_band: XL")
        .replace("to_level: 1", "to_level: 9")
    )
    with pytest.raises(CommandError) as refused:
        run("load_action_library", str(path))
    message = str(refused.value)
    for where in ("actions[0].indicator", "actions[0].cost_band", "actions[0].to_level"):
        assert where in message
    assert not ActionLibrary.objects.exists()


def test_a_library_for_a_framework_not_loaded_is_refused(framework, tmp_path):
    path = tmp_path / "library.yaml"
    path.write_text(SMALL_LIBRARY.replace("version: 1}", "version: 7}"))
    with pytest.raises(CommandError, match="kota-cerdas v7 is not loaded"):
        run("load_action_library", str(path))


def test_the_default_library_loads(framework):
    assert "loaded" in run("load_action_library", str(LIBRARY_FILE))
    assert ActionLibrary.objects.get().action_count > 150


def _newer_approved(approved, official, facilitator, administrator) -> Assessment:
    """An approved 2027 assessment of the same region, two levels higher everywhere."""
    cycle = assessment_services.cycle_open(
        user=administrator,
        year=2027,
        title="Penilaian Mandiri 2027",
        framework=approved.cycle.framework,
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 6, 30),
        regions=Region.objects.filter(pk=approved.region_id),
        run_now=True,
    ).cycle
    newer = Assessment.objects.select_related("region", "cycle__framework").get(cycle=cycle)
    answer_everything(newer, official, level=2)
    newer.responses.update(target_level=3)
    assessment_services.assessment_submit(assessment=newer, user=official)
    assessment_services.assessment_approve(assessment=newer, user=facilitator, note="")
    return newer


def test_draft_then_again_then_a_newer_assessment(approved, official, facilitator, administrator):
    out = run("draft_masterplan", "--assessment", str(approved.pk), "--start-year", "2027")
    plan = MasterPlan.objects.get()
    assert "Quick wins (" in out and "Medium term (" in out and "Long term (" in out
    assert plan.items.count() > 50 and str(plan.items.first().budget) != ""
    items = sorted(plan.items.values_list("key", "start_year", "end_year", "version"))

    again = run("draft_masterplan", "--assessment", str(approved.pk))
    assert "nothing changes" in again
    assert sorted(plan.items.values_list("key", "start_year", "end_year", "version")) == items

    edited = plan.items.order_by("key").first()
    ActionItem.objects.filter(pk=edited.pk).update(origin=OriginChoice.EDITED, title="Diubah")
    newer = _newer_approved(approved, official, facilitator, administrator)
    preview = run("draft_masterplan", "--assessment", str(newer.pk))
    assert "Regenerating" in preview and "removed" in preview and "--apply" in preview
    assert sorted(plan.items.values_list("key", "start_year", "end_year", "version")) == items

    applied = run("draft_masterplan", "--assessment", str(newer.pk), "--apply")
    assert "Applied." in applied
    plan.refresh_from_db()
    assert plan.assessment == newer
    assert plan.items.count() < len(items)  # level 2 now: the steps 1-2 are gone
    assert ActionItem.objects.get(pk=edited.pk).title == "Diubah"
    assert "nothing changes" in run("draft_masterplan", "--assessment", str(newer.pk))


def test_drafting_an_assessment_not_approved_is_refused(assessment, library):
    with pytest.raises(CommandError, match="approved"):
        run("draft_masterplan", "--assessment", str(assessment.pk))
    with pytest.raises(CommandError, match="does not exist"):
        run("draft_masterplan", "--assessment", "999999")
