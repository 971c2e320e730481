"""Template context shared by every page."""

from django.http import HttpRequest

from smartcity.access import Scope, scope_of
from smartcity.navigation import navigation_links


def navigation(request: HttpRequest) -> dict[str, object]:
    """The signed-in user's scope, so pages show only what the role may use, and the links of the
    navigation bar that every app contributes (`smartcity.navigation`)."""
    user = getattr(request, "user", None)
    scope = scope_of(user) if user is not None and user.is_authenticated else Scope()
    return {"scope": scope, "nav_links": navigation_links(request)}
