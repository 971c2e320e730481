"""Scoping: who may see, edit and review which regions."""

import pytest
from django.db import IntegrityError

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
