"""Scoping: who may see, edit and review which regions."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError
from django.http import Http404, HttpResponse

from smartcity import access
from smartcity.models import Membership, Role
from tests.factories import MembershipFactory, RegionFactory


@pytest.fixture
def neighbour(region):
    """Another region in the same province as `region`."""
    return RegionFactory(code="19.03", name="Kabupaten Bangka Selatan", province=region.province)


def codes(regions):
    return sorted(regions.values_list("code", flat=True))


def test_official_sees_and_edits_only_their_region(official, region, neighbour, other_region):
    assert codes(access.regions_visible_to(official)) == ["19.71"]
    assert codes(access.regions_editable_by(official)) == ["19.71"]
    assert codes(access.regions_reviewable_by(official)) == []
    assert not access.can_view_region(official, other_region)
    assert not access.can_edit_region(official, neighbour)


def test_facilitator_of_a_province_covers_its_regions_only(
    facilitator, region, neighbour, other_region
):
    assert codes(access.regions_visible_to(facilitator)) == ["19.03", "19.71"]
    assert codes(access.regions_reviewable_by(facilitator)) == ["19.03", "19.71"]
    assert codes(access.regions_editable_by(facilitator)) == []
    assert not access.can_review_region(facilitator, other_region)
    assert access.can_review_region(facilitator, neighbour)


def test_facilitator_with_single_regions(db, region, other_region, neighbour):
    user = MembershipFactory(role=Role.FACILITATOR, region=region).user
    MembershipFactory(user=user, role=Role.FACILITATOR, region=other_region)
    assert codes(access.regions_reviewable_by(user)) == ["19.71", "33.74"]
    assert not access.can_view_region(user, neighbour)


def test_nobody_reviews_a_region_they_fill_in_for(facilitator, region, neighbour):
    MembershipFactory(user=facilitator, role=Role.OFFICIAL, region=region)
    access.forget_scope(facilitator)
    assert codes(access.regions_reviewable_by(facilitator)) == ["19.03"]
    assert not access.can_review_region(facilitator, region)
    assert access.can_edit_region(facilitator, region)


def test_administrator_sees_everything(administrator, region, other_region):
    assert codes(access.regions_visible_to(administrator)) == ["19.71", "33.74"]
    assert access.is_administrator(administrator)


def test_user_without_membership_sees_nothing(outsider, region):
    assert codes(access.regions_visible_to(outsider)) == []
    assert not access.scope_of(outsider).has_any_role


def test_scope_is_read_once_per_user_object(official, region, django_assert_num_queries):
    access.forget_scope(official)
    with django_assert_num_queries(1):
        access.scope_of(official)
        assert access.can_view_region(official, region)
        assert access.can_edit_region(official, region)


@pytest.mark.parametrize(
    "role, with_region, with_province",
    [
        (Role.OFFICIAL, False, False),
        (Role.OFFICIAL, False, True),
        (Role.FACILITATOR, True, True),
        (Role.FACILITATOR, False, False),
        (Role.ADMIN, True, False),
    ],
)
def test_database_refuses_a_membership_whose_scope_does_not_fit_the_role(
    region, outsider, role, with_region, with_province
):
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=outsider,
            role=role,
            region=region if with_region else None,
            province=region.province if with_province else None,
        )


# --- People of a region ---------------------------------------------------------------------------
def usernames(users) -> list[str]:
    return [user.username for user in users]


def test_facilitators_of_a_region_are_those_of_the_region_and_of_its_province(
    facilitator, official, administrator, region, neighbour, other_region
):
    of_region = MembershipFactory(
        user__username="fasilitator-kota", role=Role.FACILITATOR, region=region
    ).user
    both = MembershipFactory(user__username="ganda", role=Role.FACILITATOR, region=region).user
    MembershipFactory(user=both, role=Role.FACILITATOR, region=None, province=region.province)
    MembershipFactory(user__username="fasilitator-jauh", role=Role.FACILITATOR, region=other_region)
    assert usernames(access.facilitators_of(region)) == ["fasilitator", "fasilitator-kota", "ganda"]
    assert usernames(access.facilitators_of(neighbour)) == ["fasilitator", "ganda"]
    assert usernames(access.facilitators_of(other_region)) == ["fasilitator-jauh"]
    assert of_region.pk not in access.facilitators_of(neighbour).values_list("pk", flat=True)


def test_facilitators_of_leave_out_inactive_users_and_those_who_fill_the_region_in(
    facilitator, region, neighbour
):
    facilitator.is_active = False
    facilitator.save(update_fields=["is_active"])
    filling_in = MembershipFactory(
        user__username="fasilitator-pejabat",
        role=Role.FACILITATOR,
        region=None,
        province=region.province,
    ).user
    MembershipFactory(user=filling_in, role=Role.OFFICIAL, region=region)
    assert usernames(access.facilitators_of(region)) == []
    assert usernames(access.facilitators_of(neighbour)) == ["fasilitator-pejabat"]


def test_officials_of_a_region_are_its_active_officials_only(
    official, other_official, facilitator, administrator, region, neighbour, other_region
):
    MembershipFactory(user__username="pejabat-2", role=Role.OFFICIAL, region=region)
    MembershipFactory(
        user__username="pejabat-nonaktif", user__is_active=False, role=Role.OFFICIAL, region=region
    )
    assert usernames(access.officials_of(region)) == ["pejabat", "pejabat-2"]
    assert usernames(access.officials_of(other_region)) == ["pejabat-lain"]
    assert usernames(access.officials_of(neighbour)) == []


# --- Role checks --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "persona, any_role, read_cycles, manage_cycles, review_queue",
    [
        ("outsider", False, False, False, False),
        ("official", True, False, False, False),
        ("other_official", True, False, False, False),
        ("facilitator", True, True, False, True),
        ("administrator", True, True, True, True),
    ],
)
def test_role_checks_per_persona(
    request, persona, any_role, read_cycles, manage_cycles, review_queue
):
    user = request.getfixturevalue(persona)
    assert access.has_any_role(user) is any_role
    assert access.can_read_cycles(user) is read_cycles
    assert access.can_manage_cycles(user) is manage_cycles
    assert access.can_use_review_queue(user) is review_queue


def test_a_facilitator_of_single_regions_reads_cycles_but_does_not_manage_them(db, region):
    user = MembershipFactory(role=Role.FACILITATOR, region=region).user
    assert access.can_read_cycles(user)
    assert not access.can_manage_cycles(user)


def test_signed_out_visitors_pass_no_check():
    anonymous = AnonymousUser()
    assert not access.has_any_role(anonymous)
    assert not access.can_read_cycles(anonymous)
    assert not access.can_manage_cycles(anonymous)


# --- Decorators ---------------------------------------------------------------------------------
def _page(request):
    return HttpResponse("page")


@pytest.mark.parametrize(
    "decorator, allowed",
    [
        (access.administrator_required, {"administrator"}),
        (access.cycle_manager_required, {"administrator"}),
    ],
)
@pytest.mark.parametrize("persona", ["outsider", "official", "facilitator", "administrator"])
def test_decorators_answer_404_to_everyone_they_do_not_let_in(
    rf, request, decorator, allowed, persona
):
    view = decorator(_page)
    page_request = rf.get("/")
    page_request.user = request.getfixturevalue(persona)
    if persona in allowed:
        assert view(page_request).content == b"page"
    else:
        with pytest.raises(Http404):
            view(page_request)
    assert view.__name__ == "_page"
