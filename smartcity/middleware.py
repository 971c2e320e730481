"""Request-wide rules: the language, NUL characters refused, sessions renewed while in use, the
Permissions-Policy header, and a page in place of a blank 405."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

SUPPORTED_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def preferred_language(request: HttpRequest) -> str:
    """A signed-in user's saved choice, else the language cookie, else Indonesian.

    The browser's Accept-Language is deliberately ignored: many officials run an English browser,
    and the product speaks Indonesian until someone asks for English.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in SUPPORTED_LANGUAGES:
        return user.language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in SUPPORTED_LANGUAGES:
        return cookie
    return settings.LANGUAGE_CODE


class PreferredLanguageMiddleware:
    """Activates `preferred_language` for the request (in place of Django's LocaleMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = preferred_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` -> `camera=(), fullscreen=(self)`."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """Sends `settings.PERMISSIONS_POLICY` on every response that has not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


NUL = "\x00"


def _carries_nul(request: HttpRequest) -> bool:
    if NUL in request.path_info or NUL in request.META.get("QUERY_STRING", ""):
        return True
    fields = [(name, [value]) for name, value in request.COOKIES.items()]
    fields += request.GET.lists()
    if request.method == "POST":
        fields += request.POST.lists()
    return any(NUL in name or any(NUL in value for value in values) for name, values in fields)


class RejectNulMiddleware:
    """400 for a NUL character anywhere in the path, query string, cookies or form fields.

    No text a person types contains NUL, and PostgreSQL cannot store it: left through, it turns
    into a 500 in whichever view, form, filter or admin page reads it first. One check here keeps
    every present and future page safe. It runs before the session and user are read (a cookie
    carrying NUL would break the session lookup), so the message's language comes from the
    language cookie.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            language = preferred_language(request)
            with translation.override(language):
                page = render_to_string("bad_request.html", {"LANGUAGE_CODE": language})
            return HttpResponseBadRequest(page)
        return self.get_response(request)


SESSION_RENEWED_AT = "_renewed_at"


def stamp_session(sender, request: HttpRequest, **kwargs) -> None:
    """On sign-in: the session counts as just renewed (connected to `user_logged_in`)."""
    request.session[SESSION_RENEWED_AT] = int(time.time())


class SessionRenewalMiddleware:
    """An idle timeout without a database write on every request.

    A signed-in session ends after SESSION_COOKIE_AGE seconds without a request. Django's
    SESSION_SAVE_EVERY_REQUEST would renew it by writing the session on every request (three more
    queries on each autosave); here it is written at most once per SESSION_RENEW_INTERVAL, so the
    idle limit holds to within that interval.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.get(SESSION_KEY):  # signed in; an anonymous visitor gets no session row
            now = int(time.time())
            if now - session.get(SESSION_RENEWED_AT, 0) >= settings.SESSION_RENEW_INTERVAL:
                session[SESSION_RENEWED_AT] = now  # modified: saved with a fresh expiry
        return self.get_response(request)


def post_only(view: Callable) -> Callable:
    """Django's `require_POST`, marked as an action so that `MethodNotAllowedPageMiddleware` never
    sends anyone onward to another action's address."""
    guarded = require_POST(view)
    guarded.post_only = True
    return guarded


def onward_path(path: str) -> str:
    """The nearest page above an action's address that a GET can open: `/assessments/5/submit/`
    -> `/assessments/5/`; the home page when nothing closer is one."""
    parts = path.strip("/").split("/")
    for end in range(len(parts) - 1, 0, -1):
        candidate = "/" + "/".join(parts[:end]) + "/"
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if not getattr(match.func, "post_only", False):
            return candidate
    return "/"


class MethodNotAllowedPageMiddleware:
    """A GET on an action's address (a bookmark, a reload, a typed URL) gets a page that says what
    the address is for and links onward, in place of Django's empty 405. The status stays 405 and
    the Allow header stays; a 405 that already has a body is left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or request.method not in ("GET", "HEAD")
            or response.streaming
            or response.content
        ):
            return response
        page = render_to_string(
            "405.html", {"onward": onward_path(request.path_info)}, request=request
        )
        response.content = page
        response["Content-Type"] = "text/html; charset=utf-8"
        return response
