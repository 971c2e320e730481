"""The single place that answers which regions a user may see, edit or review.

Every view, selector, export and aggregate asks here. Outside a user's scope an object does not
exist for them: callers answer 404, never 403, so that existence does not leak.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from smartcity.models import Membership, Region, Role, User

_SCOPE_CACHE_ATTRIBUTE = "_smartcity_scope"


@dataclass(frozen=True)
class Scope:
    """What one user's memberships grant, read once per request."""

    is_admin: bool = False
    official_region_ids: frozenset[int] = field(default_factory=frozenset)
    facilitator_region_ids: frozenset[int] = field(default_factory=frozenset)
    facilitator_province_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_official(self) -> bool:
        return bool(self.official_region_ids)

    @property
    def is_facilitator(self) -> bool:
        return bool(self.facilitator_region_ids or self.facilitator_province_ids)

    @property
    def has_any_role(self) -> bool:
        return self.is_admin or self.is_official or self.is_facilitator

    def reviewer_filter(self, region_field: str = "") -> Q:
        """Q matching regions a facilitator covers; `region_field` prefixes the lookups."""
        prefix = f"{region_field}__" if region_field else ""
        return Q(**{f"{prefix}pk__in": self.facilitator_region_ids}) | Q(
            **{f"{prefix}province_id__in": self.facilitator_province_ids}
        )


