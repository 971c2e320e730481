"""One region across cycles (who may see it, what it links to) and the dashboards' cache: a
change to a status, a report or a snapshot shows at once."""

import pytest
from django.core.cache import cache
from django.db.models.signals import post_save
from django.urls import reverse
from factory.django import mute_signals

from assessments import services
from assessments.models import AssessmentStatus, GapReport, ScoreSnapshot
from assessments.signals import scores_replaced
from masterplan.models import MasterPlan
from smartcity.jobs import JobStatus
from smartcity.models import Indicator
from tests.dashboards.builders import assess, cycle_of, evaluated, snapshot
from tests.helpers import signed_in


@pytest.fixture
def history(region, other_region):
    """Region A (19.71) and B (33.74) over three cycles, approved with rising scores."""
    cases = []
    for step, year in enumerate((2024, 2025, 2026)):
        cycle = cycle_of(year)
        for assessment in assess(cycle, [region, other_region], [AssessmentStatus.APPROVED]):
            snapshot(assessment, index=1.0 + 0.5 * step)
            cases.append(assessment)
    return cases


def test_the_region_page_shows_every_cycle_and_dimension(history, official, region):
    response = signed_in(official).get(reverse("dashboards:region", args=[region.pk]))
    assert response.status_code == 200
    data = response.context["data"]
    assert [row["year"] for row in data.cycles] == [2024, 2025, 2026]
    assert [row["index"] for row in data.cycles] == [1.0, 1.5, 2.0]
    assert data.years == [2024, 2025, 2026]
    assert [row["code"] for row in data.dimensions] == ["LAY"]
    assert b'id="region-trend-chart"' in response.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [("official", 200), ("facilitator", 200), ("administrator", 200), ("other_official", 404)],
)
def test_who_sees_region_a(history, region, persona, status, request):
    user = request.getfixturevalue(persona)
    assert signed_in(user).get(reverse("dashboards:region", args=[region.pk])).status_code == status


def test_a_facilitator_does_not_see_a_region_outside_their_province(
    history, facilitator, other_region
):
    response = signed_in(facilitator).get(reverse("dashboards:region", args=[other_region.pk]))
    assert response.status_code == 404


def test_the_page_links_the_plan_and_only_finished_reports(history, official, region):
    first = history[0]
    plan = MasterPlan.objects.create(
        region=region, assessment=first, start_year=2025, inputs_hash="x"
    )
    GapReport.objects.filter(assessment=history[2]).update(status=JobStatus.FAILED)
    response = signed_in(official).get(reverse("dashboards:region", args=[region.pk]))
    rows = {row["year"]: row for row in response.context["data"].cycles}
    assert rows[2024]["plan_url"] == reverse("masterplan:plan_detail", kwargs={"pk": plan.pk})
    assert rows[2025]["plan_url"] is None
    # The third assessment of region A is 2025's (the cases alternate A, B).
    assert history[2].cycle.year == 2025
    assert rows[2025]["report_url"] is None


# --- The cache -----------------------------------------------------------------------------------
def test_a_warm_dashboard_reads_no_figures_from_the_database(
    history, facilitator, django_assert_max_num_queries
):
    client = signed_in(facilitator)
    client.get(reverse("dashboards:maturity"))
    with django_assert_max_num_queries(4):  # session, user, scope, cycles
        assert client.get(reverse("dashboards:maturity")).status_code == 200


def test_the_cache_is_kept_per_scope(history, facilitator, administrator):
    assert signed_in(facilitator).get(reverse("dashboards:progress")).context["data"].total == 1
    assert signed_in(administrator).get(reverse("dashboards:progress")).context["data"].total == 2


def test_a_status_change_shows_at_once(region, official, facilitator):
    cycle = cycle_of(2026)
    (assessment,) = assess(cycle, [region], [AssessmentStatus.RETURNED])
    client = signed_in(facilitator)
    before = client.get(reverse("dashboards:progress")).context["data"]
    assert {row["status"]: row["count"] for row in before.counts}["returned"] == 1
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save()
    after = client.get(reverse("dashboards:progress")).context["data"]
    counts = {row["status"]: row["count"] for row in after.counts}
    assert counts["returned"] == 0 and counts["submitted"] == 1


def test_a_review_that_starts_shows_at_once(region, facilitator):
    cycle = cycle_of(2026)
    (assessment,) = assess(cycle, [region], [AssessmentStatus.SUBMITTED])
    client = signed_in(facilitator)
    client.get(reverse("dashboards:progress"))
    response = assessment.responses.create(indicator=Indicator.objects.first())
    services.response_verify(response=response, user=facilitator, verified_level=1, reason="ok")
    data = client.get(reverse("dashboards:progress")).context["data"]
    assert {row["status"]: row["count"] for row in data.counts}["in_review"] == 1


def test_a_new_snapshot_shows_at_once(region, facilitator):
    cycle = cycle_of(2026)
    (assessment,) = assess(cycle, [region], [AssessmentStatus.APPROVED])
    client = signed_in(facilitator)
    assert client.get(reverse("dashboards:maturity")).context["data"].regions == 0
    snapshot(assessment, index=2.0)
    assert client.get(reverse("dashboards:maturity")).context["data"].regions == 1


def test_the_region_page_reads_the_same_queries_for_one_cycle_or_three(
    region, other_region, official, administrator, django_assert_num_queries
):
    client = signed_in(official)
    for year in (2024, 2025, 2026):
        (assessment,) = assess(cycle_of(year), [region], [AssessmentStatus.APPROVED])
        snapshot(assessment, index=1.5)
        evaluated(year, [region], administrator)
        cache.clear()
        # session, user, scope, the region, then assessments, scores, events, reports, plans,
        # pillars, the scale and the evaluations with their letters
        with django_assert_num_queries(12):
            assert client.get(reverse("dashboards:region", args=[region.pk])).status_code == 200


def test_snapshot_sets_replaced_in_bulk_show_at_once(region, facilitator, administrator):
    """The cycle pass writes its reports and rows in bulk, which no `post_save` announces."""
    cycle = cycle_of(2026)
    (assessment,) = assess(cycle, [region], [AssessmentStatus.APPROVED])
    client = signed_in(facilitator)
    assert client.get(reverse("dashboards:maturity")).context["data"].regions == 0
    with mute_signals(post_save):  # only the bulk write's own announcement is left
        snapshot(assessment, index=2.0)
    assert client.get(reverse("dashboards:maturity")).context["data"].regions == 0  # cached
    scores_replaced.send(sender=ScoreSnapshot, assessment_ids=[assessment.pk])
    assert client.get(reverse("dashboards:maturity")).context["data"].regions == 1
