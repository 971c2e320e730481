"""The assessments' links in the navigation bar (`settings.NAVIGATION_PROVIDERS`) and their
panel on an official's home page (`settings.HOME_PANELS`)."""

from django.http import HttpRequest
from django.urls import ResolverMatch
from django.utils.translation import gettext_lazy as _

from assessments import selectors
from smartcity import access
from smartcity.navigation import HomePanel, NavEntry

REVIEW_PAGES = frozenset({"review_queue", "review", "return", "verify", "approve"})


def _cycle_page(match: ResolverMatch) -> bool:
    return match.namespace == "assessments" and (match.url_name or "").startswith("cycle")


def _review_page(match: ResolverMatch) -> bool:
    return match.namespace == "assessments" and match.url_name in REVIEW_PAGES


def _assessment_page(match: ResolverMatch) -> bool:
    return match.namespace == "assessments" and not (_cycle_page(match) or _review_page(match))


def entries() -> list[NavEntry]:
    """Assessments for anyone with a role; the verification queue and the cycles for
    facilitators and administrators."""
    return [
        NavEntry(_("Assessments"), "assessments:list", 20, access.has_any_role, _assessment_page),
        NavEntry(
            _("Verification queue"),
            "assessments:review_queue",
            30,
            access.can_use_review_queue,
            _review_page,
        ),
        NavEntry(_("Cycles"), "assessments:cycle_list", 40, access.can_read_cycles, _cycle_page),
    ]


def official_home_panel(request: HttpRequest) -> HomePanel | None:
    """For a region's official: the assessments returned to them with the facilitator's note, and
    the latest comments others left on their region's answers (not only in an e-mail)."""
    user = request.user
    if not access.scope_of(user).is_official:
        return None
    returned = list(selectors.returned_to(user))
    comments = selectors.recent_comments_for(user)
    if not returned and not comments:
        return None
    return HomePanel("assessments/home_official.html", {"returned": returned, "comments": comments})
