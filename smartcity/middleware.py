"""Request language: Indonesian unless the person chose otherwise."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
