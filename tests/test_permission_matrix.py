"""The permission matrix: every URL pattern x every persona x GET and POST.

The patterns come from the URL resolver, the ids from one world of two regions in two provinces
(`tests.permission_matrix.build_world`), the expected outcome from the table in
`tests/permission_matrix.py`. A pattern nobody declared there fails `test_every_url_pattern_is_
declared`, so every new page states who may use it. Each request runs in a savepoint that is
rolled back, so no case changes what a later one finds (an empty POST to approve does approve);
the world itself is built once for the module and rolled back after it.
"""

import copy

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.permission_matrix import (
    METHODS,
    PERSONAS,
    all_routes,
    build_world,
    expectation_for,
    url_of,
)


def outcome(reply) -> str:
    """The reply as the table names it: "login", "admin-login" or the status code."""
    if reply.status_code == 302:
        location = reply["Location"]
        if location.startswith(reverse("login") + "?"):
            return "login"
        if location.startswith(reverse("admin:login") + "?"):
            return "admin-login"
    return str(reply.status_code)


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def send(client: Client, method: str, url: str):
    """One request whose writes are undone, so no case changes what the next one finds."""
    cookies = copy.deepcopy(client.cookies)  # a sign-out or language switch is undone too
    with transaction.atomic():
        reply = client.get(url) if method == "GET" else client.post(url)
        transaction.set_rollback(True)
    client.cookies = cookies
    return reply


def test_every_url_pattern_is_declared():
    undeclared = [route.key for route in all_routes() if expectation_for(route) is None]
    assert undeclared == [], (
        "Declare who may use these pages in tests/permission_matrix.py: " + ", ".join(undeclared)
    )


def test_every_declaration_names_a_url_pattern_every_persona_and_both_methods():
    from tests.permission_matrix import ADMIN_MODELS, ADMIN_SITE, EXPECTED

    keys = {route.key for route in all_routes()}
    assert set(EXPECTED) - keys == set()
    assert set(ADMIN_SITE) - keys == set()
    for expectation in [*EXPECTED.values(), *ADMIN_SITE.values()]:
        assert set(expectation) == set(METHODS)
        assert all(set(by_persona) == set(PERSONAS) for by_persona in expectation.values())
    from django.contrib import admin

    registered = {model._meta.label_lower for model in admin.site._registry}
    assert set(ADMIN_MODELS) == registered


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the six personas, rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_the_table_says_on_every_page(world, persona):
    client = client_for(world.users[persona])
    wrong = []
    for route in all_routes():
        expectation = expectation_for(route)
        if expectation is None:
            continue  # reported by test_every_url_pattern_is_declared
        url = url_of(route, world)
        for method in METHODS:
            got = outcome(send(client, method, url))
            expected = expectation[method][persona]
            if got != expected:
                wrong.append(f"{method} {url} ({route.key}): expected {expected}, got {got}")
    assert wrong == [], f"{persona}:\n" + "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [persona for persona in PERSONAS if persona != "anonymous"])
def test_no_address_a_signed_in_person_opens_answers_with_a_blank_page(world, persona):
    """A typed, bookmarked or reloaded address: every answer but a redirect has a body, and a
    405 (an action's address) says so and links onward."""
    client = client_for(world.users[persona])
    blank, actions = [], 0
    for route in all_routes():
        url = url_of(route, world)
        reply = send(client, "GET", url)
        if 300 <= reply.status_code < 400:
            continue
        body = b"".join(reply.streaming_content) if reply.streaming else reply.content
        if not body.strip():
            blank.append(f"GET {url} ({route.key}): {reply.status_code} with an empty body")
        elif reply.status_code == 405:
            actions += 1
            assert b"Alamat ini menjalankan sebuah tindakan" in body, url
            assert "POST" in reply["Allow"]
    assert blank == [], f"{persona}:\n" + "\n".join(blank)
    assert actions >= 10  # the walk did meet the actions' addresses
