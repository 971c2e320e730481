"""E-mails about assessment events, each in its recipient's language."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.models import AssessmentEvent, EventKind
from smartcity import access
from smartcity.models import User

TEMPLATES = {
    EventKind.SUBMITTED: "emails/assessment_submitted.txt",
    EventKind.RESUBMITTED: "emails/assessment_submitted.txt",
    EventKind.RETURNED: "emails/assessment_returned.txt",
    EventKind.APPROVED: "emails/assessment_approved.txt",
}


def recipients_for(event: AssessmentEvent) -> list[User]:
    """Submissions go to the region's facilitators; returns and approvals to its officials."""
    region = event.assessment.region
    if event.kind in (EventKind.SUBMITTED, EventKind.RESUBMITTED):
        people = access.facilitators_of(region)
    elif event.kind in (EventKind.RETURNED, EventKind.APPROVED):
        people = access.officials_of(region)
    else:
        return []
    return list(people.exclude(email=""))


def _subject(event: AssessmentEvent) -> str:
    names = {
        EventKind.SUBMITTED: _("Submitted for review: %(region)s, %(cycle)s"),
        EventKind.RESUBMITTED: _("Resubmitted for review: %(region)s, %(cycle)s"),
        EventKind.RETURNED: _("Returned for revision: %(region)s, %(cycle)s"),
        EventKind.APPROVED: _("Approved: %(region)s, %(cycle)s"),
    }
    return names[event.kind] % {
        "region": event.assessment.region.name,
        "cycle": event.assessment.cycle.title,
    }


def send_for_event(event_id: int) -> int:
    """Send the e-mails of one event; returns how many went out."""
    event = AssessmentEvent.objects.select_related(
        "assessment__region", "assessment__cycle", "actor"
    ).get(pk=event_id)
    template = TEMPLATES.get(event.kind)
    if template is None:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse(
        "assessments:overview", args=[event.assessment_id]
    )
    messages = []
    for recipient in recipients_for(event):
        with translation.override(recipient.language):
            body = render_to_string(
                template, {"event": event, "recipient": recipient, "link": link}
            )
            messages.append(EmailMessage(subject=_subject(event), body=body, to=[recipient.email]))
    if not messages:
        return 0
    return get_connection().send_messages(messages)
