"""seed_demo: every app's seeder in layer order, the same story each time, idempotent."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from assessments.models import Assessment, AssessmentStatus
from smartcity.models import User

CYCLE_2025 = "2025 Penilaian Mandiri 2025 (created): "
CYCLE_2026 = "2026 Penilaian Mandiri 2026 (created): "
FIRST_RUN = [
    "",
    "Demo logins (password for all: kotacerdas-demo)",
    "  admin           Administrator            Indonesia",
    "  fasilitator     Fasilitator kementerian  Kepulauan Bangka Belitung",
    "  pangkalpinang   Pejabat daerah           Kota Pangkal Pinang",
    "  bangkaselatan   Pejabat daerah           Kabupaten Bangka Selatan",
    "Framework: kota-cerdas v1 (published)",
    "Cycles:",
    f"  {CYCLE_2025}Kabupaten Bangka Selatan draft, Kota Pangkal Pinang approved",
    f"  {CYCLE_2026}Kabupaten Bangka Selatan draft, Kota Pangkal Pinang draft",
    "A later app's demo: 4 people seen",
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
        assert seed_demo().split("\n") == [*FIRST_RUN, ""]
    approved = Assessment.objects.get(cycle__year=2025, region__code="19.71")
    assert approved.status == AssessmentStatus.APPROVED
    prefilled = Assessment.objects.get(cycle__year=2026, region__code="19.71")
    assert prefilled.responses.filter(carried_over=True).count() == approved.responses.count()

    again = seed_demo()
    assert "(already there)" in again and "(created)" not in again
    assert "A later app's demo" not in again
    assert Assessment.objects.count() == 4


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_seed_demo_refuses_without_debug_unless_forced():
    with pytest.raises(CommandError, match="--force"):
        seed_demo()
    assert not User.objects.exists()
