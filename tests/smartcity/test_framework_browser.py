"""The framework browser: list, detail in both languages, publishing, query counts and the admin."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smartcity.models import Framework, FrameworkStatus, Indicator, User
from tests.helpers import PROJECT_ROOT

DEFAULT_FILE = PROJECT_ROOT / "fixtures" / "frameworks" / "kota-cerdas-v1.yaml"
# Queries of a detail page: session, user, memberships, then the framework and its six prefetches
# (levels, bands, pillars, elements, indicators, descriptors). It must not depend on the content.
DETAIL_QUERIES = 10


# --- Fixtures ---
@pytest.fixture
def default_framework(db) -> Framework:
    """The default framework (55 indicators), published."""
    call_command("load_framework", DEFAULT_FILE, publish=True)
    return Framework.objects.get(slug="kota-cerdas", version=1)


@pytest.fixture
def draft_framework(db, tmp_path) -> Framework:
    """Version 2 of the default framework, loaded but not published."""
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    text = re.sub(r"^version: 1$", "version: 2", text, count=1, flags=re.MULTILINE)
    path = tmp_path / "kota-cerdas-v2.yaml"
    path.write_text(text, encoding="utf-8")
    call_command("load_framework", path)
    framework = Framework.objects.get(slug="kota-cerdas", version=2)
    assert framework.status == FrameworkStatus.DRAFT
    return framework


def _text(indonesian: str, english: str) -> dict[str, str]:
    return {"id": indonesian, "en": english}


def large_framework_yaml(pillars: int = 12, elements: int = 4, indicators: int = 6) -> str:
    """A valid framework file on the default 0-5 scale, far larger than the default one."""
    default = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    top = max(level["value"] for level in default["scale"]["levels"])

    def levels(code: str) -> list[dict]:
        return [
            {
                "level": level,
                "id": f"Deskriptor {code} level {level}",
                "en": f"Descriptor {code} level {level}",
                **(
                    {"next": _text(f"Langkah {code} {level}", f"Step {code} {level}")}
                    if level < top
                    else {}
                ),
            }
            for level in range(1, top + 1)
        ]

    def indicator(code: str, index: int) -> dict:
        return {
            "code": code,
            "name": _text(f"Indikator besar {code}", f"Large indicator {code}"),
            "description": _text(f"Uraian {code}", f"About {code}"),
            "weight": 1,
            "evidence_from_level": None if index == 0 else 2,
            "allow_na": index == 1,
            "levels": levels(code),
        }

    content = {
        "slug": "kerangka-besar",
        "version": 1,
        "title": _text("Kerangka besar", "Large framework"),
        "scale": default["scale"],
        "bands": default["bands"],
        "pillars": [
            {
                "code": f"P{p}",
                "kind": "readiness" if p == 0 else "dimension",
                "name": _text(f"Pilar {p}", f"Pillar {p}"),
                "weight": 1,
                "elements": [
                    {
                        "code": f"P{p}.E{e}",
                        "name": _text(f"Elemen {p}.{e}", f"Element {p}.{e}"),
                        "weight": 1,
                        "indicators": [indicator(f"P{p}.E{e}.{i}", i) for i in range(indicators)],
                    }
                    for e in range(elements)
                ],
            }
            for p in range(pillars)
        ],
    }
    return yaml.safe_dump(content, allow_unicode=True, sort_keys=False)


@pytest.fixture
def large_framework(db, tmp_path) -> Framework:
    path = tmp_path / "kerangka-besar.yaml"
    path.write_text(large_framework_yaml(), encoding="utf-8")
    call_command("load_framework", path, publish=True)
    return Framework.objects.get(slug="kerangka-besar", version=1)


@pytest.fixture
def staff_administrator(administrator) -> User:
    """The administrator persona with access to Django's admin site."""
    administrator.is_staff = administrator.is_superuser = True
    administrator.save(update_fields=["is_staff", "is_superuser"])
    return administrator


def detail_url(framework: Framework) -> str:
    return reverse("framework_detail", args=[framework.slug, framework.version])


def publish_url(framework: Framework) -> str:
    return reverse("framework_publish", args=[framework.slug, framework.version])


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- List and detail, in both languages ---
def test_official_sees_the_published_default_framework_in_the_list(
    client, official, default_framework
):
    client.force_login(official)
    html = html_of(client.get(reverse("framework_list")))
    assert "Kerangka Kematangan Kota Cerdas" in html
    assert detail_url(default_framework) in html
    assert "kota-cerdas" in html
    assert "Diterbitkan" in html
    assert "9 pilar" in html
    assert "27 elemen" in html
    assert "55 indikator" in html


