"""Gap reports: queued on approval, built once per inputs, snapshot sets replaced atomically, a
failure kept with its message and retried; the cycle-wide pass; the operators' commands."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from assessments import services
from assessments.models import (
    AssessmentStatus,
    CycleScoresJob,
    GapReport,
    IndicatorResponse,
    ReviewState,
    ScoreSnapshot,
)
from assessments.services import reports as report_services
from assessments.signals import scores_replaced
from smartcity import jobs
from smartcity.models import Region
from tests.assessments.reports_helpers import fill

ROWS_PER_SET = 55 + 27 + 9 + 2  # indicators, elements, pillars, the two indices


def build(assessment, user, capture):
    with capture(execute=True):
        report = services.gap_report_request(assessment=assessment, user=user)
    report.refresh_from_db()
    return report


def snapshot_reports(assessment) -> set[int]:
    return set(
        ScoreSnapshot.objects.filter(assessment=assessment).values_list("report_id", flat=True)
    )


@pytest.mark.django_db
def test_approval_queues_the_final_report_and_the_worker_writes_one_snapshot_set(
    assessment, facilitator, official, django_capture_on_commit_callbacks
):
    fill(assessment, status=AssessmentStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_approve(assessment=assessment, user=facilitator)
    report = GapReport.objects.get(assessment=assessment)
    assert (report.status, report.preliminary, report.basis) == ("done", False, "verified")
    rows = ScoreSnapshot.objects.filter(assessment=assessment)
    assert rows.count() == ROWS_PER_SET
    index = rows.get(scope="smart_city_index")
    assert index.code == "INDEX" and index.predikat and not index.preliminary
    gov = rows.get(scope="indicator", code="GOV.G1.1")
    assert (gov.current, gov.target, gov.gap, gov.basis) == (3.0, 4.0, 1.0, "verified")
    assert report.figures["top_gaps"][0]["gap"] == 2.0
    assert report.inputs_hash


@pytest.mark.django_db
def test_the_same_inputs_reuse_the_finished_report_and_a_change_builds_a_new_one(
    assessment, facilitator, django_capture_on_commit_callbacks
):
    fill(assessment)
    first = build(assessment, facilitator, django_capture_on_commit_callbacks)
    again = build(assessment, facilitator, django_capture_on_commit_callbacks)
    assert again.pk == first.pk and GapReport.objects.count() == 1

    IndicatorResponse.objects.filter(assessment=assessment, indicator__code="ENV.V1.1").update(
        verified_level=4
    )
    changed = build(assessment, facilitator, django_capture_on_commit_callbacks)
    assert changed.pk != first.pk and changed.status == "done"
    # The new report's set replaced the old one; the old report is kept.
    assert snapshot_reports(assessment) == {changed.pk}
    assert ScoreSnapshot.objects.filter(assessment=assessment).count() == ROWS_PER_SET
    assert GapReport.objects.filter(pk=first.pk, status="done").exists()


@pytest.mark.django_db
def test_a_build_delivered_twice_does_the_work_once(
    assessment, facilitator, django_capture_on_commit_callbacks
):
    fill(assessment)
    report = build(assessment, facilitator, django_capture_on_commit_callbacks)
    from assessments.tasks import build_gap_report

    assert build_gap_report(report.pk) == "done"
    assert ScoreSnapshot.objects.filter(assessment=assessment).count() == ROWS_PER_SET
    report.refresh_from_db()
    assert report.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_crash_half_way_keeps_the_previous_report_and_rows_and_the_failure_can_be_retried(
    assessment, facilitator, monkeypatch
):
    fill(assessment)
    first = services.gap_report_request(assessment=assessment, user=facilitator)
    first.refresh_from_db()
    assert first.status == "done"
    before = list(
        ScoreSnapshot.objects.filter(assessment=assessment).values_list("code", "current")
    )
    IndicatorResponse.objects.filter(assessment=assessment).update(verified_level=5)

    real_insert_rows = report_services.insert_rows

    def crash(model, *, fields, rows):
        real_insert_rows(model, fields=fields, rows=rows[:10])  # some rows written, then it dies
        raise RuntimeError("disk full")

    monkeypatch.setattr(report_services, "insert_rows", crash)
    failed = services.gap_report_request(assessment=assessment, user=facilitator)
    failed.refresh_from_db()
    assert failed.status == "failed"
    assert failed.error == jobs.SERVER_ERROR and "disk full" not in failed.error_message
    assert snapshot_reports(assessment) == {first.pk}
    assert (
        list(ScoreSnapshot.objects.filter(assessment=assessment).values_list("code", "current"))
        == before
    )

    monkeypatch.setattr(report_services, "insert_rows", real_insert_rows)
    assert jobs.job_retry(job=failed)
    failed.refresh_from_db()
    assert failed.status == "done" and failed.attempts == 2
    assert snapshot_reports(assessment) == {failed.pk}
    assert ScoreSnapshot.objects.get(assessment=assessment, scope="smart_city_index").current == 5


@pytest.mark.django_db
def test_a_submitted_assessment_gets_a_preliminary_report_on_mixed_levels(
    assessment, official, django_capture_on_commit_callbacks
):
    fill(assessment, status=AssessmentStatus.SUBMITTED)
    IndicatorResponse.objects.filter(assessment=assessment, indicator__code="GOV.G1.1").update(
        review_state=ReviewState.ADJUSTED, verified_level=1
    )
    report = build(assessment, official, django_capture_on_commit_callbacks)
    assert (report.status, report.preliminary, report.basis) == ("done", True, "mixed")
    assert not ScoreSnapshot.objects.filter(assessment=assessment, preliminary=False).exists()
    # Preliminary rows are never anyone's peer figures.
    assert report_services.frames.peer_snapshot_frame(assessment.cycle_id).empty


@pytest.mark.django_db
def test_who_may_ask_for_a_report(
    assessment, official, other_official, facilitator, outsider, english
):
    with pytest.raises(services.WrongState, match="submitted"):
        services.gap_report_request(assessment=assessment, user=official)  # still a draft
    fill(assessment, status=AssessmentStatus.SUBMITTED)
    for stranger in (other_official, outsider):
        with pytest.raises(services.WrongState, match="officials"):
            services.gap_report_request(assessment=assessment, user=stranger)
    assert not GapReport.objects.exists()


@pytest.mark.django_db
def test_a_report_of_an_assessment_sent_back_to_draft_fails_with_a_message(
    assessment, facilitator, django_capture_on_commit_callbacks
):
    fill(assessment, status=AssessmentStatus.SUBMITTED)
    report = services.gap_report_queue(assessment=assessment, user=facilitator)
    assessment.status = AssessmentStatus.RETURNED
    assessment.save()
    status = jobs.run_job(model=GapReport, pk=report.pk, work=services.gap_report_build)
    report.refresh_from_db()
    assert status == "failed" and report.error == report_services.NOT_REPORTABLE


# --- The cycle-wide pass -----------------------------------------------------------------------
@pytest.fixture
def two_approved(assessment, other_assessment):
    fill(assessment, level=3)
    fill(other_assessment, level=1)
    return assessment, other_assessment


@pytest.mark.django_db
def test_the_cycle_pass_equals_one_build_per_assessment_and_writes_in_bulk(
    two_approved, facilitator, administrator, django_capture_on_commit_callbacks,
    django_assert_num_queries,
):  # fmt: skip
    one, _other = two_approved
    for assessment in two_approved:
        build(assessment, administrator, django_capture_on_commit_callbacks)
    built = {
        (a, s, c): (cur, t, g, b, p)
        for a, s, c, cur, t, g, b, p in ScoreSnapshot.objects.values_list(
            "assessment_id", "scope", "code", "current", "target", "gap", "basis", "predikat"
        )
    }
    job = CycleScoresJob.objects.create(cycle=one.cycle, requested_by=administrator)
    # None per region: the job's claim, progress and finish (7), the cycle, the frame, regions,
    # scale, bands, earlier rows (6), one insert of reports, one delete, one insert of rows;
    # PostgreSQL first draws the reports' ids from their sequence (one more), to COPY them.
    with django_assert_num_queries(16 if connection.vendor == "postgresql" else 15):
        jobs.run_inline(job=job, work=services.cycle_scores_run)
    assert (job.reports, job.snapshots) == (2, 2 * ROWS_PER_SET)
    recomputed = {
        (a, s, c): (cur, t, g, b, p)
        for a, s, c, cur, t, g, b, p in ScoreSnapshot.objects.values_list(
            "assessment_id", "scope", "code", "current", "target", "gap", "basis", "predikat"
        )
    }
    assert recomputed == built
    assert ScoreSnapshot.objects.values("report_id").distinct().count() == 2
    assert GapReport.objects.filter(status="done").count() == 4


# --- Trend over cycles, and the commands ------------------------------------------------------
@pytest.fixture
def two_cycles(framework, administrator, region, other_region, facilitator):
    """Region and other region approved in 2025 (levels 1) and in 2026 (levels 2), with reports."""
    regions = Region.objects.filter(pk__in=[region.pk, other_region.pk])
    cycles = []
    for year, level in ((2025, 1), (2026, 2)):
        cycle = services.cycle_open(
            user=administrator,
            year=year,
            title=f"Penilaian Mandiri {year}",
            framework=framework,
            opens_on=datetime.date(year, 3, 1),
            closes_on=datetime.date(year, 6, 30),
            regions=regions,
            run_now=True,
        ).cycle
        for assessment in cycle.assessments.all():
            fill(assessment, level=level)
        call_command("recompute_scores", cycle=cycle.pk, stdout=io.StringIO())
        cycles.append(cycle)
    return cycles


@pytest.mark.django_db
def test_the_report_shows_the_change_since_the_previous_cycle(two_cycles, region):
    report = GapReport.objects.filter(
        assessment__cycle=two_cycles[1], assessment__region=region
    ).latest("pk")
    series = [(row["cycle"], row["code"], row["value"]) for row in report.figures["trend"]]
    assert ("Penilaian Mandiri 2025", "INDEX", pytest.approx(1.0185, abs=1e-3)) in series
    assert series[-1][0] == "Penilaian Mandiri 2026"
    index = next(row for row in report.figures["changes"] if row["code"] == "INDEX")
    assert index["change"] == pytest.approx(1.0)
    assert report.figures["markers"] == []


@pytest.mark.django_db
def test_recompute_scores_dry_run_writes_nothing_and_prints_a_summary(two_approved):
    out = io.StringIO()
    before = GapReport.objects.count()
    call_command("recompute_scores", cycle=two_approved[0].cycle_id, dry_run=True, stdout=out)
    assert "Would recompute" in out.getvalue() and "2 approved assessments" in out.getvalue()
    assert "verified 2" in out.getvalue()
    assert GapReport.objects.count() == before and not ScoreSnapshot.objects.exists()
    with pytest.raises(CommandError, match="does not exist"):
        call_command("recompute_scores", cycle=999999)


@pytest.mark.django_db
def test_export_scores_writes_one_row_per_region_scope_and_code(two_cycles, tmp_path):
    target = tmp_path / "scores.csv"
    call_command("export_scores", cycle=two_cycles[1].pk, out=str(target), stderr=io.StringIO())
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert list(rows[0]) == [
        "region_code", "scope", "code", "current", "target", "gap", "basis", "predikat",
        "previous", "change",
    ]  # fmt: skip
    assert len(rows) == 2 * ROWS_PER_SET
    index = next(r for r in rows if r["region_code"] == "19.71" and r["code"] == "INDEX")
    assert index["scope"] == "smart_city_index" and index["predikat"]
    assert (index["previous"], index["current"], index["change"]) == ("1.0185", "2.0185", "1")
    readiness = [r for r in rows if r["code"] == "READINESS"]
    assert [r["scope"] for r in readiness] == ["readiness_index"] * 2
    indicator = next(r for r in rows if r["code"] == "GOV.G1.1" and r["region_code"] == "19.71")
    assert indicator["predikat"] == "" and indicator["change"] == "1"

    first = io.StringIO()
    call_command("export_scores", cycle=two_cycles[0].pk, stdout=first)
    earliest = list(csv.DictReader(io.StringIO(first.getvalue())))
    assert {r["previous"] for r in earliest} == {""}  # no earlier cycle to compare with


@pytest.mark.django_db
def test_replacing_snapshot_sets_in_bulk_is_announced(two_approved, administrator):
    seen = []

    def receiver(sender, assessment_ids, **kwargs):
        seen.append(sorted(assessment_ids))

    scores_replaced.connect(receiver)
    try:
        job = CycleScoresJob.objects.create(cycle=two_approved[0].cycle, requested_by=administrator)
        jobs.run_inline(job=job, work=services.cycle_scores_run)
    finally:
        scores_replaced.disconnect(receiver)
    assert seen == [sorted(assessment.pk for assessment in two_approved)]
