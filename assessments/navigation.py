"""The assessments' links in the navigation bar (`settings.NAVIGATION_PROVIDERS`)."""

from django.urls import ResolverMatch
from django.utils.translation import gettext_lazy as _

from smartcity import access
from smartcity.navigation import NavEntry

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
