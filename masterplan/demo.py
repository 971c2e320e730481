"""Demo data of the masterplan app: Kota Pangkal Pinang's plan, drafted and worked on.

Needs the core demo (`smartcity.demo`: people, the default framework, the approved 2025
assessment of Kota Pangkal Pinang). Everything goes through the services, so the items' history
is real. Idempotent: a region that already has a plan is left alone.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import translation

from assessments.demo import APPROVED_REGION_CODE
from assessments.models import Assessment, AssessmentStatus
from masterplan import services
from masterplan.library_files import read_library_file
from masterplan.models import ActionItem, HorizonChoice, MasterPlan
from masterplan.rules import ItemInput, item_input_of
from masterplan.selectors import framework_scope_of
from smartcity.demo import FIXTURES
from smartcity.models import User

DEMO_LIBRARY = FIXTURES / "action_library" / "kota-cerdas-v1.yaml"
OFFICIAL = "pangkalpinang"
FACILITATOR = "fasilitator"  # the ministry's facilitator of Kepulauan Bangka Belitung
COMMENT = (
    "Anggaran quick win ini perlu dicek dengan pagu APBD 2026; mohon lampirkan rincian "
    "kegiatan dari DPA Diskominfo."
)
START_YEAR = 2026  # the RPJMD period 2025-2029 is under way: the plan starts with the budget year

SECTIONS = {
    "region_profile": (
        "Kota Pangkalpinang, ibu kota Provinsi Kepulauan Bangka Belitung, berpenduduk sekitar "
        "230 ribu jiwa. Ekonomi bertumpu pada perdagangan, jasa dan pariwisata, dengan "
        "pengaruh besar sektor timah di wilayah sekitarnya."
    ),
    "issues": (
        "Data antar-OPD belum terpadu; layanan perizinan dan retribusi masih sebagian manual; "
        "genangan di musim hujan; kunjungan wisata belum terdata dengan baik."
    ),
    "vision": "Pangkalpinang kota cerdas yang melayani, berdaya saing dan nyaman dihuni.",
    "opportunities": [
        "Program nasional Satu Data Indonesia dan SPBE",
        "Dukungan CSR perusahaan timah dan perbankan daerah",
    ],
    "threats": ["Ketergantungan ekonomi pada timah", "Keterbatasan fiskal APBD"],
    "council_members": [
        {"role": "Ketua", "name": "Wali Kota", "opd": "Sekretariat Daerah"},
        {"role": "Sekretaris", "name": "Kepala Bappeda", "opd": "Bappeda"},
    ],
    "team_members": [
        {"role": "Koordinator", "name": "Kepala Diskominfo", "opd": "Diskominfo"},
    ],
}


def _edit(item: ActionItem, user: User, **changes) -> ActionItem:
    return services.action_item_save(
        item=item, user=user, expected_version=item.version, values=item_input_of(item, **changes)
    )


@transaction.atomic
def load_demo_masterplan() -> MasterPlan | None:
    """Load the action library, draft Kota Pangkal Pinang's plan from its approved 2025
    assessment, edit a few items and the book's sections as its officials would, send it for
    review and leave the facilitator's comment on the edited quick win. Returns the plan (None
    without the approved demo assessment)."""
    assessment = (
        Assessment.objects.select_related("region", "cycle__framework")
        .filter(region__code=APPROVED_REGION_CODE, status=AssessmentStatus.APPROVED)
        .order_by("-cycle__year")
        .first()
    )
    if assessment is None:
        return None
    existing = MasterPlan.objects.filter(region=assessment.region).order_by("-edition").first()
    if existing is not None:
        return existing
    framework = assessment.cycle.framework
    spec = read_library_file(DEMO_LIBRARY, framework_scope_of(framework))
    services.action_library_load(spec=spec, framework=framework)
    official = User.objects.get(username=OFFICIAL)
    plan = services.masterplan_draft(assessment=assessment, user=official, start_year=START_YEAR)
    items = plan.items.order_by("start_year", "position")
    quick = items.filter(horizon=HorizonChoice.QUICK_WIN).first()
    if quick is not None:
        _edit(
            quick,
            official,
            lead_opd="Diskominfo Kota Pangkalpinang",
            rpjmd_program="Program Aplikasi Informatika",
            budget=60_000_000,
        )
    medium = items.filter(horizon=HorizonChoice.MEDIUM, indicator__code__startswith="BRA").first()
    if medium is not None:
        _edit(
            medium,
            official,
            title=f"{medium.title} bersama pelaku wisata Pangkalpinang"[:300],
            funding_source="CSR",
            rpjmd_program="Program Peningkatan Daya Tarik Destinasi Pariwisata",
        )
    services.action_item_create(
        plan=plan,
        user=official,
        values=ItemInput(
            title="Forum Smart City Pangkalpinang tahunan",
            description="Forum tahunan Dewan Smart City, OPD, kampus, komunitas dan dunia usaha "
            "untuk meninjau capaian rencana aksi.",
            horizon=HorizonChoice.MEDIUM,
            start_year=START_YEAR + 1,
            end_year=START_YEAR + 4,
            lead_opd="Bappeda Kota Pangkalpinang",
            budget=40_000_000,
            funding_source="APBD",
        ),
    )
    plan.refresh_from_db()
    services.masterplan_sections_save(
        plan=plan, user=official, expected_version=plan.version, sections=SECTIONS
    )
    services.masterplan_submit_for_review(plan=plan, user=official)
    if quick is not None:
        facilitator = User.objects.get(username=FACILITATOR)
        services.action_item_comment_add(item=quick, user=facilitator, body=COMMENT)
    return plan


def seed() -> list[str]:
    """Seed Kota Pangkal Pinang's master plan (idempotent); returns the line `seed_demo` prints."""
    with translation.override("id"):
        plan = load_demo_masterplan()
    if plan is None:
        return []
    with translation.override("en"):
        return [
            f"Master plan: {plan.region.name}, edition {plan.edition}, "
            f"{plan.get_status_display().lower()}, {plan.items.count()} action items "
            f"({reverse('masterplan:plan_detail', args=[plan.pk])})"
        ]
