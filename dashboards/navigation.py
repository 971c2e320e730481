"""The dashboards' link in the navigation bar (`settings.NAVIGATION_PROVIDERS`)."""

from django.urls import ResolverMatch
from django.utils.translation import gettext_lazy as _

from smartcity import access
from smartcity.navigation import NavEntry


def _dashboard_page(match: ResolverMatch) -> bool:
    return match.namespace == "dashboards"


def entries() -> list[NavEntry]:
    """The dashboards for facilitators and administrators."""
    return [
        NavEntry(
            _("Dashboards"),
            "dashboards:progress",
            50,
            access.can_use_dashboards,
            _dashboard_page,
        )
    ]
