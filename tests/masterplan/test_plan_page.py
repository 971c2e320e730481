"""The read-only plan page: scope (404 outside), grouping, totals, strict CSP, fixed queries."""

import pytest
from django.test import Client
from django.urls import reverse

from masterplan import services
from masterplan.planning import Horizon
from tests.csp import inline_code_problems


@pytest.fixture
def plan(approved, official):
    return services.masterplan_draft(assessment=approved, user=official, start_year=2027)


def page(user, plan):
    client = Client()
    client.force_login(user)
    return client.get(reverse("masterplan:plan_detail", args=[plan.pk]))


@pytest.mark.parametrize("persona", ["official", "facilitator", "administrator"])
def test_people_in_scope_see_the_plan_by_horizon_and_dimension(request, persona, plan):
    response = page(request.getfixturevalue(persona), plan)
    assert response.status_code == 200
    html = response.content.decode()
    assert inline_code_problems(html) == []
    for horizon in (Horizon.QUICK_WIN, Horizon.MEDIUM, Horizon.LONG):
        assert f'id="horizon-{horizon}"' in html
    total = sum(plan.items.values_list("budget", flat=True))
    assert f"Rp{total:,}".replace(",", ".") in html or f"Rp{total:,}" in html
    assert html.count("data-item-key=") == plan.items.count()


@pytest.mark.parametrize("persona", ["other_official", "outsider"])
def test_everyone_else_gets_404(request, persona, plan):
    assert page(request.getfixturevalue(persona), plan).status_code == 404


def test_the_page_needs_a_fixed_number_of_queries(django_assert_num_queries, official, plan):
    client = Client()
    client.force_login(official)
    url = reverse("masterplan:plan_detail", args=[plan.pk])
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
