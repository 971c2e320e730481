"""The master plan's link in the navigation bar (`settings.NAVIGATION_PROVIDERS`)."""

from django.urls import ResolverMatch
from django.utils.translation import gettext_lazy as _

from smartcity import access
from smartcity.navigation import NavEntry


def _plan_page(match: ResolverMatch) -> bool:
    return match.namespace == "masterplan"


def entries() -> list[NavEntry]:
    """Master plans for anyone with a role (the list shows what they may see and draft)."""
    return [
        NavEntry(_("Master plans"), "masterplan:plan_list", 45, access.has_any_role, _plan_page)
    ]
