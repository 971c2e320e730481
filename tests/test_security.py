"""What an outside probe broke (issue 8, findings 4, 5 and 7), held by standing tests.

NUL characters are refused in one place (400, in the visitor's language) before any view, form,
admin filter or database sees them; comment redirects only go to paths of this site; sign-in is
throttled per user and per address with a page that says so; HSTS's subdomain and preload flags
and the session length are settings with safe defaults.
"""

import contextlib
import datetime
import json
import os
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, ResponseComment
from smartcity.models import Region
from tests.assessments.conftest import open_cycle
from tests.conftest import PROJECT_ROOT
from tests.factories import DEFAULT_PASSWORD

NUL_REFUSED_ID = "karakter yang tidak dapat digunakan"
NUL_REFUSED_EN = "a character that cannot be used"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Finding 4: the 500s -------------------------------------------------------------------------
@pytest.fixture
def assessment(administrator, region, other_region):
    """`region`'s draft assessment of a 2026 cycle on the default framework."""
    cycle = open_cycle(administrator, Region.objects.filter(pk__in=[region.pk, other_region.pk]))
    return Assessment.objects.get(cycle=cycle, region=region)


@pytest.fixture
def staff_administrator(administrator):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save(update_fields=["is_staff", "is_superuser"])
    return administrator


def _nul_refused(reply, phrase: str = NUL_REFUSED_ID) -> None:
    assert reply.status_code == 400, reply.status_code
    assert phrase in reply.content.decode()


def test_a_nul_in_an_element_code_is_refused(official, assessment):
    reply = signed_in(official).get(f"/assessments/{assessment.pk}/elements/%00/")
    _nul_refused(reply)


def test_a_nul_in_a_comment_body_is_refused_and_nothing_is_saved(official, assessment):
    response = assessment.responses.first()
    url = reverse("assessments:comment_add", args=[assessment.pk, response.pk])
    reply = signed_in(official).post(url, {"body": "a\x00b"})
    _nul_refused(reply)
    assert not ResponseComment.objects.exists()


def test_the_refusal_speaks_english_to_who_chose_it(official, assessment):
    client = signed_in(official)
    client.cookies["django_language"] = "en"
    _nul_refused(client.get("/assessments/?q=%00"), NUL_REFUSED_EN)


def test_a_nul_in_an_admin_list_filter_is_refused(staff_administrator):
    client = signed_in(staff_administrator)
    _nul_refused(client.get("/admin/assessments/assessment/?status=%00"))


def test_a_nul_in_an_admin_history_path_is_refused(staff_administrator):
    client = signed_in(staff_administrator)
    _nul_refused(client.get("/admin/assessments/indicatorresponse/%00/history/1/"))


def test_a_nul_in_a_cookie_is_refused_before_the_session_is_read(official):
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    _nul_refused(client.get("/"))


def test_a_nul_in_a_field_name_or_login_is_refused(db):
    reply = Client().post("/accounts/login/", {"username": "x\x00", "password": "y"})
    _nul_refused(reply)
    _nul_refused(Client().post("/accounts/login/", {"user\x00name": "x", "password": "y"}))


def test_forms_themselves_refuse_nul_with_a_form_error():
    """Behind the middleware, Django's CharField refuses NUL too (second line of defence)."""
    from smartcity.forms import LoginForm

    form = LoginForm(data={"username": "a\x00b", "password": "x"})
    assert not form.is_valid()
    assert "username" in form.errors


def test_ordinary_text_passes_the_nul_check(official, assessment):
    response = assessment.responses.first()
    url = reverse("assessments:comment_add", args=[assessment.pk, response.pk])
    reply = signed_in(official).post(url, {"body": "Data 0% tercapai \\x00 bukan NUL"})
    assert reply.status_code == 302
    assert ResponseComment.objects.get().body == "Data 0% tercapai \\x00 bukan NUL"


@pytest.mark.parametrize(
    "next_url",
    ["accept", "assessments:list", "//evil.example/", "https://evil.example/x", "javascript:x"],
)
def test_a_comment_goes_back_only_to_a_path_of_this_site(official, assessment, next_url):
    response = assessment.responses.first()
    url = reverse("assessments:comment_add", args=[assessment.pk, response.pk])
    reply = signed_in(official).post(url, {"body": "Mohon dicek", "next": next_url})
    assert reply.status_code == 302
    assert reply["Location"] == reverse("assessments:overview", args=[assessment.pk])


def test_a_comment_goes_back_to_the_page_it_came_from(official, assessment):
    response = assessment.responses.first()
    url = reverse("assessments:comment_add", args=[assessment.pk, response.pk])
    back = reverse("assessments:element", args=[assessment.pk, "STR.S1"]) + "#x"
    reply = signed_in(official).post(url, {"body": "Mohon dicek", "next": back})
    assert reply["Location"] == back


# --- Finding 5: sign-in throttling ---------------------------------------------------------------
LOCKED_ID = "Masuk dikunci untuk sementara"


def _sign_in(path: str, username: str, password: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})


def _fail(path: str, username: str, times: int, address: str = "10.0.0.1"):
    """`times` wrong passwords; all but a limit-reaching last one get the form back."""
    for attempt in range(1, times + 1):
        reply = _sign_in(path, username, "salah-sekali", address)
        locked = attempt >= settings.AXES_FAILURE_LIMIT
        assert reply.status_code == (429 if locked else 200), attempt
    return reply


