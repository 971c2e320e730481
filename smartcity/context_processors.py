"""Template context shared by every page."""

from django.http import HttpRequest

from smartcity.access import Scope, scope_of

REVIEW_PAGES = frozenset({"review_queue", "review", "return", "verify", "approve"})


def _section(request: HttpRequest) -> str:
    """Which navigation entry the current page belongs to."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    name = match.url_name or ""
    if match.namespace == "assessments":
        if name.startswith("cycle"):
            return "cycles"
        return "review" if name in REVIEW_PAGES else "assessments"
    if name.startswith("framework"):
        return "framework"
    return name


def navigation(request: HttpRequest) -> dict[str, object]:
    """The signed-in user's scope, so the navigation bar shows only what the role may use, and
    the section of the current page, to mark it in the bar."""
    user = getattr(request, "user", None)
    scope = scope_of(user) if user is not None and user.is_authenticated else Scope()
    return {"scope": scope, "nav_section": _section(request)}
