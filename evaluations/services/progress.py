"""Progress reports of officials on their plan's items; evidence is checked like an assessment's."""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import evidence_types
from evaluations.models import (
    PeriodKind,
    ProgressEvidence,
    ProgressUpdate,
    ReportingPeriod,
    StatusChoice,
)
from evaluations.services.errors import InvalidInput, WrongState
from masterplan.models import ActionItem, FundingSource
from smartcity import access
from smartcity.models import User

NEEDS_REASON = (StatusChoice.DELAYED, StatusChoice.CANCELLED)


@dataclass(frozen=True)
class Progress:
    """What an official reports on an item for a period."""

    status: str
    percent: int = 0
    reason: str = ""
    actual_spend: int | None = None
    spend_source: str = ""
    kpi_value: str = ""
    note: str = ""
    evidence_url: str = ""


def progress_problems(values: Progress) -> dict[str, str]:
    problems = {}
    if values.status not in StatusChoice.values:
        problems["status"] = _("Choose a status.")
    if values.status in NEEDS_REASON and not values.reason.strip():
        problems["reason"] = _("Say why the item is delayed or cancelled.")
    if not 0 <= values.percent <= 100:
        problems["percent"] = _("The percentage is between 0 and 100.")
    if values.actual_spend is not None and values.actual_spend < 0:
        problems["actual_spend"] = _("The spend cannot be negative.")
    if values.actual_spend and not values.spend_source:
        problems["spend_source"] = _("Say where the money came from.")
    if values.spend_source and values.spend_source not in FundingSource.values:
        problems["spend_source"] = _("Choose a funding source from the list.")
    if values.evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(values.evidence_url)
        except Exception:  # noqa: BLE001 - Django's ValidationError: the message is ours
            problems["evidence_url"] = _("Enter a full web address (https://...).")
    return problems


def semester_periods(year: int) -> list[ReportingPeriod]:
    """The two semesters of `year`, created when missing (the default reporting periods)."""
    bounds = [
        (1, datetime.date(year, 1, 1), datetime.date(year, 6, 30)),
        (2, datetime.date(year, 7, 1), datetime.date(year, 12, 31)),
    ]
    return [
        ReportingPeriod.objects.get_or_create(
            year=year,
            kind=PeriodKind.SEMESTER,
            number=number,
            defaults={"starts_on": starts, "ends_on": ends},
        )[0]
        for number, starts, ends in bounds
    ]


@transaction.atomic
def progress_report(
    *,
    item: ActionItem,
    user: User,
    period: ReportingPeriod,
    values: Progress,
    upload: UploadedFile | None = None,
) -> ProgressUpdate:
    """Record a new report on `item` for `period` (earlier reports stay as its history).

    Only an official of the item's region reports; a period that has not begun is refused; a
    done item is 100 % complete; an evidence file is checked by its content.
    """
    if not access.can_edit_region(user, item.plan.region):
        raise WrongState(_("Only the region's officials report progress on its plan."))
    if period.starts_on > timezone.localdate():
        raise WrongState(_("This reporting period has not begun yet."))
    problems = progress_problems(values)
    content = None
    if upload is not None:
        try:
            content = evidence_types.read_checked(upload)
        except evidence_types.EvidenceRejected as rejected:
            problems["file"] = str(rejected)
    if problems:
        raise InvalidInput(problems)
    percent = 100 if values.status == StatusChoice.DONE else values.percent
    update = ProgressUpdate.objects.create(
        item=item,
        period=period,
        status=values.status,
        reason=values.reason.strip(),
        percent=percent,
        actual_spend=values.actual_spend,
        spend_source=values.spend_source,
        kpi_value=values.kpi_value.strip(),
        note=values.note.strip(),
        reported_by=user,
    )
    if content is not None:
        evidence = ProgressEvidence(
            update=update,
            original_name=content.original_name,
            content_type=content.content_type,
            size=len(content.data),
            sha256=hashlib.sha256(content.data).hexdigest(),
            uploaded_by=user,
        )
        evidence.file.save(f"upload.{content.extension}", ContentFile(content.data), save=False)
        evidence.save()
    if values.evidence_url:
        ProgressEvidence.objects.create(update=update, url=values.evidence_url, uploaded_by=user)
    return update
