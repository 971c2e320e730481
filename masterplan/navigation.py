"""The master plan's link in the navigation bar (`settings.NAVIGATION_PROVIDERS`) and its panel on
a gap report's page (`settings.REPORT_PANELS`)."""

from django.http import HttpRequest
from django.urls import ResolverMatch
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, AssessmentStatus
from masterplan import selectors
from masterplan.forms import DraftForm
from smartcity import access
from smartcity.navigation import HomePanel, NavEntry


def _plan_page(match: ResolverMatch) -> bool:
    return match.namespace == "masterplan"


def entries() -> list[NavEntry]:
    """Master plans for anyone with a role (the list shows what they may see and draft)."""
    return [
        NavEntry(_("Master plans"), "masterplan:plan_list", 45, access.has_any_role, _plan_page)
    ]


def report_panel(request: HttpRequest, assessment: Assessment) -> HomePanel | None:
    """On a final gap report (`settings.REPORT_PANELS`): the plan drafted from this assessment,
    or, for the region's officials, the drafting form with this assessment chosen. The draft's
    priorities are the report's, computed from the same approved levels."""
    if assessment.status != AssessmentStatus.APPROVED:
        return None
    plan = (
        selectors.plans_visible_to(request.user)
        .filter(assessment=assessment)
        .order_by("-edition")
        .first()
    )
    if plan is not None:
        return HomePanel("masterplan/report_panel.html", {"plan": plan})
    draftable = selectors.draftable_assessments(request.user).filter(pk=assessment.pk)
    if not draftable.exists():
        return None
    form = DraftForm(assessments=[assessment], initial={"assessment": assessment.pk})
    return HomePanel("masterplan/report_panel.html", {"plan": None, "draft_form": form})
