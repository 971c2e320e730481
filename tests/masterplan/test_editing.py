"""The plan's editing pages as each persona: items (validation, optimistic locking with two
clients, create, delete, history), sections, comments, the life cycle, regeneration, and the
refusals (404 outside scope, 403 for a reader trying to write, read-only once final)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from masterplan import services
from masterplan.forms import ItemForm
from masterplan.models import ActionItem, ActionItemComment, OriginChoice, PlanStatus
from masterplan.planning import Horizon
from smartcity.models import Role, User
from tests.csp import inline_code_problems
from tests.factories import MembershipFactory


@pytest.fixture
def plan(approved, official):
    return services.masterplan_draft(assessment=approved, user=official, start_year=2027)


@pytest.fixture
def item(plan):
    """A medium-term item nothing waits for, starting before the plan's last year."""
    return (
        plan.items.filter(horizon=Horizon.MEDIUM, dependants=None, start_year__lt=2036)
        .order_by("pk")
        .first()
    )


def client_of(user, language="en") -> Client:
    User.objects.filter(pk=user.pk).update(language=language)
    client = Client()
    client.force_login(user)
    return client


def item_url(item) -> str:
    return reverse("masterplan:item_detail", args=[item.plan_id, item.pk])


def form_data(item, **changes) -> dict:
    data = {k: v for k, v in ItemForm.initial_of(item).items() if v is not None}
    data["depends_on"] = data.get("depends_on", [])
    data.update(changes)
    return data


def test_an_official_edits_an_item_and_the_plan_shows_it(official, plan, item):
    client = client_of(official)
    page = client.get(item_url(item))
    assert page.status_code == 200 and 'id="item-form"' in page.content.decode()
    end = item.start_year + 1
    response = client.post(item_url(item), form_data(item, budget=123_456_789, end_year=end))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.budget, item.end_year, item.origin) == (123_456_789, end, OriginChoice.EDITED)
    assert item.version == 2 and item.updated_by == official
    html = client.get(reverse("masterplan:plan_detail", args=[plan.pk])).content.decode()
    assert "123,456,789" in html or "123.456.789" in html
    assert inline_code_problems(html) == []
    assert 'data-plotly-figure="roadmap-chart-figure"' in html
    assert 'data-plotly-figure="budget-chart-figure"' in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start_year": 2040}, "start_year", "Pilih tahun dalam periode"),
        ({"end_year": 2026}, "end_year", "Pilih tahun dalam periode"),
        ({"budget": -1}, "budget", "tidak boleh negatif"),
        ({"budget": "banyak"}, "budget", "bilangan bulat"),
    ],
)
def test_a_wrong_item_is_refused_with_the_reason_in_indonesian(
    official, item, changes, field, message
):
    client = client_of(official, "id")
    with translation.override("id"):
        response = client.post(item_url(item), form_data(item, **changes))
    assert response.status_code == 422
    assert message in response.content.decode()
    before = item.version
    item.refresh_from_db()
    assert item.version == before and item.origin == OriginChoice.GENERATED


def test_a_dependency_may_not_end_after_its_dependant_starts(official, plan):
    dependant = plan.items.exclude(depends_on=None).order_by("pk").first()
    dependency = dependant.depends_on.first()
    response = client_of(official).post(
        item_url(dependency), form_data(dependency, end_year=dependant.start_year)
    )
    assert response.status_code == 422
    assert "actions waiting for it start earlier" in response.content.decode()


