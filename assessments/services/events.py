"""The assessment's timeline: recording an event, and e-mailing about it through the outbox."""

from assessments.models import Assessment, AssessmentEvent
from smartcity import jobs
from smartcity.models import User

# The task (assessments.tasks) is named, not imported: the tasks call these services.
SEND_EVENT_EMAIL = "assessments.send_event_email"


def record(
    assessment: Assessment, kind: str, user: User | None, note: str = "", **data
) -> AssessmentEvent:
    return AssessmentEvent.objects.create(
        assessment=assessment, kind=kind, actor=user, note=note, data=data
    )


def notify(event: AssessmentEvent) -> None:
    jobs.enqueue_on_commit(SEND_EVENT_EMAIL, event.pk)