def test_framework_detail_is_in_indonesian_by_default(client, official, default_framework):
    client.force_login(official)
    html = html_of(client.get(detail_url(default_framework)))
    assert '<html lang="id">' in html
    assert "Layanan publik digital" in html
    assert "Rintisan" in html
    assert "Optimum" in html
    assert "Sangat Baik" in html
    assert "bukti dukung wajib mulai level 2" in html
    assert "Cara mencapai level 2" in html
    assert "Digital public services" not in html
    assert publish_url(default_framework) not in html


def test_framework_detail_switches_to_english(client, official, default_framework):
    client.force_login(official)
    client.post(reverse("switch_language"), {"language": "en"})
    html = html_of(client.get(detail_url(default_framework)))
    assert '<html lang="en">' in html
    assert "Digital public services" in html
    assert "Initial" in html
    assert "Very Good" in html
    assert "evidence required from level 2" in html
    assert "How to reach level 2" in html
    assert "Layanan publik digital" not in html
    assert "Rintisan" not in html


def test_detail_shows_an_indicator_with_its_descriptors_in_order(
    client, official, default_framework
):
    client.force_login(official)
    html = html_of(client.get(detail_url(default_framework)))
    start = html.index('id="GOV.G1.1"')
    card = html[start : html.index("</article>", start)]
    indicator = Indicator.objects.get(framework=default_framework, code="GOV.G1.1")
    texts = [d.text_id for d in indicator.descriptors.order_by("level")]
    positions = [card.index(text) for text in texts]
    assert positions == sorted(positions)
    assert ">Terkelola<" in card
    assert "Bobot 1" in card


def test_detail_groups_pillars_by_kind_in_file_order(client, official, default_framework):
    client.force_login(official)
    html = html_of(client.get(detail_url(default_framework)))
    assert "dilaporkan di samping indeks kota cerdas" in html
    # Readiness comes first in the file, so its section comes first, STR before INF and SUP.
    readiness, dimensions = html.index('id="readiness"'), html.index('id="dimension"')
    assert readiness < html.index('id="STR"') < html.index('id="INF"') < dimensions
    assert dimensions < html.index('id="GOV"')


def test_detail_shows_evidence_rules_and_the_na_badge(client, official, large_framework):
    client.force_login(official)
    html = html_of(client.get(detail_url(large_framework)))
    first = html[html.index('id="P1.E0.0"') : html.index('id="P1.E0.1"')]
    second = html[html.index('id="P1.E0.1"') : html.index('id="P1.E0.2"')]
    assert "tidak memerlukan bukti dukung" in first
    assert "Boleh tidak berlaku" not in first
    assert "bukti dukung wajib mulai level 2" in second
    assert "Boleh tidak berlaku" in second


def test_unknown_version_or_slug_is_404(client, official, default_framework):
    client.force_login(official)
    assert client.get(reverse("framework_detail", args=["kota-cerdas", 9])).status_code == 404
    assert client.get(reverse("framework_detail", args=["tidak-ada", 1])).status_code == 404