def test_two_editors_never_overwrite_each_other(official, region, item):
    colleague = MembershipFactory(user__username="rekan", role=Role.OFFICIAL, region=region).user
    first, second = client_of(official), client_of(colleague)
    stale = form_data(item)  # both opened version 1
    assert first.post(item_url(item), {**stale, "title": "Versi pertama"}).status_code == 302
    response = second.post(item_url(item), {**stale, "title": "Versi kedua"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "after you opened it" in html and "Versi pertama" in html
    item.refresh_from_db()
    assert item.title == "Versi pertama" and item.version == 2
    # reloaded, the second editor saves over what they have now seen
    assert second.post(item_url(item), form_data(item, title="Versi kedua")).status_code == 302
    item.refresh_from_db()
    assert item.title == "Versi kedua"


def test_history_shows_who_changed_what(official, item):
    client = client_of(official)
    client.post(item_url(item), form_data(item, lead_opd="Bappeda"))
    html = client.get(item_url(item)).content.decode()
    assert "Lead OPD" in html and "Bappeda" in html and "pejabat" in html
    assert item.history.count() == 2


def test_an_official_adds_and_deletes_an_item(official, plan):
    client = client_of(official)
    url = reverse("masterplan:item_create", args=[plan.pk])
    assert client.get(url).status_code == 200
    data = {
        "title": "Mal Pelayanan Publik",
        "horizon": Horizon.MEDIUM,
        "start_year": 2028,
        "end_year": 2029,
        "budget": 2_000_000_000,
        "funding_source": "APBD",
        "status": "planned",
    }
    assert client.post(url, data).status_code == 302
    added = plan.items.get(title="Mal Pelayanan Publik")
    assert added.origin == OriginChoice.MANUAL and added.updated_by == official
    assert client.post(url, {**data, "start_year": ""}).status_code == 422
    delete = reverse("masterplan:item_delete", args=[plan.pk, added.pk])
    assert client.post(delete, {"version": added.version + 1}).status_code == 302
    assert ActionItem.objects.filter(pk=added.pk).exists()  # stale version: not deleted
    assert client.post(delete, {"version": added.version}).status_code == 302
    assert not ActionItem.objects.filter(pk=added.pk).exists()
    deleted = client.get(reverse("masterplan:plan_detail", args=[plan.pk])).content.decode()
    assert 'id="deleted-heading"' in deleted and "Mal Pelayanan Publik" in deleted


def test_an_official_edits_the_sections(official, plan):
    client = client_of(official)
    url = reverse("masterplan:plan_sections", args=[plan.pk])
    assert client.get(url).status_code == 200
    data = {
        "version": plan.version,
        "vision": "Pangkalpinang kota cerdas",
        "strengths": "Satu Data\n\nSPBE",
        "council_members": "Ketua | Wali Kota | Sekretariat Daerah\nAnggota | Kepala Bappeda",
    }
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.vision == "Pangkalpinang kota cerdas" and plan.strengths == ["Satu Data", "SPBE"]
    assert plan.council_members[1] == {"role": "Anggota", "name": "Kepala Bappeda", "opd": ""}
    # the same, stale version again: refused, nothing changed
    assert client.post(url, {**data, "vision": "Lain"}).status_code == 409
    assert (
        client.post(url, {**data, "version": plan.version, "team_members": "| x"}).status_code
        == 422
    )
    plan.refresh_from_db()
    assert plan.vision == "Pangkalpinang kota cerdas"


@pytest.mark.parametrize("persona", ["facilitator", "administrator"])
def test_readers_get_403_when_they_try_to_write(request, persona, plan, item):
    client = client_of(request.getfixturevalue(persona))
    page = client.get(item_url(item))
    assert page.status_code == 200 and 'id="item-form"' not in page.content.decode()
    urls = [
        item_url(item),
        reverse("masterplan:item_create", args=[plan.pk]),
        reverse("masterplan:item_delete", args=[plan.pk, item.pk]),
        reverse("masterplan:plan_sections", args=[plan.pk]),
        reverse("masterplan:plan_finalise", args=[plan.pk]),
        reverse("masterplan:plan_regenerate", args=[plan.pk]),
    ]
    for url in urls:
        response = client.post(url, form_data(item, title="x"))
        assert response.status_code == 403, url
        assert "Only the region&#x27;s officials" in response.content.decode()
    item.refresh_from_db()
    assert item.title != "x"


@pytest.mark.parametrize("persona", ["other_official", "outsider"])
def test_everyone_else_gets_404(request, persona, plan, item):
    client = client_of(request.getfixturevalue(persona))
    for url in (
        item_url(item),
        reverse("masterplan:item_comment", args=[plan.pk, item.pk]),
        reverse("masterplan:plan_reviewed", args=[plan.pk]),
        reverse("masterplan:plan_sections", args=[plan.pk]),
    ):
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, {"body": "x"}).status_code == 404, url


def test_an_item_of_another_plan_is_404(official, plan, item, other_official):
    other = ActionItem.objects.create(
        plan=plan, title="x", horizon=Horizon.MEDIUM, start_year=2028, end_year=2028
    )
    wrong = reverse("masterplan:item_detail", args=[plan.pk + 1000, other.pk])
    assert client_of(official).get(wrong).status_code == 404


def test_review_comments_and_final(official, facilitator, plan, item):
    officials, facilitators = client_of(official), client_of(facilitator)
    comment = reverse("masterplan:item_comment", args=[plan.pk, item.pk])
    assert facilitators.post(comment, {"body": "Anggaran terlalu kecil."}).status_code == 302
    assert facilitators.post(comment, {"body": "  "}).status_code == 422
    assert officials.post(comment, {"body": "Akan kami sesuaikan."}).status_code == 302
    assert ActionItemComment.objects.filter(item=item).count() == 2
    assert "Anggaran terlalu kecil." in facilitators.get(item_url(item)).content.decode()
    assert officials.post(reverse("masterplan:plan_submit", args=[plan.pk])).status_code == 302
    reviewed = reverse("masterplan:plan_reviewed", args=[plan.pk])
    assert officials.post(reviewed).status_code == 403
    assert facilitators.post(reviewed).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_REVIEW and plan.reviewed_by == facilitator
    assert officials.post(reverse("masterplan:plan_finalise", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.is_final
    # read-only: no form, writes refused with the reason, comments closed
    page = officials.get(item_url(item)).content.decode()
    assert 'id="item-form"' not in page
    response = officials.post(item_url(item), form_data(item, title="x"))
    assert response.status_code == 403 and "final" in response.content.decode()
    assert facilitators.post(comment, {"body": "Lagi"}).status_code == 403
    # a new version starts from it, with its items
    assert officials.post(reverse("masterplan:plan_new_version", args=[plan.pk])).status_code == 302
    newer = plan.region.master_plans.get(edition=2)
    assert newer.status == PlanStatus.DRAFT and newer.items.count() == plan.items.count()


def test_regeneration_shows_its_preview_and_applies_only_on_confirmation(official, plan, item):
    client = client_of(official)
    client.post(item_url(item), form_data(item, title="Diedit"))
    url = reverse("masterplan:plan_regenerate", args=[plan.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'id="no-changes"' in page.content.decode()
    plan.items.filter(origin=OriginChoice.GENERATED).order_by("pk").first().delete()
    before = plan.items.count()
    page = client.get(url).content.decode()
    assert "1 action added" in page
    assert plan.items.count() == before  # the preview writes nothing
    plan.refresh_from_db()
    assert client.post(url, {"version": plan.version}).status_code == 302
    assert plan.items.count() == before + 1
    assert plan.items.filter(pk=item.pk, title="Diedit").exists()
    assert client.post(url, {"version": 1}).status_code == 302  # stale: refused with a message


def test_the_plan_page_needs_a_fixed_number_of_queries(django_assert_num_queries, official, plan):
    client = client_of(official)
    url = reverse("masterplan:plan_detail", args=[plan.pk])
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


# the official's page adds the form: the plan's other items to wait for, and the item's own
@pytest.mark.parametrize(("persona", "queries"), [("official", 9), ("facilitator", 7)])
def test_the_item_page_has_no_inline_code_and_fixed_queries(
    request, django_assert_num_queries, persona, queries, item
):
    client = client_of(request.getfixturevalue(persona))
    services.action_item_comment_add(
        item=item, user=request.getfixturevalue("facilitator"), body="<script>x</script>"
    )
    client.get(item_url(item))  # the session's first request warms the scope cache
    with django_assert_num_queries(queries):
        html = client.get(item_url(item)).content.decode()
    assert inline_code_problems(html) == []
    assert "&lt;script&gt;x&lt;/script&gt;" in html
