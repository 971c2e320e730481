"""Reads of the core domain: querysets with their joins and prefetches applied in one place."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, OrderBy, Prefetch, QuerySet, Value, When
from django.http import Http404

from smartcity.access import is_administrator
from smartcity.models import (
    CrosswalkEntry,
    Element,
    Framework,
    FrameworkStatus,
    Indicator,
    LevelDescriptor,
    Pillar,
    PillarKind,
    PredikatBand,
    ScaleLevel,
    User,
)


def pillar_order(path: str = "") -> list[OrderBy]:
    """The one order of a framework's pillars on every page, list and workbook: the readiness
    pillars first, as the programme works (readiness is what the dimensions build on), then the
    dimensions; in file order within each kind. `path` leads from the queried model to the
    pillar, e.g. "element__pillar__" for indicators."""
    readiness_first = Case(
        When(**{f"{path}kind": PillarKind.READINESS}, then=Value(0)), default=Value(1)
    )
    return [readiness_first.asc(), F(f"{path}position").asc()]


def indicator_order(path: str = "") -> list[OrderBy]:
    """Indicators in framework order (`pillar_order`, then element and indicator position);
    `path` leads from the queried model to the indicator, e.g. "indicator__" for answers."""
    return [
        *pillar_order(f"{path}element__pillar__"),
        F(f"{path}element__position").asc(),
        F(f"{path}position").asc(),
    ]


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
        "pillars", queryset=Pillar.objects.order_by(*pillar_order()).prefetch_related(elements)
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
    """Groups in the order their kind first appears in `pillar_order`; pillars keep theirs."""
    by_kind: dict[str, list[Pillar]] = {}
    for pillar in pillars:
        by_kind.setdefault(pillar.kind, []).append(pillar)
    return [PillarGroup(kind=kind, pillars=members) for kind, members in by_kind.items()]


def _visible(user: User) -> QuerySet[Framework]:
    frameworks = Framework.objects.all()
    if is_administrator(user):
        return frameworks
    return frameworks.filter(status=FrameworkStatus.PUBLISHED)


def framework_lineage(framework: Framework) -> list[Framework]:
    """The framework and the earlier versions it descends from (through `previous`), newest first.

    One query per version; a framework has a handful of versions.
    """
    lineage = [framework]
    while lineage[-1].previous_id is not None:
        lineage.append(Framework.objects.get(pk=lineage[-1].previous_id))
    return lineage


def indicator_code_map(source: Framework, target: Framework) -> dict[str, list[str]]:
    """Indicator code in `source` -> its codes in `target`, following the crosswalks version by
    version (an indicator split in two maps to both; merged ones map to the same code).

    A code without a crosswalk entry keeps its code when the newer version still has it. Empty
    when `target` does not descend from `source` (unrelated frameworks, or `source` is newer).
    """
    chain: list[Framework] = []  # the versions after `source`, up to `target`
    if source.pk != target.pk:
        for version in framework_lineage(target):
            if version.pk == source.pk:
                break
            chain.append(version)
        else:
            return {}
    source_codes = Indicator.objects.filter(framework=source).values_list("code", flat=True)
    mapping = {code: [code] for code in source_codes}
    for version in reversed(chain):
        codes = set(Indicator.objects.filter(framework=version).values_list("code", flat=True))
        crosswalk: dict[str, list[str]] = {}
        for old, new in CrosswalkEntry.objects.filter(framework=version).values_list(
            "old_code", "new_code"
        ):
            crosswalk.setdefault(old, []).append(new)
        mapping = {
            origin: sorted(
                {n for c in current for n in crosswalk.get(c, [c] if c in codes else [])}
            )
            for origin, current in mapping.items()
        }
    return {origin: targets for origin, targets in mapping.items() if targets}
