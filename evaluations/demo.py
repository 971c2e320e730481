"""Demo data of the evaluations app: a completed 2025 round for the program regions and an open
2026 round, with a year of progress reports on Kota Pangkal Pinang's plan.

Needs the masterplan demo (Kota Pangkal Pinang's plan). Everything goes through the services.
Idempotent: a round already there for its year is left alone.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from assessments.demo import APPROVED_REGION_CODE
from evaluations import selectors, services
from evaluations.models import EvaluationRound, RegionEvaluation, StatusChoice
from evaluations.services import Progress, Stage
from masterplan.models import HorizonChoice
from smartcity.models import Region, User

ADMIN, OFFICIAL = "admin", "pangkalpinang"
COMPLETED_YEAR, OPEN_YEAR = 2025, 2026
WEIGHTS = {
    COMPLETED_YEAR: {"BASELINE": 10, "OUTPUT": 20, "OUTCOME": 30, "IMPACT": 30, "QUICK_WIN": 10},
    OPEN_YEAR: {"BASELINE": 15, "OUTPUT": 15, "OUTCOME": 30, "IMPACT": 20, "QUICK_WIN": 20},
}
# (status, percent, reason, spend share of the budget, KPI) for the plan's items in turn
REPORTS = [
    (StatusChoice.DONE, 100, "", 1.0, "Perwal ditetapkan"),
    (StatusChoice.IN_PROGRESS, 60, "", 0.5, "4 layanan terintegrasi"),
    (StatusChoice.DELAYED, 20, "Lelang pengadaan diulang karena peserta kurang.", 0.1, ""),
    (StatusChoice.IN_PROGRESS, 35, "", 0.3, ""),
    (StatusChoice.NOT_STARTED, 0, "", 0, ""),
    (StatusChoice.CANCELLED, 0, "Digabung dengan program provinsi.", 0, ""),
]


def _stages(year: int) -> list[Stage]:
    return [
        Stage("desk", datetime.date(year, 6, 2), datetime.date(year, 6, 27)),
        Stage("field", datetime.date(year, 10, 6), datetime.date(year, 11, 14)),
    ]


def _open(year: int, admin: User) -> EvaluationRound:
    return services.round_open(
        user=admin,
        year=year,
        title=f"Evaluasi Smart City {year}",
        weights=WEIGHTS[year],
        stages=_stages(year),
        regions=Region.objects.exclude(cohort_year=None),
    )


def _report_progress(official: User) -> int:
    """Reports on the plan's items for each semester of 2026 that has begun."""
    plan = selectors.current_plan_of(Region.objects.get(code=APPROVED_REGION_CODE))
    if plan is None:
        return 0
    periods = [
        period
        for period in services.semester_periods(OPEN_YEAR)
        if period.starts_on <= timezone.localdate()
    ]
    due = list(plan.items.filter(start_year__lte=OPEN_YEAR).order_by("position", "pk"))
    quick = [item for item in due if item.horizon == HorizonChoice.QUICK_WIN]
    chosen = (quick[:2] + [item for item in due if item not in quick[:2]])[: len(REPORTS)]
    count = 0
    for number, period in enumerate(periods, start=1):
        for item, (status, percent, reason, spent, kpi) in zip(chosen, REPORTS, strict=False):
            if number < len(periods) and status == StatusChoice.DONE:
                status, percent = StatusChoice.IN_PROGRESS, 70  # done in the last semester
            services.progress_report(
                item=item,
                user=official,
                period=period,
                values=Progress(
                    status=status,
                    percent=percent * number // len(periods),
                    reason=reason,
                    actual_spend=int(item.budget * spent * number / len(periods)) or None,
                    spend_source=(item.funding_source or "APBD") if spent else "",
                    kpi_value=kpi if number == len(periods) else "",
                ),
            )
            count += 1
    return count


JUDGEMENTS = [
    ("IMPACT", 3.2, "Survei kepuasan layanan dan paparan Dewan Smart City."),
    ("QUICK_WIN_QUALITY", 3.5, "Quick win menjawab masalah warga, replikasi masih terbatas."),
]


def _judge_and_finalise(evaluation: RegionEvaluation, assessor: User) -> None:
    for code, score, reason in JUDGEMENTS:
        services.judgement_save(
            evaluation=evaluation, user=assessor, code=code, score=score, reason=reason
        )
    services.recommendation_add(
        evaluation=evaluation,
        user=assessor,
        text="Tetapkan masterplan smart city dengan Peraturan Wali Kota/Bupati.",
    )
    services.evaluation_finalise(evaluation=evaluation, user=assessor)


@transaction.atomic
def load_demo_evaluations() -> list[EvaluationRound]:
    """The completed 2025 round (judged and final for every program region) and the open 2026
    round, pre-computed after Kota Pangkal Pinang's progress reports."""
    admin = User.objects.get(username=ADMIN)
    rounds = []
    completed = EvaluationRound.objects.filter(year=COMPLETED_YEAR).first()
    if completed is None:
        completed = _open(COMPLETED_YEAR, admin)
        for evaluation in completed.evaluations.select_related("region", "round"):
            _judge_and_finalise(evaluation, admin)
    rounds.append(completed)
    current = EvaluationRound.objects.filter(year=OPEN_YEAR).first()
    if current is None:
        _report_progress(User.objects.get(username=OFFICIAL))
        current = _open(OPEN_YEAR, admin)
    rounds.append(current)
    return rounds


def seed() -> list[str]:
    """Seed the two rounds (idempotent); returns the lines `seed_demo` prints."""
    with translation.override("id"):
        rounds = load_demo_evaluations()
    with translation.override("en"):
        return [
            f"Evaluation round {r.year}: {r.evaluations.count()} regions, "
            f"{r.evaluations.filter(stage='final').count()} final "
            f"({reverse('evaluations:round_detail', args=[r.pk])})"
            for r in rounds
        ]
