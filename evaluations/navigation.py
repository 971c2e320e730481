"""The evaluations' links in the navigation bar (`settings.NAVIGATION_PROVIDERS`)."""

from django.urls import ResolverMatch
from django.utils.translation import gettext_lazy as _

from smartcity import access
from smartcity.navigation import NavEntry

PROGRESS_PAGES = frozenset({"progress_list", "progress_plan", "progress_item"})


def _progress_page(match: ResolverMatch) -> bool:
    return match.namespace == "evaluations" and match.url_name in PROGRESS_PAGES


def _evaluation_page(match: ResolverMatch) -> bool:
    return (
        match.namespace == "evaluations"
        and match.url_name != "lagging"
        and not _progress_page(match)
    )


def _lagging_page(match: ResolverMatch) -> bool:
    return match.namespace == "evaluations" and match.url_name == "lagging"


def entries() -> list[NavEntry]:
    """Progress of the plans for anyone with a role; evaluation rounds for facilitators and
    administrators; the lagging items for those who review regions."""
    return [
        NavEntry(
            _("Progress of the plan"),
            "evaluations:progress_list",
            45,
            access.has_any_role,
            _progress_page,
        ),
        NavEntry(
            _("Evaluations"), "evaluations:round_list", 50, access.can_read_cycles, _evaluation_page
        ),
        NavEntry(
            _("Lagging items"), "evaluations:lagging", 55, access.reviews_any_region, _lagging_page
        ),
    ]