def scope_of(user: User) -> Scope:
    """The user's scope, cached on the user object so a request reads memberships once."""
    cached = getattr(user, _SCOPE_CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    scope = _read_scope(user)
    setattr(user, _SCOPE_CACHE_ATTRIBUTE, scope)
    return scope


def _read_scope(user: User) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return Scope()
    official, facilitator_regions, facilitator_provinces = set(), set(), set()
    is_admin = user.is_superuser
    for role, region_id, province_id in Membership.objects.filter(user=user).values_list(
        "role", "region_id", "province_id"
    ):
        if role == Role.ADMIN:
            is_admin = True
        elif role == Role.OFFICIAL:
            official.add(region_id)
        elif region_id is not None:
            facilitator_regions.add(region_id)
        else:
            facilitator_provinces.add(province_id)
    return Scope(
        is_admin=is_admin,
        official_region_ids=frozenset(official),
        facilitator_region_ids=frozenset(facilitator_regions),
        facilitator_province_ids=frozenset(facilitator_provinces),
    )


def forget_scope(user: User) -> None:
    """Drop the cached scope, after memberships of this user changed."""
    if hasattr(user, _SCOPE_CACHE_ATTRIBUTE):
        delattr(user, _SCOPE_CACHE_ATTRIBUTE)


def regions_visible_to(user: User) -> QuerySet[Region]:
    """Regions the user may look at: their own, those they facilitate, or all for administrators."""
    scope = scope_of(user)
    regions = Region.objects.select_related("province")
    if scope.is_admin:
        return regions.all()
    return regions.filter(Q(pk__in=scope.official_region_ids) | scope.reviewer_filter())


def visible_regions_q(user: User, region_field: str) -> Q:
    """Q limiting `region_field` to the regions the user may see (no limit for administrators)."""
    if scope_of(user).is_admin:
        return Q()
    return Q(**{f"{region_field}__in": regions_visible_to(user).values("pk")})


def regions_editable_by(user: User) -> QuerySet[Region]:
    """Regions whose self-assessment the user fills in: the official's own regions."""
    scope = scope_of(user)
    return Region.objects.select_related("province").filter(pk__in=scope.official_region_ids)


def regions_reviewable_by(user: User) -> QuerySet[Region]:
    """Regions whose assessments the user verifies: a facilitator's scope; all for administrators.

    A person never reviews a region they also fill in for.
    """
    scope = scope_of(user)
    regions = Region.objects.select_related("province")
    if scope.is_admin:
        reviewable = regions.all()
    elif scope.is_facilitator:
        reviewable = regions.filter(scope.reviewer_filter())
    else:
        return regions.none()
    return reviewable.exclude(pk__in=scope.official_region_ids)


def can_view_region(user: User, region: Region) -> bool:
    scope = scope_of(user)
    return (
        scope.is_admin
        or region.pk in scope.official_region_ids
        or region.pk in scope.facilitator_region_ids
        or region.province_id in scope.facilitator_province_ids
    )


def can_edit_region(user: User, region: Region) -> bool:
    return region.pk in scope_of(user).official_region_ids


def can_review_region(user: User, region: Region) -> bool:
    scope = scope_of(user)
    if region.pk in scope.official_region_ids:
        return False
    return (
        scope.is_admin
        or region.pk in scope.facilitator_region_ids
        or region.province_id in scope.facilitator_province_ids
    )


def reviews_any_region(user: User) -> bool:
    """Does the user review at least one region (a facilitator beyond their own region, or an
    administrator)? Cheap: answered from the cached scope, without a query of regions."""
    scope = scope_of(user)
    return (
        scope.is_admin
        or bool(scope.facilitator_province_ids)
        or bool(scope.facilitator_region_ids - scope.official_region_ids)
    )


def is_administrator(user: User) -> bool:
    return scope_of(user).is_admin


def has_any_role(user: User) -> bool:
    """Does the user hold any role (official, facilitator, administrator)?"""
    return scope_of(user).has_any_role


def can_read_cycles(user: User) -> bool:
    """Cycles exist for administrators and facilitators only (within the facilitator's scope)."""
    scope = scope_of(user)
    return scope.is_admin or scope.is_facilitator


def can_manage_cycles(user: User) -> bool:
    """Opening cycles, and seeing cycles without a region of one's own, is for administrators."""
    return scope_of(user).is_admin


def can_use_review_queue(user: User) -> bool:
    """The verification queue is for facilitators and administrators (empty when nothing waits)."""
    return can_read_cycles(user)


def can_use_dashboards(user: User) -> bool:
    """The ministry dashboards (progress, maturity, map) are for facilitators, over their scope,
    and administrators, over every region. Officials see their own region's page only."""
    scope = scope_of(user)
    return scope.is_admin or scope.is_facilitator


def region_for(user: User, pk: int) -> Region:
    """A region the user may look at, with its province; 404 outside their scope."""
    region = regions_visible_to(user).filter(pk=pk).first()
    if region is None:
        raise Http404
    return region


def scope_key(user: User) -> str:
    """A short text naming exactly what the user sees, for caching figures computed over it: two
    users with the same key see the same regions."""
    scope = scope_of(user)
    if scope.is_admin:
        return "admin"

    def ids(values: frozenset[int]) -> str:
        return ".".join(map(str, sorted(values)))

    return (
        f"o{ids(scope.official_region_ids)}-r{ids(scope.facilitator_region_ids)}"
        f"-p{ids(scope.facilitator_province_ids)}"
    )


# --- People of a region: who is told about it, who answers for it ---------------------------------
def facilitators_of(region: Region) -> QuerySet[User]:
    """Active users who review `region` as its facilitator (of the region or its whole province),
    ordered by id; not a person who also fills the region in (nobody reviews their own answers)."""
    covering = Membership.objects.filter(role=Role.FACILITATOR).filter(
        Q(region=region) | Q(province_id=region.province_id)
    )
    filling_in = Membership.objects.filter(role=Role.OFFICIAL, region=region)
    return (
        User.objects.filter(is_active=True, pk__in=covering.values("user_id"))
        .exclude(pk__in=filling_in.values("user_id"))
        .order_by("pk")
    )


def officials_of(region: Region) -> QuerySet[User]:
    """Active users who fill in `region`'s self-assessment, ordered by id."""
    officials = Membership.objects.filter(role=Role.OFFICIAL, region=region)
    return User.objects.filter(is_active=True, pk__in=officials.values("user_id")).order_by("pk")


# --- View decorators: a page outside the user's scope does not exist for them (404) ---------------
View = Callable[..., HttpResponse]


def _only_for(allowed: Callable[[User], bool], view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not allowed(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def administrator_required(view: View) -> View:
    """The view answers 404 to anyone but an administrator."""
    return _only_for(is_administrator, view)


def cycle_manager_required(view: View) -> View:
    """The view answers 404 to anyone who may not open or manage cycles."""
    return _only_for(can_manage_cycles, view)


def dashboards_required(view: View) -> View:
    """The view answers 404 to anyone who may not use the ministry dashboards."""
    return _only_for(can_use_dashboards, view)


def jobs_visible_to(user: User, jobs: QuerySet) -> QuerySet:
    """The tracked jobs (a queryset of one `TrackedJob` model) the user may follow and retry.

    Administrators follow every job; others the jobs of the regions they see, through the model's
    `scope_region_field`. A model without one (e.g. cycle openings) is for administrators only.
    """
    if scope_of(user).is_admin:
        return jobs
    region_field = jobs.model.scope_region_field
    if region_field is None:
        return jobs.none()
    return jobs.filter(visible_regions_q(user, region_field))
