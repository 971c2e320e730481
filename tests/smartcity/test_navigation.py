"""The navigation bar: each app's links (settings.NAVIGATION_PROVIDERS), shown by role, with the
current page's section marked."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from smartcity.navigation import NavEntry

ALL_ROLES = ["Beranda", "Kerangka"]
OFFICIAL = ["Beranda", "Penilaian", "Masterplan", "Kemajuan masterplan", "Kerangka"]
FACILITATOR = [
    "Beranda",
    "Penilaian",
    "Antrean verifikasi",
    "Siklus",
    "Masterplan",
    "Kemajuan masterplan",
    "Evaluasi",
    "Dasbor",
    "Butir tertinggal",
    "Kerangka",
]
ADMINISTRATOR = [*FACILITATOR, "Administrasi"]
NAV_LINK = re.compile(r'<a class="nav-link( active)?" href="([^"]+)"[^>]*>([^<]+)</a>')


def nav_links(client, user, url: str) -> list[tuple[str, str, bool]]:
    """(label, href, active) of the bar's links on `url`, read from the HTML."""
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    nav = response.content.decode().split('<ul class="navbar-nav me-auto">')[1].split("</ul>")[0]
    return [(label, href, bool(active)) for active, href, label in NAV_LINK.findall(nav)]


def labels(links) -> list[str]:
    return [label for label, _href, _active in links]


def active(links) -> list[str]:
    return [label for label, _href, is_active in links if is_active]


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("outsider", ALL_ROLES),
        ("official", OFFICIAL),
        ("other_official", OFFICIAL),
        ("facilitator", FACILITATOR),
        ("administrator", ADMINISTRATOR),
    ],
)
def test_each_role_sees_only_the_links_it_may_use(client, request, persona, expected):
    links = nav_links(client, request.getfixturevalue(persona), reverse("home"))
    assert labels(links) == expected
    assert active(links) == ["Beranda"]


def test_staff_without_a_role_gets_only_the_django_admin_besides_the_basics(client, outsider):
    outsider.is_staff = True
    outsider.save(update_fields=["is_staff"])
    links = nav_links(client, outsider, reverse("home"))
    assert labels(links) == [*ALL_ROLES, "Administrasi"]
    assert links[-1][1] == reverse("admin:index")


@pytest.mark.parametrize(
    "url_name, section",
    [
        ("assessments:list", "Penilaian"),
        ("assessments:review_queue", "Antrean verifikasi"),
        ("assessments:cycle_list", "Siklus"),
        ("dashboards:progress", "Dasbor"),
        ("framework_list", "Kerangka"),
    ],
)
def test_the_current_pages_section_is_marked(client, facilitator, url_name, section):
    links = nav_links(client, facilitator, reverse(url_name))
    assert active(links) == [section]
    assert {label: href for label, href, _a in links}[section] == reverse(url_name)


def test_signed_out_pages_have_no_navigation_links(client):
    response = client.get(reverse("login"))
    assert response.context["nav_links"] == []


def later_app_entries() -> list[NavEntry]:
    return [NavEntry("Rencana induk", "home", 50, lambda user: True, lambda match: False)]


def test_a_later_app_adds_its_links_without_touching_the_core(client, official, settings):
    providers = [
        *settings.NAVIGATION_PROVIDERS,
        "tests.smartcity.test_navigation.later_app_entries",
    ]
    with override_settings(NAVIGATION_PROVIDERS=providers):
        links = nav_links(client, official, reverse("home"))
    assert labels(links) == [
        "Beranda",
        "Penilaian",
        "Masterplan",
        "Kemajuan masterplan",
        "Rencana induk",
        "Kerangka",
    ]
