"""Template context shared by every page."""

from django.http import HttpRequest

from smartcity.access import Scope, scope_of


def navigation(request: HttpRequest) -> dict[str, Scope]:
    """The signed-in user's scope, so the navigation bar shows only what the role may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"scope": Scope()}
    return {"scope": scope_of(user)}
