"""The assessment's timeline: recording an event and e-mailing about it once the write commits."""

from django.db import transaction

from assessments.models import Assessment, AssessmentEvent
from assessments.tasks import send_event_email
from smartcity.models import User


def record(
    assessment: Assessment, kind: str, user: User | None, note: str = "", **data
) -> AssessmentEvent:
    return AssessmentEvent.objects.create(
        assessment=assessment, kind=kind, actor=user, note=note, data=data
    )


def notify(event: AssessmentEvent) -> None:
    transaction.on_commit(lambda: send_event_email.delay(event.pk))
