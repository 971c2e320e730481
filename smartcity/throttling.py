"""Which client address a sign-in attempt comes from, for django-axes' per-address lockout."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str:
    """The connecting address, or behind `TRUSTED_PROXY_COUNT` proxies the address the outermost
    of them saw (counted from the right of X-Forwarded-For: entries further left are whatever the
    client chose to send, and trusting them would let anyone dodge the lockout)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies > 0 and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request: HttpRequest, original_response, credentials) -> HttpResponse:
    """The page a locked-out sign-in gets (429), in the visitor's language (django-axes'
    AXES_LOCKOUT_CALLABLE)."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
