"""The assessments' demo data for `make run`: Kota Pangkal Pinang's approved 2025 assessment and
a 2026 cycle pre-filled from it, with one assessment in every other state of the review loop,
written through the services so events and history are real. Behind them, the other program
regions' approved assessments of 2023, 2024 and 2025 (written in bulk, improving year by year),
and the gap reports of every approved assessment, so that Kota Pangkal Pinang's report shows a
trend over three cycles and its peers.

Run by `seed_demo` after the core's seeder (`settings.DEMO_SEEDERS`), which made the regions, the
default framework and the demo people.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone, translation

from assessments import services as assessment_services
from assessments.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Cycle,
    CycleScoresJob,
    EventKind,
    GapReport,
    IndicatorResponse,
    ReviewState,
)
from assessments.rules import Answer
from smartcity import jobs
from smartcity.demo import load_demo_framework
from smartcity.models import Framework, Region, User


@dataclass(frozen=True)
class DemoCycle:
    year: int
    title: str
    opens_on: date
    closes_on: date


DEMO_REGION_CODES = ("19.71", "19.03")
# In 2026 three Banten regions take part too, so the review loop shows every state at once.
SECOND_ROUND_REGION_CODES = ("36.71", "36.74", "36.03")
APPROVED_REGION_CODE = "19.71"
CYCLE_2023 = DemoCycle(2023, "Penilaian Mandiri 2023", date(2023, 3, 6), date(2023, 7, 31))
CYCLE_2024 = DemoCycle(2024, "Penilaian Mandiri 2024", date(2024, 3, 4), date(2024, 7, 31))
CYCLE_2025 = DemoCycle(2025, "Penilaian Mandiri 2025", date(2025, 3, 3), date(2025, 7, 31))
CYCLE_2026 = DemoCycle(2026, "Penilaian Mandiri 2026", date(2026, 3, 2), date(2026, 12, 18))
# Who answers each region's 2026 assessment, and how far its review has come: Kota Pangkal Pinang
# is still a draft (pre-filled from 2025); the others are each in one state of the loop.
STATES_2026 = {
    "19.03": ("bangkaselatan", "returned"),
    "36.71": ("kotatangerang", "submitted"),
    "36.74": ("tangsel", "in_review"),
    "36.03": ("kabtangerang", "resubmitted"),
}
# The return of 2026: GOV.G1.1 verified one level lower, with the reason, and flagged with a note.
ADJUSTED = ("GOV.G1.1", "SK tim layanan digital belum ditetapkan; layanan daring baru di DPMPTSP.")
FLAG_NOTE = "Sebutkan OPD yang sudah menjalankan layanan daring dan unggah SK timnya."
RETURN_NOTE = "Mohon perbaiki GOV.G1.1 sesuai catatan; indikator lain sudah sesuai."

# Kota Pangkal Pinang's self-assessed levels in 2025: a 2022-cohort city with its masterplan done,
# strongest in readiness and governance, weakest in environment and tourism data.
PANGKAL_PINANG_2025 = {
    "STR.S1.1": 2, "STR.S2.1": 3, "STR.S2.2": 3, "STR.S3.1": 2,
    "INF.I1.1": 3, "INF.I1.2": 2, "INF.I2.1": 3, "INF.I3.1": 2,
    "SUP.P1.1": 3, "SUP.P2.1": 2, "SUP.P3.1": 2,
    "GOV.G1.1": 3, "GOV.G1.2": 3, "GOV.G1.3": 2, "GOV.G2.1": 3, "GOV.G2.2": 3, "GOV.G2.3": 2,
    "GOV.G3.1": 3, "GOV.G3.2": 3, "GOV.G3.3": 2,
    "BRA.B1.1": 2, "BRA.B1.2": 1, "BRA.B1.3": 2, "BRA.B2.1": 2, "BRA.B2.2": 2, "BRA.B3.1": 3,
    "BRA.B3.2": 2,
    "ECO.E1.1": 2, "ECO.E1.2": 1, "ECO.E2.1": 2, "ECO.E2.2": 2, "ECO.E3.1": 3, "ECO.E3.2": 3,
    "ECO.E3.3": 2,
    "LIV.L1.1": 2, "LIV.L1.2": 2, "LIV.L2.1": 2, "LIV.L2.2": 2, "LIV.L2.3": 2, "LIV.L3.1": 2,
    "LIV.L3.2": 1, "LIV.L3.3": 1,
    "SOC.S1.1": 3, "SOC.S1.2": 2, "SOC.S2.1": 2, "SOC.S2.2": 2, "SOC.S3.1": 2, "SOC.S3.2": 2,
    "SOC.S3.3": 2,
    "ENV.V1.1": 1, "ENV.V1.2": 2, "ENV.V2.1": 1, "ENV.V2.2": 2, "ENV.V3.1": 2, "ENV.V3.2": 1,
}  # fmt: skip
NARRATIVES = {
    "STR.S2.1": "Wali Kota menetapkan smart city sebagai program prioritas dan menandatangani "
    "komitmen bersama dengan seluruh kepala OPD pada 22 September 2022.",
    "STR.S2.2": "Dewan Smart City dan Tim Pelaksana Smart City dibentuk dengan Keputusan Wali "
    "Kota. Tim Pelaksana melibatkan akademisi, pelaku usaha, komunitas, dan relawan TIK.",
    "SUP.P1.1": "Masterplan smart city tersusun melalui bimbingan teknis Gerakan Menuju Smart City "
    "2022 dan ditetapkan dengan Peraturan Wali Kota; kebijakan SPBE mengikutinya.",
    "GOV.G1.1": "Perizinan dan layanan administrasi prioritas dapat diajukan daring melalui portal "
    "Mal Pelayanan Publik; sekitar 40% layanan sudah transaksional.",
    "GOV.G1.2": "Pengaduan diterima melalui SP4N-LAPOR! dan kanal lokal dengan SOP tindak lanjut; "
    "sekitar 70% aduan diselesaikan.",
    "GOV.G3.1": "Masterplan smart city ditetapkan dengan Peraturan Wali Kota dan dirujuk dalam "
    "Renstra Diskominfo.",
    "GOV.G3.2": "Dasbor pimpinan tersedia di ruang command center dan menampilkan data layanan "
    "serta keuangan daerah.",
    "ECO.E3.2": "QRIS dipakai di pasar induk dan sebagian fasilitas umum; sekitar 35% pedagang "
    "pasar menerima pembayaran digital.",
}
LEAD_OPD = {
    "STR": "Bappeda dan BKPSDMD",
    "INF": "Dinas Komunikasi dan Informatika",
    "SUP": "Bagian Hukum Setda dan Dinas Komunikasi dan Informatika",
    "GOV": "Dinas Komunikasi dan Informatika bersama DPMPTSP",
    "BRA": "Dinas Pariwisata dan Bappeda",
    "ECO": "Dinas Koperasi, UKM, dan Perdagangan",
    "LIV": "Dinas Kesehatan, Dinas Perhubungan, dan Dinas PUPR",
    "SOC": "Dinas Pendidikan, Dinas Sosial, dan BPBD",
    "ENV": "Dinas Lingkungan Hidup",
}
# The facilitator's verification: a lower level than claimed, with the reason.
VERIFICATIONS = {
    "GOV.G3.2": (2, "Dasbor belum dipakai rutin dalam rapat pimpinan menurut notulen."),
    "ECO.E3.2": (2, "Bukti QRIS baru mencakup pasar induk; fasilitas umum lain belum terdata."),
}


def _narrative(response: IndicatorResponse, level: int, stories: dict[str, str]) -> str:
    code = response.indicator.code
    if code in stories:
        return stories[code]
    descriptor = response.indicator.descriptors.filter(level=level).first()
    situation = descriptor.text_id if descriptor else ""
    opd = LEAD_OPD.get(code.split(".")[0], "OPD terkait")
    return f"{situation} Pelaksana utama: {opd}.".strip()


def _answer_everything(
    assessment: Assessment, official: User, stories: dict[str, str] = NARRATIVES
) -> None:
    """Answer every indicator at Kota Pangkal Pinang's 2025 level, with links where needed."""
    region = assessment.region.code.replace(".", "")
    responses = assessment.responses.select_related("indicator", "assessment__cycle")
    for response in responses:
        level = PANGKAL_PINANG_2025[response.indicator.code]
        response.assessment = assessment
        response = assessment_services.response_save(
            response=response,
            user=official,
            expected_version=response.version,
            answer=Answer(
                self_level=level,
                not_applicable=False,
                na_reason="",
                narrative=_narrative(response, level, stories),
                target_level=None,
            ),
        )
        if response.indicator.needs_evidence_at(level):
            assessment_services.evidence_add_link(
                response=response,
                user=official,
                url=f"https://jdih.{region}.example/bukti/{response.indicator.code.lower()}",
                description=f"Dokumen pendukung {response.indicator.code} (contoh demo)",
            )


