"""Pages of the core: home, sign-in, language switch, the framework browser and the health check."""

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from smartcity.access import administrator_required, is_administrator
from smartcity.forms import LoginForm
from smartcity.middleware import SUPPORTED_LANGUAGES, post_only
from smartcity.navigation import home_panels
from smartcity.selectors import framework_get, framework_tree, frameworks_visible_to
from smartcity.services import FrameworkRefused, framework_publish, user_set_language


def home(request: HttpRequest) -> HttpResponse:
    """Landing page after sign-in: what this person can do, by role, and what each app has for
    them now (`navigation.home_panels`)."""
    return render(request, "smartcity/home.html", {"panels": home_panels(request)})


class LoginView(auth_views.LoginView):
    """Django's login, keeping a language chosen on the sign-in page as the user's preference."""

    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in SUPPORTED_LANGUAGES:
            user_set_language(user=self.request.user, language=chosen)
        return response


class LogoutView(auth_views.LogoutView):
    """Sign-out is a POST; a GET (a typed or bookmarked address) asks to confirm with a button."""

    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return render(request, "registration/logout_confirm.html")


@login_not_required
@post_only
def switch_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and, when signed in, on the user."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in SUPPORTED_LANGUAGES:
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    """The framework versions the user may read; administrators also see drafts."""
    frameworks = frameworks_visible_to(request.user)
    return render(request, "smartcity/framework_list.html", {"frameworks": frameworks})


@require_GET
def framework_detail(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """A whole framework version: scale, predikat bands, pillars, elements, indicators."""
    framework = framework_tree(slug=slug, version=version, user=request.user)
    can_publish = not framework.is_published and is_administrator(request.user)
    return render(
        request,
        "smartcity/framework_detail.html",
        {"framework": framework, "can_publish": can_publish},
    )


@administrator_required
@post_only
def framework_publish_view(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """Publish a draft after the administrator confirmed that it can no longer change."""
    framework = framework_get(slug=slug, version=version, user=request.user)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the confirmation box to publish this version."))
    else:
        try:
            framework = framework_publish(framework=framework, user=request.user)
        except FrameworkRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("%(title)s version %(version)d is published.")
                % {"title": framework.title, "version": framework.version},
            )
    return redirect("framework_detail", slug=framework.slug, version=framework.version)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "down" to a health check
        return f"down: {error.__class__.__name__}"
    return "ok"


def _redis_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
    except redis.RedisError as error:
        return f"down: {error.__class__.__name__}"
    return "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Machine-readable health: database and (when configured) Redis; 503 when one is down."""
    checks = {"database": _database_state(), "redis": _redis_state()}
    healthy = all(state in ("ok", "not configured") for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
