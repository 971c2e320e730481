"""Assessments ready for a report, written in bulk (the report is what the tests look at)."""

from django.db.models import F, Value
from django.db.models.functions import Least, Mod
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus, IndicatorResponse, ReviewState


def fill(assessment: Assessment, *, level: int = 2, status: str = AssessmentStatus.APPROVED):
    """Every indicator at `level` (GOV.G1.1 one higher), target two above, reviewed as it stands
    when `status` is approved; the assessment put in `status`."""
    responses = IndicatorResponse.objects.filter(assessment=assessment)
    reviewed = status == AssessmentStatus.APPROVED
    responses.update(
        self_level=level,
        target_level=min(level + 2, 5),
        verified_level=level if reviewed else None,
        review_state=ReviewState.ACCEPTED if reviewed else ReviewState.PENDING,
    )
    responses.filter(indicator__code="GOV.G1.1").update(
        self_level=level + 1, verified_level=(level + 1) if reviewed else None
    )
    Assessment.objects.filter(pk=assessment.pk).update(
        status=status, approved_at=timezone.now() if reviewed else None
    )
    assessment.refresh_from_db()
    return assessment


def vary(assessment: Assessment) -> None:
    """Levels 0-4 by indicator position, so that regions differ."""
    IndicatorResponse.objects.filter(assessment=assessment).update(
        self_level=Least(Mod(F("indicator__position") + assessment.pk, Value(5)), Value(4))
    )


__all__ = ["fill", "vary"]