def _right_password(user, address: str):
    return _sign_in("/accounts/login/", user.username, DEFAULT_PASSWORD, address)


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_wrong_passwords_lock_the_account_until_an_administrator_resets_it(
    settings, staff_administrator, path
):
    username = staff_administrator.username
    _fail(path, username, settings.AXES_FAILURE_LIMIT)
    refused = _sign_in(path, username, DEFAULT_PASSWORD)
    assert refused.status_code == 429
    assert LOCKED_ID in refused.content.decode()
    assert "30 menit" in refused.content.decode()
    assert "_auth_user_id" not in refused.wsgi_request.session
    # From another address the account is still locked (per user) ...
    assert _sign_in(path, username, DEFAULT_PASSWORD, address="10.9.9.9").status_code == 429

    call_command("axes_reset", verbosity=0)
    assert _sign_in(path, username, DEFAULT_PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked(settings, official, other_official):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in("/accounts/login/", f"tebakan-{attempt}", "salah", address="10.0.0.7")
    # ... even for a real account with its right password, from that address only.
    assert _right_password(official, "10.0.0.7").status_code == 429
    assert _right_password(official, "10.0.0.8").status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock_and_success_clears_them(settings, official):
    _fail("/accounts/login/", official.username, settings.AXES_FAILURE_LIMIT - 1)
    assert _sign_in("/accounts/login/", official.username, DEFAULT_PASSWORD).status_code == 302
    _fail("/accounts/login/", official.username, settings.AXES_FAILURE_LIMIT - 1)
    assert _sign_in("/accounts/login/", official.username, DEFAULT_PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(settings, official):
    _fail("/accounts/login/", official.username, settings.AXES_FAILURE_LIMIT)
    assert _sign_in("/accounts/login/", official.username, DEFAULT_PASSWORD).status_code == 429
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert _sign_in("/accounts/login/", official.username, DEFAULT_PASSWORD).status_code == 302


def test_an_administrator_unlocks_one_person_in_the_admin(settings, staff_administrator, official):
    from axes.models import AccessAttempt

    _fail("/accounts/login/", official.username, settings.AXES_FAILURE_LIMIT, address="10.1.1.1")
    attempt = AccessAttempt.objects.get(username=official.username)
    admin = signed_in(staff_administrator)
    page = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200 and official.username in page.content.decode()
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 302
    assert _right_password(official, "10.1.1.1").status_code == 302


def test_the_lockout_page_speaks_english_when_chosen(settings, official):
    _fail("/accounts/login/", official.username, settings.AXES_FAILURE_LIMIT)
    client = Client(REMOTE_ADDR="10.0.0.1")
    client.cookies["django_language"] = "en"
    reply = client.post("/accounts/login/", {"username": official.username, "password": "x"})
    assert reply.status_code == 429
    assert "Sign-in locked for now" in reply.content.decode()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.2"),
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the client's own entry on the left is ignored
        (2, "6.6.6.6, 1.2.3.4, 172.16.0.1", "1.2.3.4"),
        (2, "1.2.3.4", "10.0.0.2"),  # fewer entries than proxies: the header is not trusted
    ],
)
def test_the_client_address_behind_trusted_proxies(rf, settings, proxies, forwarded, expected):
    from smartcity.throttling import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.post("/accounts/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# --- Finding 7: HSTS flags and sessions ----------------------------------------------------------
def _settings_with(env: dict[str, str]) -> dict:
    """Selected settings as the real settings module computes them from `env`."""
    names = [
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    ]  # fmt: skip
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "SESSION_", "DJANGO_SETTINGS"))
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "smartcity.settings", "DEBUG": "0",
             "SECRET_KEY": "k" * 50, **env},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_hsts_never_covers_subdomains_or_preloads_by_itself():
    values = _settings_with({"SECURE_HSTS_SECONDS": "31536000"})
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False
    chosen = _settings_with(
        {"SECURE_HSTS_SECONDS": "31536000", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1"}
    )
    assert chosen["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert chosen["SECURE_HSTS_PRELOAD"] is False


def test_the_hsts_header_carries_only_the_chosen_flags(settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    reply = Client().get("/healthz", secure=True)
    assert reply["Strict-Transport-Security"] == "max-age=31536000"
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    reply = Client().get("/healthz", secure=True)
    assert reply["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_sessions_last_a_working_day_by_default_and_are_configurable():
    values = _settings_with({})
    assert values["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    chosen = _settings_with({"SESSION_COOKIE_AGE": "3600", "SESSION_EXPIRE_AT_BROWSER_CLOSE": "0"})
    assert chosen["SESSION_COOKIE_AGE"] == 3600
    assert chosen["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is False


def test_a_session_ends_with_the_browser_and_after_eight_idle_hours(official):
    client = Client(REMOTE_ADDR="10.0.0.3")
    reply = client.post(
        "/accounts/login/", {"username": official.username, "password": DEFAULT_PASSWORD}
    )
    assert reply.status_code == 302
    cookie = reply.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes
    session = Session.objects.get(session_key=cookie.value)
    idle = session.expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < idle <= datetime.timedelta(hours=8)

    # Using the site renews the eight hours, writing the session at most every few minutes.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + datetime.timedelta(hours=1)
    )
    assert client.get("/").status_code == 200
    session.refresh_from_db()
    # signed in moments ago: not written again yet
    assert session.expire_date - timezone.now() < datetime.timedelta(hours=1)
    with time_machine_seconds(settings.SESSION_RENEW_INTERVAL + 1):
        assert client.get("/").status_code == 200
    session.refresh_from_db()
    assert session.expire_date - timezone.now() > datetime.timedelta(hours=7, minutes=59)


def test_an_expired_session_signs_the_person_out(official):
    client = signed_in(official)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/").status_code == 302  # to the sign-in page


@contextlib.contextmanager
def time_machine_seconds(seconds: int):
    """time.time() as it will be `seconds` from now, for the session renewal's clock."""
    real = time.time
    with mock.patch("smartcity.middleware.time.time", lambda: real() + seconds):
        yield