def _fill_and_approve(assessment: Assessment, official: User, facilitator: User) -> None:
    """Answer every indicator as Kota Pangkal Pinang did, attach links, submit and approve."""
    _answer_everything(assessment, official)
    assessment_services.assessment_submit(assessment=assessment, user=official)
    for code, (level, reason) in VERIFICATIONS.items():
        assessment_services.response_verify(
            response=assessment.responses.get(indicator__code=code),
            user=facilitator,
            verified_level=level,
            reason=reason,
        )
    assessment_services.assessment_approve(
        assessment=assessment, user=facilitator, note="Disetujui setelah verifikasi dokumen."
    )


def _take_through_the_loop(
    assessment: Assessment, official: User, facilitator: User, state: str
) -> None:
    """Fill and submit; then review (in_review), return (returned) or return and resubmit."""
    _answer_everything(assessment, official, stories={})
    assessment_services.assessment_submit(assessment=assessment, user=official)
    if state == "submitted":
        return
    code, reason = ADJUSTED
    adjusted = assessment.responses.get(indicator__code=code)
    assessment_services.response_verify(
        response=adjusted,
        user=facilitator,
        verified_level=adjusted.self_level - 1,
        reason=reason,
    )
    if state == "in_review":
        return
    assessment_services.assessment_return(
        assessment=assessment,
        user=facilitator,
        note=RETURN_NOTE,
        flags=[assessment_services.Flag(adjusted.pk, FLAG_NOTE)],
    )
    if state == "returned":
        return
    adjusted = assessment.responses.select_related("indicator", "assessment__cycle").get(
        pk=adjusted.pk
    )
    assessment_services.response_save(
        response=adjusted,
        user=official,
        expected_version=adjusted.version,
        answer=Answer(
            self_level=adjusted.self_level,
            not_applicable=False,
            na_reason="",
            narrative=f"{adjusted.narrative} SK tim layanan digital terlampir; layanan daring "
            "berjalan di DPMPTSP dan Disdukcapil.",
            target_level=adjusted.stated_target,
        ),
    )
    assessment.refresh_from_db()
    assessment_services.assessment_submit(assessment=assessment, user=official)


