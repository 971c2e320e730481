"""seed_demo: every app's seeder in layer order, the same story each time, idempotent."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from assessments.models import (
    Assessment,
    AssessmentStatus,
    CycleScoresJob,
    EventKind,
    ReviewState,
)
from evaluations.models import EvaluationRound
from masterplan.models import MasterPlan
from smartcity.models import Region, User

CYCLE_2023 = "2023 Penilaian Mandiri 2023 (created): "
CYCLE_2024 = "2024 Penilaian Mandiri 2024 (created): "
CYCLE_2025 = "2025 Penilaian Mandiri 2025 (created): "
CYCLE_2026 = "2026 Penilaian Mandiri 2026 (created): "
FIRST_RUN = [
    "",
    "Demo logins (password for all: kotacerdas-demo)",
    "  admin           Administrator            Indonesia",
    "  fasilitator     Fasilitator kementerian  Kepulauan Bangka Belitung",
    "  pangkalpinang   Pejabat daerah           Kota Pangkal Pinang",
    "  bangkaselatan   Pejabat daerah           Kabupaten Bangka Selatan",
    "  fasilitator     Fasilitator kementerian  Banten",
    "  kotatangerang   Pejabat daerah           Kota Tangerang",
    "  tangsel         Pejabat daerah           Kota Tangerang Selatan",
    "  kabtangerang    Pejabat daerah           Kabupaten Tangerang",
    "Framework: kota-cerdas v1 (published)",
    "E-mails to the demo people (<login>@demo.kotacerdas.example) are printed in this console.",
    "Cycles:",
    f"  {CYCLE_2023}Kabupaten Bangka Selatan approved, Kota Pangkal Pinang approved, "
    "Kabupaten Tangerang approved, Kota Tangerang approved, Kota Tangerang Selatan approved, "
    "{peers} other regions approved",
    f"  {CYCLE_2024}Kabupaten Bangka Selatan approved, Kota Pangkal Pinang approved, "
    "Kabupaten Tangerang approved, Kota Tangerang approved, Kota Tangerang Selatan approved, "
    "{peers} other regions approved",
    f"  {CYCLE_2025}Kabupaten Bangka Selatan draft, Kota Pangkal Pinang approved, "
    "{peers} other regions approved",
    f"  {CYCLE_2026}Kabupaten Bangka Selatan returned for revision, Kota Pangkal Pinang draft, "
    "Kabupaten Tangerang submitted, Kota Tangerang submitted, Kota Tangerang Selatan in review",
    "Master plan: Kota Pangkal Pinang, edition 1, in review, 59 action items (/masterplan/{plan}/)",
    "Evaluation round 2025: 61 regions, 61 final (/evaluations/rounds/{round_2025}/)",
    "Evaluation round 2026: 61 regions, 0 final (/evaluations/rounds/{round_2026}/)",
    "A later app's demo: 7 people seen",
    "Open http://127.0.0.1:8000/",
    "",
]


def later_app_seed() -> list[str]:
    """Stands for a later app's seeder: it runs after the others and sees their data."""
    return [f"A later app's demo: {User.objects.count()} people seen"]


def seed_demo(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_runs_each_apps_seeder_in_order_and_again_changes_nothing(settings):
    with override_settings(
        DEMO_SEEDERS=[*settings.DEMO_SEEDERS, "tests.smartcity.test_seed_demo.later_app_seed"]
    ):
        output = seed_demo().split("\n")
    plan = MasterPlan.objects.get(region__code="19.71")
    peers = Region.objects.count() - 5  # the program regions behind the story's five
    ids = {
        "plan": plan.pk,
        "peers": peers,
        **{f"round_{r.year}": r.pk for r in EvaluationRound.objects.all()},
    }
    assert output == [*(line.format(**ids) for line in FIRST_RUN), ""]
    approved = Assessment.objects.get(cycle__year=2025, region__code="19.71")
    assert approved.status == AssessmentStatus.APPROVED
    prefilled = Assessment.objects.get(cycle__year=2026, region__code="19.71")
    assert prefilled.responses.filter(carried_over=True).count() == approved.responses.count()

    # Every demo person has an address, so the notifications of the loop reach the console.
    assert sorted(User.objects.values_list("email", flat=True)) == sorted(
        f"{user.username}@demo.kotacerdas.example" for user in User.objects.all()
    )

    again = seed_demo()
    assert "(already there)" in again and "(created)" not in again
    assert "A later app's demo" not in again
    # 2023 and 2024 for every region, 2025 for all but the three Banten regions, 2026 for five.
    assert Assessment.objects.count() == 2 * (peers + 5) + (peers + 2) + 5


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_leaves_one_assessment_in_each_state_of_the_loop():
    seed_demo()
    states = {
        a.region.code: (a.cycle.year, a.status)
        for a in Assessment.objects.select_related("region", "cycle").filter(cycle__year=2026)
    }
    assert Assessment.objects.get(cycle__year=2025, region__code="19.71").status == (
        AssessmentStatus.APPROVED
    )
    assert states["19.71"] == (2026, AssessmentStatus.DRAFT)
    assert states["36.71"] == (2026, AssessmentStatus.SUBMITTED)
    assert states["36.74"] == (2026, AssessmentStatus.IN_REVIEW)
    assert states["19.03"] == (2026, AssessmentStatus.RETURNED)
    resubmitted = Assessment.objects.get(cycle__year=2026, region__code="36.03")
    assert resubmitted.status == AssessmentStatus.SUBMITTED
    assert resubmitted.events.filter(kind=EventKind.RESUBMITTED).exists()
    # The returned one: an adjusted level with its reason, and a flag with its note.
    returned = Assessment.objects.get(cycle__year=2026, region__code="19.03")
    adjusted = returned.responses.get(indicator__code="GOV.G1.1")
    assert adjusted.review_state == ReviewState.ADJUSTED
    assert adjusted.verified_level == adjusted.self_level - 1 and adjusted.verification_reason
    assert adjusted.flagged and adjusted.flag_note
    assert returned.return_note
    # Each approved cycle's page shows the recomputation the administrator ran.
    assert sorted(
        CycleScoresJob.objects.values_list("cycle__year", "requested_by__username", "status")
    ) == [(year, "admin", "done") for year in (2023, 2024, 2025)]


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_seed_demo_refuses_without_debug_unless_forced():
    with pytest.raises(CommandError, match="--force"):
        seed_demo()
    assert not User.objects.exists()
