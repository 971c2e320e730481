"""The evaluations' demo: a completed round, an open one, and Kota Pangkal Pinang's progress."""

import pytest
from django.test import override_settings

from assessments import demo as assessments_demo
from evaluations import demo
from evaluations.models import ProgressUpdate, RegionEvaluation
from masterplan import demo as masterplan_demo
from smartcity import demo as core_demo


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_demo_has_a_completed_and_an_open_round_with_progress_on_the_plan():
    for seeder in (core_demo, assessments_demo, masterplan_demo, demo):
        seeder.seed()
    completed = RegionEvaluation.objects.get(round__year=2025, region__code="19.71")
    assert completed.is_final and completed.achievement is not None
    [recommendation] = completed.recommendations.all()
    assert recommendation.follow_up.plan.region == completed.region
    current = RegionEvaluation.objects.get(round__year=2026, region__code="19.71")
    assert not current.is_final
    assert current.computed["OUTCOME"]["score"] is not None
    assert current.computed["programs"]
    statuses = set(ProgressUpdate.objects.values_list("status", flat=True))
    assert {"done", "in_progress", "delayed", "cancelled"} <= statuses
    assert any(row["status"] == "delayed" for row in current.computed["lagging"])
    reports = ProgressUpdate.objects.count()
    demo.seed()  # idempotent: both rounds are there, nothing is reported again
    assert ProgressUpdate.objects.count() == reports
    assert RegionEvaluation.objects.filter(round__year=2026).count() == 61