def _cycle(
    spec: DemoCycle, framework: Framework, admin: User, codes: tuple[str, ...]
) -> tuple[Cycle, bool]:
    cycle = Cycle.objects.filter(year=spec.year, title=spec.title).first()
    if cycle is not None:
        return cycle, False
    opening = assessment_services.cycle_open(
        user=admin,
        year=spec.year,
        title=spec.title,
        framework=framework,
        opens_on=spec.opens_on,
        closes_on=spec.closes_on,
        regions=Region.objects.filter(code__in=codes),
        run_now=True,
    )
    return opening.cycle, True


# The regions whose story the demo tells through the services; every other program region is
# approved in bulk, as its peers.
STORY_REGION_CODES = DEMO_REGION_CODES + SECOND_ROUND_REGION_CODES
# Levels below Kota Pangkal Pinang's 2025 answers in the earlier cycles: steady improvement.
EARLIER_STEPS = {2023: 2, 2024: 1}


def _peer_level(region_code: str, position: int, year: int) -> int:
    """A program region's level: its own base (1-3), a little spread across indicators, and one
    level better each year from 2023 to 2025."""
    base = sum(int(digit) for digit in region_code if digit.isdigit()) % 3 + 1
    spread = (position + base) % 3 - 1
    return max(0, min(5, base + spread + (year - 2024)))


def _approve_in_bulk(cycle: Cycle, facilitator: User, *, exclude: tuple[str, ...] = ()) -> int:
    """Answer, verify and approve the cycle's assessments of every region but `exclude` in bulk
    (their answers are background, not the story): levels from `_peer_level`, or Kota Pangkal
    Pinang's 2025 levels minus the year's step. Returns how many were approved."""
    assessments = cycle.assessments.exclude(region__code__in=exclude).exclude(
        status=AssessmentStatus.APPROVED
    )
    responses = list(
        IndicatorResponse.objects.filter(assessment__in=assessments)
        .select_related("indicator", "assessment__region")
        .order_by("assessment_id", "indicator__position")
    )
    for position, response in enumerate(responses):
        code = response.assessment.region.code
        if code == APPROVED_REGION_CODE and cycle.year in EARLIER_STEPS:
            level = max(0, PANGKAL_PINANG_2025[response.indicator.code] - EARLIER_STEPS[cycle.year])
        else:
            level = _peer_level(code, position, cycle.year)
        response.self_level = response.verified_level = level
        response.not_applicable = False
        response.target_level = min(level + 1, 5)
        response.review_state = ReviewState.ACCEPTED
        response.narrative = response.narrative or f"Kondisi {response.indicator.code} (demo)."
    IndicatorResponse.objects.bulk_update(
        responses,
        [
            "self_level",
            "verified_level",
            "not_applicable",
            "target_level",
            "review_state",
            "narrative",
        ],
        batch_size=2000,
    )
    approved_at = timezone.make_aware(datetime.combine(cycle.closes_on, time(10)))
    ids = list(assessments.values_list("pk", flat=True))
    Assessment.objects.filter(pk__in=ids).update(
        status=AssessmentStatus.APPROVED, approved_at=approved_at, approved_by=facilitator
    )
    AssessmentEvent.objects.bulk_create(
        AssessmentEvent(assessment_id=pk, kind=EventKind.APPROVED, actor=facilitator) for pk in ids
    )
    return len(ids)