@pytest.mark.django_db
def test_signed_out_visitor_is_sent_to_sign_in(client, default_framework):
    for url in (reverse("framework_list"), detail_url(default_framework)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(publish_url(default_framework), {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_navigation_and_home_lead_every_signed_in_user_to_the_framework(client, outsider):
    client.force_login(outsider)
    html = html_of(client.get(reverse("home")))
    assert html.count(f'href="{reverse("framework_list")}"') == 2
    assert ">Kerangka<" in html
    assert client.get(reverse("framework_list")).status_code == 200


# --- Drafts are for administrators only ---
def test_draft_is_absent_from_the_officials_list(client, official, draft_framework):
    client.force_login(official)
    html = html_of(client.get(reverse("framework_list")))
    assert detail_url(draft_framework) not in html
    assert "Belum ada kerangka yang diterbitkan." in html


def test_administrator_sees_the_draft_with_a_badge(
    client, administrator, default_framework, draft_framework
):
    client.force_login(administrator)
    html = html_of(client.get(reverse("framework_list")))
    assert detail_url(draft_framework) in html
    assert detail_url(default_framework) in html
    assert html.count(">Draf<") == 1


@pytest.mark.parametrize("persona", ["official", "facilitator", "outsider"])
def test_draft_detail_is_404_for_non_administrators(client, request, persona, draft_framework):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(detail_url(draft_framework)).status_code == 404


def test_draft_detail_shows_the_administrator_a_publish_form(
    client, administrator, draft_framework, default_framework
):
    client.force_login(administrator)
    html = html_of(client.get(detail_url(draft_framework)))
    assert f'action="{publish_url(draft_framework)}"' in html
    assert 'name="confirm"' in html
    assert "tidak dapat diubah lagi" in html
    published_html = html_of(client.get(detail_url(default_framework)))
    assert publish_url(default_framework) not in published_html


# --- Publishing ---
@pytest.mark.parametrize("persona", ["official", "facilitator", "outsider"])
def test_publishing_is_404_for_non_administrators(client, request, persona, draft_framework):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(publish_url(draft_framework), {"confirm": "yes"})
    assert response.status_code == 404
    draft_framework.refresh_from_db()
    assert draft_framework.status == FrameworkStatus.DRAFT


def test_publishing_needs_post(client, administrator, official, draft_framework):
    client.force_login(administrator)
    assert client.get(publish_url(draft_framework), {"confirm": "yes"}).status_code == 405
    client.force_login(official)
    assert client.get(publish_url(draft_framework), {"confirm": "yes"}).status_code == 404
    draft_framework.refresh_from_db()
    assert draft_framework.status == FrameworkStatus.DRAFT


def test_publishing_needs_the_confirmation(client, administrator, draft_framework):
    client.force_login(administrator)
    response = client.post(publish_url(draft_framework), follow=True)
    assert response.redirect_chain == [(detail_url(draft_framework), 302)]
    assert "Centang kotak konfirmasi" in response.content.decode()
    draft_framework.refresh_from_db()
    assert draft_framework.status == FrameworkStatus.DRAFT


def test_administrator_publishes_a_draft(client, administrator, draft_framework):
    client.force_login(administrator)
    response = client.post(publish_url(draft_framework), {"confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(detail_url(draft_framework), 302)]
    html = response.content.decode()
    assert "Kerangka Kematangan Kota Cerdas versi 2 telah diterbitkan." in html
    assert 'name="confirm"' not in html
    draft_framework.refresh_from_db()
    assert draft_framework.status == FrameworkStatus.PUBLISHED
    assert draft_framework.published_by == administrator
    assert draft_framework.published_at is not None


def test_publishing_twice_says_it_is_already_published(client, administrator, draft_framework):
    client.force_login(administrator)
    client.post(publish_url(draft_framework), {"confirm": "yes"})
    first_published_at = Framework.objects.get(pk=draft_framework.pk).published_at
    response = client.post(publish_url(draft_framework), {"confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(detail_url(draft_framework), 302)]
    html = response.content.decode()
    assert "Versi kerangka ini sudah diterbitkan." in html
    assert "alert-danger" in html
    assert Framework.objects.get(pk=draft_framework.pk).published_at == first_published_at


def test_publish_of_an_unknown_version_is_404(client, administrator, default_framework):
    client.force_login(administrator)
    url = reverse("framework_publish", args=["kota-cerdas", 9])
    assert client.post(url, {"confirm": "yes"}).status_code == 404


# --- Query counts ---
def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        html_of(client.get(url))
    return len(queries)


def test_detail_query_count_does_not_grow_with_the_indicators(
    client, official, default_framework, large_framework, django_assert_max_num_queries
):
    assert Indicator.objects.filter(framework=large_framework).count() == 12 * 4 * 6
    client.force_login(official)
    client.get(reverse("home"))  # warm up whatever a first request reads once
    small = _count_queries(client, detail_url(default_framework))
    large = _count_queries(client, detail_url(large_framework))
    assert small == large
    with django_assert_max_num_queries(DETAIL_QUERIES):
        html_of(client.get(detail_url(large_framework)))
    assert small == DETAIL_QUERIES


def test_list_query_count_does_not_grow_with_the_frameworks(
    client, administrator, default_framework, django_assert_max_num_queries, tmp_path
):
    client.force_login(administrator)
    client.get(reverse("home"))
    one = _count_queries(client, reverse("framework_list"))
    for version in (2, 3, 4):
        text = DEFAULT_FILE.read_text(encoding="utf-8")
        text = re.sub(r"^version: 1$", f"version: {version}", text, count=1, flags=re.M)
        path = tmp_path / f"v{version}.yaml"
        path.write_text(text, encoding="utf-8")
        call_command("load_framework", path)
    with django_assert_max_num_queries(one):
        html = html_of(client.get(reverse("framework_list")))
    assert html.count("55 indikator") == 4


# --- Admin ---
def test_admin_lists_frameworks_and_cannot_add_one(client, staff_administrator, default_framework):
    client.force_login(staff_administrator)
    html = html_of(client.get(reverse("admin:smartcity_framework_changelist")))
    assert "Kerangka Kematangan Kota Cerdas" in html
    assert client.get(reverse("admin:smartcity_framework_add")).status_code == 403


def test_admin_refuses_to_change_a_published_framework(
    client, staff_administrator, default_framework
):
    client.force_login(staff_administrator)
    url = reverse("admin:smartcity_framework_change", args=[default_framework.pk])
    page = html_of(client.get(url))
    assert 'name="title_id"' not in page  # shown read-only
    response = client.post(
        url,
        {
            "title_id": "Diubah",
            "title_en": "Changed",
            "description_id": "",
            "description_en": "",
            "pillars-TOTAL_FORMS": "0",
            "pillars-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    default_framework.refresh_from_db()
    assert default_framework.title_id == "Kerangka Kematangan Kota Cerdas"


def test_admin_refuses_to_delete_a_published_framework(
    client, staff_administrator, default_framework
):
    client.force_login(staff_administrator)
    url = reverse("admin:smartcity_framework_delete", args=[default_framework.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:smartcity_framework_changelist")
    client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [default_framework.pk], "post": "yes"},
    )
    assert Framework.objects.filter(pk=default_framework.pk).exists()
    assert Indicator.objects.filter(framework=default_framework).count() == 55


def test_admin_parts_of_a_published_framework_are_read_only(
    client, staff_administrator, default_framework
):
    client.force_login(staff_administrator)
    indicator = Indicator.objects.get(framework=default_framework, code="GOV.G1.1")
    url = reverse("admin:smartcity_indicator_change", args=[indicator.pk])
    response = client.post(url, {"name_id": "Diubah", "name_en": "Changed"})
    assert response.status_code == 403
    delete_url = reverse("admin:smartcity_indicator_delete", args=[indicator.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    indicator.refresh_from_db()
    assert indicator.name_id == "Layanan publik digital"
    assert client.get(reverse("admin:smartcity_pillar_add")).status_code == 403


def test_admin_cannot_edit_a_draft_indicator_content_comes_from_files(
    client, staff_administrator, draft_framework
):
    """Content only changes by loading a file, so the stored content hash stays true."""
    client.force_login(staff_administrator)
    indicator = Indicator.objects.get(framework=draft_framework, code="GOV.G1.1")
    url = reverse("admin:smartcity_indicator_change", args=[indicator.pk])
    response = client.post(url, {"name_id": "Layanan publik digital (diperbaiki)"})
    assert response.status_code == 403
    indicator.refresh_from_db()
    assert indicator.name_id == "Layanan publik digital"


def test_admin_search_finds_an_indicator_by_code(client, staff_administrator, default_framework):
    client.force_login(staff_administrator)
    changelist = reverse("admin:smartcity_indicator_changelist")
    html = html_of(client.get(changelist, {"q": "GOV.G1.1"}))
    assert "Layanan publik digital" in html
    assert "SDM TIK dan literasi digital ASN" not in html


def test_admin_action_publishes_selected_drafts(
    client, staff_administrator, default_framework, draft_framework
):
    client.force_login(staff_administrator)
    response = client.post(
        reverse("admin:smartcity_framework_changelist"),
        {
            "action": "publish_selected",
            "_selected_action": [draft_framework.pk, default_framework.pk],
        },
        follow=True,
    )
    html = response.content.decode()
    draft_framework.refresh_from_db()
    assert draft_framework.status == FrameworkStatus.PUBLISHED
    assert draft_framework.published_by == staff_administrator
    assert "Kerangka Kematangan Kota Cerdas v2 telah diterbitkan." in html
    assert "Kerangka Kematangan Kota Cerdas v1: Versi kerangka ini sudah diterbitkan." in html


def test_detail_is_compressed_for_clients_that_accept_it(client, official, default_framework):
    client.force_login(official)
    plain = client.get(detail_url(default_framework))
    compressed = client.get(detail_url(default_framework), HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert len(compressed.content) < len(plain.content) / 4
