"""The navigation bar and the home page's panels, put together from what each app contributes.

Every app names a provider in `settings.NAVIGATION_PROVIDERS` (in layer order); a provider returns
its `NavEntry`s: label, URL name, where the link stands in the bar, who sees it (an `access` rule)
and which pages belong to its section (the link is marked as the current one there). The core
never names another app's pages.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import ResolverMatch, reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from smartcity import access
from smartcity.models import User


@dataclass(frozen=True)
class NavEntry:
    """One link an app contributes to the navigation bar."""

    label: str | Promise
    url_name: str
    # Order across apps: the core's links at 10 and 80-90, an app's in between.
    position: int
    visible_to: Callable[[User], bool]
    in_section: Callable[[ResolverMatch], bool]


@dataclass(frozen=True)
class HomePanel:
    """What an app draws on a page of another app: a template and its context. On one person's
    home page above the cards (`settings.HOME_PANELS`), on a gap report's page under its
    downloads (`settings.REPORT_PANELS`)."""

    template: str
    context: dict


def report_panels(request: HttpRequest, assessment) -> list[HomePanel]:
    """What later apps offer on a finished gap report's page (`settings.REPORT_PANELS`), such as
    drafting the master plan from it; a provider returns None when it has nothing to offer."""
    panels = (
        import_string(dotted_path)(request, assessment) for dotted_path in settings.REPORT_PANELS
    )
    return [panel for panel in panels if panel is not None]


def home_panels(request: HttpRequest) -> list[HomePanel]:
    """Every app's panels for this request, in the order of `settings.HOME_PANELS`; a provider
    returns None when it has nothing for this person."""
    panels = (import_string(dotted_path)(request) for dotted_path in settings.HOME_PANELS)
    return [panel for panel in panels if panel is not None]


@dataclass(frozen=True)
class NavLink:
    """A link as the template draws it, for one request."""

    label: str
    url: str
    active: bool


def _everyone(user: User) -> bool:
    return True


def _administration(user: User) -> bool:
    return access.is_administrator(user) or user.is_staff


def _core_page(*prefixes: str) -> Callable[[ResolverMatch], bool]:
    def in_section(match: ResolverMatch) -> bool:
        return not match.namespace and (match.url_name or "").startswith(prefixes)

    return in_section


def _never(match: ResolverMatch) -> bool:
    return False


def entries() -> list[NavEntry]:
    """The core's links: home, the framework browser and, for administrators, the Django admin."""
    return [
        NavEntry(_("Home"), "home", 10, _everyone, _core_page("home")),
        NavEntry(_("Framework"), "framework_list", 80, _everyone, _core_page("framework")),
        NavEntry(_("Administration"), "admin:index", 90, _administration, _never),
    ]


def navigation_entries() -> list[NavEntry]:
    """Every app's entries, in the order of the bar."""
    collected = [
        entry
        for dotted_path in settings.NAVIGATION_PROVIDERS
        for entry in import_string(dotted_path)()
    ]
    return sorted(collected, key=lambda entry: entry.position)


def navigation_links(request: HttpRequest) -> list[NavLink]:
    """The links the signed-in user may use, the one of the current page's section marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    return [
        NavLink(
            label=str(entry.label),
            url=reverse(entry.url_name),
            active=match is not None and entry.in_section(match),
        )
        for entry in navigation_entries()
        if entry.visible_to(user)
    ]