def _reports(cycle: Cycle, administrator: User) -> None:
    """Every approved assessment's report: those the approvals queued are built now, then the
    cycle-wide pass, as the administrator asked for it on the cycle's page, writes the final set
    (with peers and the trend over earlier cycles)."""
    for report in GapReport.objects.filter(assessment__cycle=cycle, status=jobs.JobStatus.QUEUED):
        jobs.run_inline(job=report, work=assessment_services.gap_report_build)
    job = CycleScoresJob.objects.create(cycle=cycle, requested_by=administrator)
    jobs.run_inline(job=job, work=assessment_services.cycle_scores_run)


@transaction.atomic
def load_demo_cycles(framework: Framework) -> list[tuple[Cycle, bool]]:
    """The 2025 cycle with Kota Pangkal Pinang's assessment approved (through the services, so its
    events and history are real), then the 2026 cycle pre-filled from it, where the other regions
    are submitted, in review, returned (an adjusted level with its reason, a flag with its note)
    and resubmitted; idempotent.

    Returns each cycle with whether it was created now. Needs the demo people.
    """
    people = {u.username: u for u in User.objects.filter(username__in=["admin", "fasilitator"])}
    official = User.objects.get(username="pangkalpinang")
    peers = tuple(
        Region.objects.exclude(code__in=STORY_REGION_CODES).values_list("code", flat=True)
    )
    first, created_first = _cycle(CYCLE_2025, framework, people["admin"], DEMO_REGION_CODES + peers)
    if created_first:
        assessment = Assessment.objects.select_related("region", "cycle__framework").get(
            cycle=first, region__code=APPROVED_REGION_CODE
        )
        _fill_and_approve(assessment, official, people["fasilitator"])
    second, created_second = _cycle(
        CYCLE_2026, framework, people["admin"], DEMO_REGION_CODES + SECOND_ROUND_REGION_CODES
    )
    if created_second:
        officials = User.objects.in_bulk(
            [name for name, _state in STATES_2026.values()], field_name="username"
        )
        for code, (name, state) in STATES_2026.items():
            assessment = Assessment.objects.select_related("region", "cycle__framework").get(
                cycle=second, region__code=code
            )
            _take_through_the_loop(assessment, officials[name], people["fasilitator"], state)
    # The earlier cycles come after, so that the 2025 and 2026 answers start as they always did.
    all_codes = tuple(Region.objects.values_list("code", flat=True))
    earlier = [
        _cycle(spec, framework, people["admin"], all_codes) for spec in (CYCLE_2023, CYCLE_2024)
    ]
    for cycle, created in earlier:
        if created:
            _approve_in_bulk(cycle, people["fasilitator"])
            _reports(cycle, people["admin"])
    if created_first:
        _approve_in_bulk(first, people["fasilitator"], exclude=STORY_REGION_CODES)
        _reports(first, people["admin"])
    return [*earlier, (first, created_first), (second, created_second)]


def seed() -> list[str]:
    """Seed the cycles (idempotent); returns the lines `seed_demo` prints, one per cycle."""
    framework = load_demo_framework()
    # The demo's answers and notes are Indonesian data; service messages stay Indonesian too.
    with translation.override("id"):
        cycles = load_demo_cycles(framework)
    with translation.override("en"):
        return ["Cycles:", *(_cycle_line(cycle, created) for cycle, created in cycles)]


def _cycle_line(cycle: Cycle, created: bool) -> str:
    """The story regions by name and status, then how many other regions are approved."""
    assessments = cycle.assessments.select_related("region").order_by("region__code")
    story = [
        a for a in assessments if a.region.code in DEMO_REGION_CODES + SECOND_ROUND_REGION_CODES
    ]
    named = [f"{a.region.name} {a.get_status_display().lower()}" for a in story]
    others = len(assessments) - len(story)
    if others:
        named.append(f"{others} other regions approved")
    state = "created" if created else "already there"
    return f"  {cycle.year} {cycle.title} ({state}): {', '.join(named)}"
