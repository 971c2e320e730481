"""Reads of the core domain: querysets with their joins and prefetches applied in one place."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from smartcity.access import is_administrator
from smartcity.models import (
    Element,
    Framework,
    FrameworkStatus,
    Indicator,
    LevelDescriptor,
    Pillar,
    PredikatBand,
    ScaleLevel,
    User,
)


def frameworks_visible_to(user: User) -> QuerySet[Framework]:
    """Frameworks the user may read: published ones for everybody, drafts too for administrators.

    Each row carries `pillar_count`, `element_count` and `indicator_count`, counted in the same
    query, so a list never counts per row.
    """
    return (
        _visible(user)
        .annotate(
            pillar_count=Count("pillars", distinct=True),
            element_count=Count("pillars__elements", distinct=True),
            indicator_count=Count("pillars__elements__indicators", distinct=True),
        )
        .order_by("slug", "-version")
    )


def framework_get(*, slug: str, version: int, user: User) -> Framework:
    """One framework version the user may read, without its content; Http404 otherwise."""
    framework = _visible(user).filter(slug=slug, version=version).first()
    if framework is None:
        raise Http404("No such framework version.")
    return framework


def framework_tree(*, slug: str, version: int, user: User) -> Framework:
    """A framework version with its whole content, in a constant number of queries.

    `levels`, `bands` and `pillars` → `elements` → `indicators` → `descriptors` are prefetched in
    file order, so `.all()` on any of them reads memory. Each descriptor also gets `scale_level`,
    the ScaleLevel of the same value (for its label), and the framework gets `pillar_groups`: its
    pillars grouped by kind (dimension, readiness) in the order the file introduces them.

    Raises Http404 when the version does not exist or the user may not read it (a draft, for
    anyone but an administrator).
    """
    descriptors = Prefetch("descriptors", queryset=LevelDescriptor.objects.order_by("level"))
    indicators = Prefetch(
        "indicators", queryset=Indicator.objects.order_by("position").prefetch_related(descriptors)
    )
    elements = Prefetch(
        "elements", queryset=Element.objects.order_by("position").prefetch_related(indicators)
    )
    pillars = Prefetch(
        "pillars", queryset=Pillar.objects.order_by("position").prefetch_related(elements)
    )
    framework = (
        _visible(user)
        .filter(slug=slug, version=version)
        .prefetch_related(
            Prefetch("levels", queryset=ScaleLevel.objects.order_by("value")),
            Prefetch("bands", queryset=PredikatBand.objects.order_by("lower")),
            pillars,
        )
        .first()
    )
    if framework is None:
        raise Http404("No such framework version.")
    levels = {level.value: level for level in framework.levels.all()}
    all_pillars = list(framework.pillars.all())
    for pillar in all_pillars:
        for element in pillar.elements.all():
            for indicator in element.indicators.all():
                for descriptor in indicator.descriptors.all():
                    descriptor.scale_level = levels.get(descriptor.level)
    framework.pillar_groups = _group_by_kind(all_pillars)
    return framework


@dataclass(frozen=True)
class PillarGroup:
    """Pillars of one kind (dimension or readiness), in file order."""

    kind: str
    pillars: list[Pillar]


def _group_by_kind(pillars: list[Pillar]) -> list[PillarGroup]:
    """Groups in the order their kind first appears in the file; pillars keep their order."""
    by_kind: dict[str, list[Pillar]] = {}
    for pillar in pillars:
        by_kind.setdefault(pillar.kind, []).append(pillar)
    return [PillarGroup(kind=kind, pillars=members) for kind, members in by_kind.items()]


def _visible(user: User) -> QuerySet[Framework]:
    frameworks = Framework.objects.all()
    if is_administrator(user):
        return frameworks
    return frameworks.filter(status=FrameworkStatus.PUBLISHED)
