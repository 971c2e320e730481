"""Opening a cycle pre-fills each region from its last approved assessment (services level)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from assessments import selectors, services
from assessments.models import (
    Assessment,
    AssessmentEvent,
    Cycle,
    CycleOpeningJob,
    EventKind,
    Evidence,
    EvidenceKind,
    IndicatorResponse,
    ReviewState,
)
from assessments.rules import Answer
from smartcity.models import Framework, Region
from tests.assessments.conftest import answer_everything
from tests.helpers import TEST_FRAMEWORKS, pdf_bytes


def open_cycle(user, framework, regions, year, *, title=None, step=1, cap=None):
    return services.cycle_open(
        user=user,
        year=year,
        title=title or f"Penilaian Mandiri {year}",
        framework=framework,
        opens_on=datetime.date(year, 3, 1),
        closes_on=datetime.date(year, 6, 30),
        regions=Region.objects.filter(pk__in=[r.pk for r in regions]),
        target_step=step,
        target_cap=cap,
        run_now=True,
    )


def assessment_of(cycle, region) -> Assessment:
    return Assessment.objects.select_related("region", "cycle__framework").get(
        cycle=cycle, region=region
    )


def responses_by_code(assessment) -> dict[str, IndicatorResponse]:
    return {
        r.indicator.code: r
        for r in IndicatorResponse.objects.filter(assessment=assessment).select_related(
            "indicator", "assessment__cycle"
        )
    }


def save(response, user, *, level=None, narrative="", na_reason=""):
    return services.response_save(
        response=response,
        user=user,
        expected_version=response.version,
        answer=Answer(
            self_level=level,
            not_applicable=bool(na_reason),
            na_reason=na_reason,
            narrative=narrative,
            target_level=None,
        ),
    )


def approve(assessment, official, facilitator, *, verify: dict[str, tuple[int, str]] | None = None):
    """Submit, verify the given indicators to other levels, approve."""
    services.assessment_submit(assessment=assessment, user=official)
    responses = responses_by_code(assessment)
    for code, (level, reason) in (verify or {}).items():
        services.response_verify(
            response=responses[code], user=facilitator, verified_level=level, reason=reason
        )
    services.assessment_approve(assessment=assessment, user=facilitator)


# --- The default framework, same version ------------------------------------------------------
@pytest.fixture
def approved_2025(framework, administrator, region, official, facilitator):
    """Pangkal Pinang's approved 2025 assessment: everything at level 2 except GOV.G1.1 (level 3,
    with a link and a file), GOV.G1.2 (verified at 4) and LIV.L3.2 (not applicable)."""
    cycle = open_cycle(administrator, framework, [region], 2025).cycle
    assessment = assessment_of(cycle, region)
    answer_everything(assessment, official, level=2)
    responses = responses_by_code(assessment)
    save(
        responses["GOV.G1.1"],
        official,
        level=3,
        narrative="Perizinan daring lewat portal MPP digital.",
    )
    services.evidence_add_link(
        response=responses["GOV.G1.1"],
        user=official,
        url="https://mpp.pangkalpinangkota.go.id/",
        description="Portal MPP",
    )
    services.evidence_add_file(
        response=responses["GOV.G1.1"],
        user=official,
        upload=SimpleUploadedFile("sk-mpp.pdf", pdf_bytes(), content_type="application/pdf"),
        description="SK Wali Kota",
    )
    save(
        IndicatorResponse.objects.get(pk=responses["LIV.L3.2"].pk),
        official,
        na_reason="Tidak ada angkutan sungai di kota ini.",
        narrative="Kota tidak memiliki sungai yang dilayari.",
    )
    approve(assessment, official, facilitator, verify={"GOV.G1.2": (4, "Sudah terintegrasi")})
    return assessment


def test_next_cycle_carries_levels_narratives_na_and_evidence(
    approved_2025, framework, administrator, region
):
    opening = open_cycle(administrator, framework, [region], 2026)
    assert (opening.assessments, opening.prefilled) == (1, 1)
    new = assessment_of(opening.cycle, region)
    assert new.baseline_id == approved_2025.pk
    responses = responses_by_code(new)
    assert len(responses) == 55
    assert all(r.carried_over for r in responses.values())
    assert all(r.verified_level is None for r in responses.values())
    assert all(r.review_state == ReviewState.PENDING for r in responses.values())

    # The analysis level: the facilitator's verified level where it differs from the self level.
    assert (responses["GOV.G1.2"].self_level, responses["GOV.G1.2"].target_level) == (4, 5)
    kept = responses["GOV.G1.1"]
    assert (kept.self_level, kept.target_level) == (3, 4)
    assert kept.narrative == "Perizinan daring lewat portal MPP digital."
    assert (responses["ECO.E1.1"].self_level, responses["ECO.E1.1"].target_level) == (2, 3)
    assert responses["ECO.E1.1"].narrative == "Narasi ECO.E1.1"

    na = responses["LIV.L3.2"]
    assert na.not_applicable
    assert na.na_reason == "Tidak ada angkutan sungai di kota ini."
    assert na.self_level is None and na.target_level is None
    assert na.narrative == "Kota tidak memiliki sungai yang dilayari."

    old_evidence = {
        (e.kind, e.url, e.file.name, e.sha256)
        for e in Evidence.objects.filter(
            response__assessment=approved_2025, response__indicator__code="GOV.G1.1"
        )
    }
    new_evidence = list(Evidence.objects.filter(response=kept))
    assert {(e.kind, e.url, e.file.name, e.sha256) for e in new_evidence} == old_evidence
    assert len(new_evidence) == 3
    assert all(e.carried_over for e in new_evidence)
    stored = next(e for e in new_evidence if e.kind == EvidenceKind.FILE)
    assert stored.file.name.startswith("evidence/19.71/2025/")  # the same stored file
    assert stored.file.read() == pdf_bytes()
    assert stored.original_name == "sk-mpp.pdf"
    # The originals stay as they were.
    assert not Evidence.objects.filter(
        response__assessment=approved_2025, carried_over=True
    ).exists()
    assert AssessmentEvent.objects.filter(assessment=new, kind=EventKind.OPENED).count() == 1


@pytest.mark.parametrize(
    ("step", "cap", "target_of_2", "target_of_4"),
    [
        (0, None, 2, 4),
        (1, None, 3, 5),
        (2, None, 4, 5),  # capped by the top of the scale
        (1, 3, 3, 4),  # the cap never lowers a target below the current level
        (2, 3, 3, 4),
    ],
)
def test_default_targets_follow_the_cycle_rule(
    approved_2025, framework, administrator, region, step, cap, target_of_2, target_of_4
):
    opening = open_cycle(administrator, framework, [region], 2026, step=step, cap=cap)
    responses = responses_by_code(assessment_of(opening.cycle, region))
    assert responses["ECO.E1.1"].self_level == 2
    assert responses["ECO.E1.1"].target_level == target_of_2
    assert responses["GOV.G1.2"].self_level == 4
    assert responses["GOV.G1.2"].target_level == target_of_4


def test_region_without_history_starts_empty(
    approved_2025, framework, administrator, region, other_region
):
    opening = open_cycle(administrator, framework, [region, other_region], 2026)
    assert (opening.assessments, opening.prefilled) == (2, 1)
    fresh = assessment_of(opening.cycle, other_region)
    assert fresh.baseline is None
    responses = list(fresh.responses.all())
    assert len(responses) == 55
    assert not any(r.carried_over or r.self_level is not None for r in responses)
    assert not any(r.narrative or r.not_applicable or r.target_level for r in responses)
    assert not Evidence.objects.filter(response__assessment=fresh).exists()


def test_a_returned_assessment_is_not_carried_over(
    framework, administrator, region, official, facilitator
):
    assessment = assessment_of(open_cycle(administrator, framework, [region], 2025).cycle, region)
    answer_everything(assessment, official, level=3)
    services.assessment_submit(assessment=assessment, user=official)
    first = assessment.responses.order_by("pk").first()
    services.assessment_return(
        assessment=assessment,
        user=facilitator,
        note="Lengkapi bukti",
        flags=[services.Flag(first.pk, "SK belum ada")],
    )
    opening = open_cycle(administrator, framework, [region], 2026)
    assert opening.prefilled == 0
    new = assessment_of(opening.cycle, region)
    assert new.baseline is None
    assert not new.responses.filter(carried_over=True).exists()
    assert not new.responses.exclude(self_level=None).exists()


def test_the_most_recent_approved_assessment_wins(
    framework, administrator, region, official, facilitator
):
    for year, level in ((2024, 1), (2025, 3)):
        cycle = open_cycle(administrator, framework, [region], year).cycle
        assessment = assessment_of(cycle, region)
        answer_everything(assessment, official, level=level)
        approve(assessment, official, facilitator)
    newest = Assessment.objects.get(cycle__year=2025, region=region)
    new = assessment_of(open_cycle(administrator, framework, [region], 2026).cycle, region)
    assert new.baseline_id == newest.pk
    assert set(new.responses.values_list("self_level", flat=True)) == {3}


# --- Unrelated frameworks -------------------------------------------------------------------------
def test_the_baseline_is_the_latest_approved_assessment_on_the_same_framework(
    client,
    framework,
    administrator,
    region,
    other_region,
    official,
    facilitator,
    django_capture_on_commit_callbacks,
):
    """Approved on X in 2026 and on an unrelated Y in 2027: a 2028 cycle on X starts from 2026."""
    on_x = assessment_of(open_cycle(administrator, framework, [region], 2026).cycle, region)
    answer_everything(on_x, official, level=3)
    approve(on_x, official, facilitator)
    call_command(
        "load_framework",
        str(TEST_FRAMEWORKS / "three-level.yaml"),
        publish=True,
        stdout=io.StringIO(),
    )
    unrelated = Framework.objects.get(slug="tiga-tingkat")
    on_y = assessment_of(open_cycle(administrator, unrelated, [region], 2027).cycle, region)
    answer_everything(on_y, official, level=2)
    approve(on_y, official, facilitator)
    regions = Region.objects.filter(pk__in=[region.pk, other_region.pk])

    preview = selectors.cycle_preview(regions=regions, year=2028, framework=framework)
    assert (preview.assessments, preview.prefilled) == (2, 1)
    # Nothing approved on a third framework, unrelated to both: nothing to pre-fill from.
    third = load("carry-v1.yaml")
    assert selectors.cycle_preview(regions=regions, year=2028, framework=third).prefilled == 0

    client.force_login(administrator)
    data = {
        "year": "2028",
        "title": "Penilaian Mandiri 2028",
        "framework": str(third.pk),
        "opens_on": "2028-03-01",
        "closes_on": "2028-06-30",
        "target_step": "1",
        "target_cap": "",
        "selection": "regions",
        "regions": [str(region.pk)],
        "confirm": "yes",
    }
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(reverse("assessments:cycle_open"), data, follow=True)
    assert [str(m) for m in reply.context["messages"]] == [
        "Siklus “Penilaian Mandiri 2028” sedang dibuka untuk 1 wilayah."
    ]
    job = CycleOpeningJob.objects.get(cycle__framework=third)
    assert (job.status, job.assessments, job.prefilled) == ("done", 1, 0)
    assert assessment_of(Cycle.objects.get(framework=third), region).baseline is None

    opening = open_cycle(administrator, framework, [region, other_region], 2028, title="Ulang")
    assert (opening.assessments, opening.prefilled) == (2, 1)
    new = assessment_of(opening.cycle, region)
    assert new.baseline_id == on_x.pk
    responses = responses_by_code(new)
    assert {(r.self_level, r.carried_over) for r in responses.values()} == {(3, True)}
    assert responses["ECO.E1.1"].narrative == "Narasi ECO.E1.1"

    # The history's "where this answer came from" is X's 2026 answer to the same indicator.
    origin = selectors.response_history(responses["ECO.E1.1"])[2]
    assert (origin.assessment_id, origin.indicator.code) == (on_x.pk, "ECO.E1.1")


# --- A new framework version with a crosswalk ---------------------------------------------------
def load(name: str, *, publish: bool = True) -> Framework:
    path = TEST_FRAMEWORKS / name
    call_command("load_framework", str(path), publish=publish, stdout=io.StringIO())
    version = 1 if name == "carry-v1.yaml" else 2
    return Framework.objects.get(slug="bawa-serta", version=version)


def test_levels_follow_the_crosswalk_to_the_new_version(
    db, administrator, region, official, facilitator
):
    v1 = load("carry-v1.yaml")
    v2 = load("carry-v2.yaml")
    assessment = assessment_of(open_cycle(administrator, v1, [region], 2025).cycle, region)
    responses = responses_by_code(assessment)
    levels = {"KEEP": 2, "SPLIT": 3, "OLD": 1, "M1": 3, "M2": 1}
    prefix = {"M1": "CAR.E2.", "M2": "CAR.E2."}
    for name, level in levels.items():
        code = prefix.get(name, "CAR.E1.") + name
        save(responses[code], official, level=level, narrative=f"Narasi {name}")
    save(responses["CAR.E1.DROP"], official, na_reason="Tidak relevan", narrative="Narasi DROP")
    services.evidence_add_link(
        response=responses["CAR.E1.OLD"], user=official, url="https://jdih.example.go.id/old"
    )
    approve(assessment, official, facilitator, verify={"CAR.E1.SPLIT": (2, "Belum menyeluruh")})

    opening = open_cycle(administrator, v2, [region], 2026, step=1)
    assert opening.prefilled == 1
    new = responses_by_code(assessment_of(opening.cycle, region))
    assert set(new) == {
        "CAR.E1.KEEP",
        "CAR.E1.SPLIT-A",
        "CAR.E1.SPLIT-B",
        "CAR.E1.NEW",
        "CAR.E2.MERGED",
        "CAR.E2.FRESH",
    }
    levels_now = {code: (r.self_level, r.target_level, r.carried_over) for code, r in new.items()}
    assert levels_now == {
        "CAR.E1.KEEP": (2, 3, True),  # unchanged code without a crosswalk entry
        "CAR.E1.SPLIT-A": (2, 3, True),  # split: both parts get the verified level
        "CAR.E1.SPLIT-B": (2, 3, True),
        "CAR.E1.NEW": (1, 2, True),  # renamed
        "CAR.E2.MERGED": (1, 2, True),  # merged: the lowest level
        "CAR.E2.FRESH": (None, None, False),  # new in version 2
    }
    assert new["CAR.E1.NEW"].narrative == "Narasi OLD"
    assert new["CAR.E2.MERGED"].narrative == "Narasi M1\n\nNarasi M2"
    assert [e.url for e in new["CAR.E1.NEW"].evidence.all()] == ["https://jdih.example.go.id/old"]
    assert new["CAR.E1.NEW"].evidence.get().carried_over
    # The history finds where a renamed or merged answer came from through the crosswalk.
    origins = {
        code: selectors.response_history(new[code])[2] for code in ("CAR.E1.NEW", "CAR.E2.MERGED")
    }
    assert {code: origin.indicator.code for code, origin in origins.items()} == {
        "CAR.E1.NEW": "CAR.E1.OLD",
        "CAR.E2.MERGED": "CAR.E2.M1",
    }
    assert selectors.response_history(new["CAR.E2.FRESH"])[2] is None
    assert (
        not Evidence.objects.filter(response__assessment__cycle=opening.cycle)
        .exclude(response=new["CAR.E1.NEW"])
        .exists()
    )


# --- Refusals -----------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["official", "facilitator", "outsider"])
def test_only_administrators_open_cycles(request, framework, region, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(services.WrongState):
        open_cycle(user, framework, [region], 2026)
    assert not Cycle.objects.exists()
    assert not Assessment.objects.exists()


def test_a_draft_framework_is_refused(db, administrator, region):
    draft = load("carry-v1.yaml", publish=False)
    assert not draft.is_published
    with pytest.raises(services.WrongState):
        open_cycle(administrator, draft, [region], 2026)
    assert not Cycle.objects.exists()


def test_opening_does_not_query_per_carried_item(
    approved_2025, framework, administrator, region, django_assert_max_num_queries
):
    carried = Evidence.objects.filter(response__assessment=approved_2025).count()
    assert carried > 40
    # A fixed number of queries per pre-filled region, however much evidence it carries.
    # Of these, 7 are the same for any cycle: the job's row (create, claim, read, done, read back),
    # the cycle as the job reads it, and the one INSERT ... SELECT of the blank answers. SQLite
    # takes 999 parameters a statement: the 55 pre-filled answers go in two INSERTs.
    with django_assert_max_num_queries(22):
        open_cycle(administrator, framework, [region], 2026)
