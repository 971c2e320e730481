"""Sign-in, language, the login wall and the health check."""

import json

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

from smartcity.models import User


@pytest.mark.django_db
def test_signed_out_request_to_a_private_page_redirects_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


@pytest.mark.django_db
def test_admin_is_behind_the_login_wall(client):
    response = client.get("/admin/smartcity/region/")
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_login_page_is_indonesian_by_default_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Masuk" in html
    assert "Sign in" not in html
    assert response["Content-Language"] == "id"


@pytest.mark.django_db
def test_login_page_is_english_after_switching(client):
    response = client.post(reverse("switch_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html


@pytest.mark.django_db
def test_language_switch_ignores_unknown_language_and_foreign_redirects(client):
    response = client.post(
        reverse("switch_language"), {"language": "fr", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


def test_signing_in_with_english_chosen_keeps_it_as_the_users_language(client, official):
    client.post(reverse("switch_language"), {"language": "en", "next": reverse("login")})
    response = client.post(
        reverse("login"), {"username": "pejabat", "password": "sandi-uji-yang-panjang"}
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.language == "en"


def test_a_signed_in_users_saved_language_wins_over_a_stale_cookie(client, official):
    User.objects.filter(pk=official.pk).update(language="en")
    client.force_login(official)
    client.cookies["django_language"] = "id"
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html


def test_failed_sign_in_says_why_in_indonesian(client, official):
    response = client.post(reverse("login"), {"username": "pejabat", "password": "salah"})
    assert response.status_code == 200
    assert "nama pengguna atau kata sandi tidak benar" in response.content.decode().lower()


def test_home_shows_administration_only_to_administrators(client, official, administrator):
    client.force_login(official)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()
    client.force_login(administrator)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


def test_user_without_a_role_is_told_to_ask_for_one(client, outsider):
    client.force_login(outsider)
    html = client.get(reverse("home")).content.decode()
    assert "belum memiliki peran" in html


@pytest.mark.django_db
def test_healthz_is_public_and_reports_the_database(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body == {"status": "ok", "checks": {"database": "ok", "redis": "not configured"}}


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_configured_but_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"].startswith("down")


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch, settings):
    settings.REDIS_URL = ""

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("smartcity.views.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["database"] == "down: OperationalError"
