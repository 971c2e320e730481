"""The evaluation services on hand-made plans and cycles: progress, rounds, judgements,
recommendations and the refusals."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evaluations import selectors, services
from evaluations.models import (
    EvaluationStage,
    Judgement,
    ProgressEvidence,
    ProgressUpdate,
    RegionEvaluation,
    ReportingPeriod,
)
from evaluations.services import InvalidInput, Progress, WrongState
from masterplan.models import ActionItem, OriginChoice
from smartcity.models import Region
from tests.evaluations.conftest import (
    STAGES,
    WEIGHTS_2026,
    WEIGHTS_2027,
    approved,
    open_round,
)
from tests.helpers import pdf_bytes

pytestmark = pytest.mark.usefixtures("english")


def period(year=2026, number=1) -> ReportingPeriod:
    return {p.number: p for p in services.semester_periods(year)}[number]


def report(item, user, status, percent=0, year=2026, number=1, **extra):
    return services.progress_report(
        item=item,
        user=user,
        period=period(year, number),
        values=Progress(status=status, percent=percent, **extra),
    )


# --- Progress ------------------------------------------------------------------------------------
def test_an_official_reports_progress_and_the_history_is_kept(world, official):
    first = report(world.medium, official, "in_progress", 30, actual_spend=50, spend_source="APBD")
    second = report(world.medium, official, "in_progress", 60, number=2, kpi_value="12 layanan")
    assert list(selectors.history_of(world.medium)) == [second, first]
    assert selectors.latest_updates([world.medium])[world.medium.pk] == second
    done = report(world.quick, official, "done", 10)
    assert done.percent == 100  # a done item is complete, whatever was typed


def test_delayed_and_cancelled_need_a_reason(world, official):
    for status in ("delayed", "cancelled"):
        with pytest.raises(InvalidInput) as refused:
            report(world.medium, official, status)
        assert set(refused.value.problems) == {"reason"}
    report(world.medium, official, "delayed", reason="Lelang ulang")
    assert ProgressUpdate.objects.count() == 1


def test_bad_values_are_refused_with_nothing_written(world, official):
    with pytest.raises(InvalidInput) as refused:
        report(world.medium, official, "in_progress", 130, actual_spend=-5, spend_source="ZZZ")
    assert set(refused.value.problems) == {"percent", "actual_spend", "spend_source"}
    with pytest.raises(InvalidInput) as refused:
        report(world.medium, official, "in_progress", actual_spend=5)
    assert set(refused.value.problems) == {"spend_source"}
    assert not ProgressUpdate.objects.exists()


def test_evidence_is_checked_by_its_content(world, official):
    update = services.progress_report(
        item=world.quick,
        user=official,
        period=period(),
        values=Progress(status="done", evidence_url="https://jdih.example.go.id/perwal"),
        upload=SimpleUploadedFile("Perwal.pdf", pdf_bytes()),
    )
    kinds = sorted(bool(e.file) for e in update.evidence.all())
    assert kinds == [False, True]
    with pytest.raises(InvalidInput) as refused:
        services.progress_report(
            item=world.quick,
            user=official,
            period=period(),
            values=Progress(status="done"),
            upload=SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert "file" in refused.value.problems
    assert ProgressUpdate.objects.count() == 1 and ProgressEvidence.objects.count() == 2


def test_the_evidence_file_is_a_sandboxed_download_in_scope_only(world, official, other_official):
    from tests.helpers import signed_in

    update = services.progress_report(
        item=world.quick,
        user=official,
        period=period(),
        values=Progress(status="done"),
        upload=SimpleUploadedFile("Perwal.pdf", pdf_bytes()),
    )
    url = reverse("evaluations:progress_evidence", args=[update.evidence.get().pk])
    reply = signed_in(official).get(url)
    assert reply.status_code == 200 and b"".join(reply.streaming_content) == pdf_bytes()
    assert reply["Content-Security-Policy"].startswith("sandbox")
    assert "attachment" in reply["Content-Disposition"]
    assert signed_in(other_official).get(url).status_code == 404


def test_only_the_regions_officials_report(world, facilitator, other_official):
    for person in (facilitator, other_official):
        with pytest.raises(WrongState):
            report(world.medium, person, "in_progress")


def test_a_period_that_has_not_begun_is_refused(world, official):
    future = services.semester_periods(timezone.localdate().year + 1)[0]
    with pytest.raises(WrongState):
        services.progress_report(
            item=world.medium, user=official, period=future, values=Progress(status="done")
        )


def test_facilitators_see_overdue_and_delayed_items(world, official, facilitator, other_official):
    report(world.medium, official, "delayed", reason="Anggaran digeser")
    frame = selectors.lagging_items_for(facilitator, 2027)
    # the quick win (due 2026) is overdue without a report; the medium item is delayed
    assert sorted(frame["item_id"]) == sorted([world.quick.pk, world.medium.pk])
    assert selectors.lagging_items_for(other_official, 2027).empty


# --- Rounds and pre-computed scores --------------------------------------------------------------
def test_a_round_is_opened_with_its_weights_and_stages_as_data(world, administrator):
    evaluation_round = open_round(administrator)
    assert {d.code: d.weight for d in evaluation_round.dimensions.all()} == WEIGHTS_2026
    assert [s.kind for s in evaluation_round.stages.all()] == ["desk", "field"]
    assert evaluation_round.evaluations.count() == 1


@pytest.mark.parametrize(
    "weights, stages, problem",
    [
        ({**WEIGHTS_2026, "IMPACT": 40}, STAGES, "weights"),
        ({"BASELINE": 100}, STAGES, "weights"),
        (WEIGHTS_2026, STAGES[:1], "stages"),
        (
            WEIGHTS_2026,
            [
                STAGES[0],
                services.Stage("field", datetime.date(2026, 9, 1), datetime.date(2026, 8, 1)),
            ],
            "stages",
        ),
    ],
)
def test_a_round_with_bad_weights_or_stages_is_refused(
    world, administrator, weights, stages, problem
):
    with pytest.raises(InvalidInput) as refused:
        open_round(administrator, weights=weights, stages=stages)
    assert problem in refused.value.problems
    assert not RegionEvaluation.objects.exists()


def test_only_administrators_open_rounds(world, facilitator):
    with pytest.raises(WrongState):
        open_round(facilitator)


def test_scores_are_pre_computed_from_the_plan_and_the_cycles(world, official, administrator):
    report(world.quick, official, "done")
    report(world.medium, official, "in_progress", 40)
    evaluation = open_round(administrator).evaluations.get()
    computed = evaluation.computed
    assert computed["BASELINE"]["score"] == 3.5  # 3 + 2 x (3.31 - 3.06)
    # readiness 3.0; the governance item (the KES quick win) done: 5.0; mean 4.0
    assert computed["OUTPUT"]["score"] == 4.0
    # both 2026 items running: 400 of 400 budget
    assert computed["OUTCOME"]["inputs"]["share"] == 1.0
    assert computed["QUICK_WIN"]["inputs"] == {"due": 1, "on_time": 1}
    assert computed["IMPACT"]["score"] is None
    [line] = [row for row in computed["programs"] if row["pillar"] == "LAY"]
    assert (line["running"], line["planned"]) == (1, 1)  # the long-term item is not due yet
    # index over the four available dimensions: Impact is missing, not 0
    assert evaluation.achievement == pytest.approx(
        (3.5 * 10 + 4.0 * 20 + 5.0 * 30 + 5.0 * 10) / 70, abs=0.01
    )


def test_missing_data_stays_missing(region, administrator, other_region):
    regions = Region.objects.filter(pk=other_region.pk)
    evaluation = open_round(administrator, regions=regions).evaluations.get()
    assert all(evaluation.computed[code]["score"] is None for code in WEIGHTS_2026)
    assert evaluation.achievement is None


def test_weights_changed_between_two_years_change_the_index(world, official, administrator):
    report(world.quick, official, "done")
    first = open_round(administrator).evaluations.get()
    approved(world.plan.region, 2027, 3.5, readiness=3.0)
    second = open_round(administrator, year=2027, weights=WEIGHTS_2027).evaluations.get()
    assert first.achievement != second.achievement
    scores = {code: second.computed[code]["score"] for code in WEIGHTS_2027}
    used = [code for code, score in scores.items() if score is not None]
    expected = sum(scores[c] * WEIGHTS_2027[c] for c in used) / sum(WEIGHTS_2027[c] for c in used)
    assert second.achievement == pytest.approx(expected, abs=0.01)
    assert selectors.previous_evaluation(second) == first


def test_pre_computing_a_round_takes_a_fixed_number_of_queries(
    world, administrator, django_assert_num_queries
):
    evaluation_round = open_round(administrator)
    with django_assert_num_queries(10):  # savepoint, 3 reads, 4 frames, 1 write
        assert services.round_precompute(evaluation_round=evaluation_round) == 1


# --- Judgement ------------------------------------------------------------------------------------
def test_judgements_need_a_reason_and_stay_on_the_scale(world, facilitator, administrator):
    evaluation = open_round(administrator).evaluations.get()
    with pytest.raises(InvalidInput) as refused:
        services.judgement_save(
            evaluation=evaluation, user=facilitator, code="IMPACT", score=4, reason=""
        )
    assert set(refused.value.problems) == {"reason"}
    with pytest.raises(InvalidInput) as refused:
        services.judgement_save(
            evaluation=evaluation, user=facilitator, code="IMPACT", score=7, reason="Survei"
        )
    assert set(refused.value.problems) == {"score"}
    with pytest.raises(InvalidInput) as refused:
        services.judgement_save(
            evaluation=evaluation, user=facilitator, code="BASELINE", score=2, reason=" "
        )
    assert "override the pre-computed score 3.5" in refused.value.problems["reason"]
    judgement = services.judgement_save(
        evaluation=evaluation, user=facilitator, code="BASELINE", score=3, reason="Data 2025 ulang"
    )
    assert (judgement.computed, judgement.score) == (3.5, 3.0)
    evaluation.refresh_from_db()
    assert evaluation.stage in (EvaluationStage.DESK, EvaluationStage.FIELD)


def test_officials_and_other_facilitators_do_not_judge(
    world, official, administrator, other_official
):
    evaluation = open_round(administrator).evaluations.get()
    for person in (official, other_official):
        with pytest.raises(WrongState):
            services.judgement_save(
                evaluation=evaluation, user=person, code="IMPACT", score=4, reason="x"
            )
    assert not Judgement.objects.exists()


def test_finalising_needs_impact_and_quick_win_quality(world, facilitator, administrator):
    evaluation = open_round(administrator).evaluations.get()
    with pytest.raises(WrongState):
        services.evaluation_finalise(evaluation=evaluation, user=facilitator)
    services.judgement_save(
        evaluation=evaluation, user=facilitator, code="IMPACT", score=3.5, reason="Survei warga"
    )
    services.judgement_save(
        evaluation=evaluation, user=facilitator, code="QUICK_WIN_QUALITY", score=4.5,
        reason="Inovatif",
    )  # fmt: skip
    services.evaluation_finalise(evaluation=evaluation, user=facilitator)
    assert evaluation.is_final
    with pytest.raises(WrongState):
        services.judgement_save(
            evaluation=evaluation, user=facilitator, code="IMPACT", score=4, reason="later"
        )


# --- Recommendations ------------------------------------------------------------------------------
def test_recommendations_become_items_of_the_plan(world, official, facilitator, administrator):
    report(world.medium, official, "delayed", reason="Lelang gagal")
    evaluation = open_round(administrator, year=2027, stages=STAGES).evaluations.get()
    suggestions = dict(selectors.suggestions_for(evaluation))
    assert f"item:{world.medium.pk}" in suggestions
    picked = services.recommendation_add(
        evaluation=evaluation, user=facilitator, suggestion_key=f"item:{world.medium.pk}"
    )
    written = services.recommendation_add(
        evaluation=evaluation, user=facilitator, text="Tetapkan Perwal masterplan"
    )
    assert picked.source == "suggested" and written.source == "written"
    for recommendation in (picked, written):
        item = ActionItem.objects.get(pk=recommendation.follow_up_id)
        assert item.plan == world.plan
        assert item.origin == OriginChoice.MANUAL
        assert (item.start_year, item.end_year) == (2028, 2028)
        assert recommendation.text in item.title
    with pytest.raises(InvalidInput):
        services.recommendation_add(evaluation=evaluation, user=facilitator, suggestion_key="x")
    with pytest.raises(InvalidInput):
        services.recommendation_add(evaluation=evaluation, user=facilitator, text="  ")


# --- For the dashboards ---------------------------------------------------------------------------
def test_achievement_by_region_for_a_year_or_a_cycle(
    world, official, administrator, other_region, django_assert_num_queries
):
    report(world.quick, official, "done")
    evaluation_round = open_round(
        administrator, regions=Region.objects.filter(pk__in=[world.plan.region_id, other_region.pk])
    )
    regions = Region.objects.filter(code="19.71")
    with django_assert_num_queries(1):
        frame = selectors.achievement_by_region(2026, regions)
    [row] = frame.to_dict("records")
    assert row["region"] == "Kota Pangkal Pinang"
    assert row["achievement"] == evaluation_round.evaluations.get(region__code="19.71").achievement
    cycle = world.plan.assessment.cycle
    both = selectors.achievement_by_region(cycle, Region.objects.all())
    assert sorted(both["region_id"]) == sorted([world.plan.region_id, other_region.pk])
    assert both.set_index("region_id")["achievement"].isna()[other_region.pk]  # no data: NaN
    assert selectors.achievement_by_region(2030, Region.objects.all()).empty


def test_the_result_compares_with_the_previous_year(world, official, facilitator, administrator):
    from evaluations.pages import pillar_names, result_of

    report(world.quick, official, "done")
    first = open_round(administrator).evaluations.get()
    services.judgement_save(
        evaluation=first, user=facilitator, code="IMPACT", score=2.0, reason="Survei"
    )
    approved(world.plan.region, 2027, 3.5, readiness=3.0)
    second = open_round(administrator, year=2027, weights=WEIGHTS_2027).evaluations.get()
    services.judgement_save(
        evaluation=second, user=facilitator, code="IMPACT", score=3.0, reason="Survei"
    )
    second = selectors.evaluation_for(facilitator, second.pk)
    result = result_of(second, pillar_names(second), selectors.previous_evaluation(second))
    first.refresh_from_db()
    assert (result.previous_year, result.previous) == (2026, first.achievement)
    assert result.change == pytest.approx(result.achievement - first.achievement, abs=0.01)
    by_code = {row.code: row for row in result.dimensions}
    assert (by_code["IMPACT"].previous, by_code["IMPACT"].score) == (2.0, 3.0)
    assert by_code["BASELINE"].previous == 3.5
    assert result.stage is not None
