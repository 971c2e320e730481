"""The evaluations' links in the navigation bar (`settings.NAVIGATION_PROVIDERS`)."""

from django.urls import ResolverMatch
from django.utils.translation import gettext_lazy as _

from smartcity import access
from smartcity.navigation import NavEntry


def _evaluation_page(match: ResolverMatch) -> bool:
    return match.namespace == "evaluations" and match.url_name != "lagging"


def _lagging_page(match: ResolverMatch) -> bool:
    return match.namespace == "evaluations" and match.url_name == "lagging"


def entries() -> list[NavEntry]:
    """Evaluation rounds for facilitators and administrators; the lagging items for
    facilitators."""
    return [
        NavEntry(
            _("Evaluations"), "evaluations:round_list", 50, access.can_read_cycles, _evaluation_page
        ),
        NavEntry(
            _("Lagging items"), "evaluations:lagging", 55, access.reviews_any_region, _lagging_page
        ),
    ]
