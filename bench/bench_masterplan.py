"""Drafting a master plan: the full default framework and its library.

Every indicator starts two levels below its target (targets 2 to 5), so every one of the 55
indicators needs two steps. `masterplan_plan_pure_full` is the pure scheduler (no database);
`masterplan_draft_full` is the service on an approved assessment of the same shape (reading the
responses and the framework's guidance, scheduling, writing the plan and its items with history).
`masterplan_page_150` is the plan page (groups, totals, both charts) of that plan with exactly 150
items, fetched by the region's official through the whole Django stack.
"""

from pathlib import Path

from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from assessments.models import Assessment, AssessmentStatus, IndicatorResponse, ReviewState
from bench import data
from bench.runner import Benchmark
from masterplan.library_files import LibrarySpec, framework_scope, read_library_file
from masterplan.models import ActionItem, HorizonChoice, MasterPlan, OriginChoice, PlanStatus
from masterplan.planning import IndicatorGoal, LevelGuide, PlanOptions, draft_plan
from masterplan.services import action_library_load, masterplan_draft
from smartcity.framework_files import FrameworkSpec, read_framework_file
from smartcity.models import Membership, Role, User

PAGE_ITEMS = 150

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FRAMEWORK = FIXTURES / "frameworks" / "kota-cerdas-v1.yaml"
LIBRARY = FIXTURES / "action_library" / "kota-cerdas-v1.yaml"


def framework_goals(
    framework: FrameworkSpec, levels: dict[str, tuple[int, int, float]]
) -> list[IndicatorGoal]:
    """Goals for `framework` from {indicator code: (current, target, priority)}."""
    scale = {level.value: level for level in framework.levels}
    goals = []
    for pillar in framework.pillars:
        for element in pillar.elements:
            for indicator in element.indicators:
                if indicator.code not in levels:
                    continue
                current, target, priority = levels[indicator.code]
                described = {d.level: d for d in indicator.levels}
                guides = tuple(
                    LevelGuide(
                        level=value,
                        label=level.label,
                        descriptor=described[value].text
                        if value in described
                        else level.description,
                        next=described[value].next if value in described else None,
                    )
                    for value, level in scale.items()
                )
                goals.append(
                    IndicatorGoal(
                        indicator=indicator.code,
                        element=element.code,
                        pillar=pillar.code,
                        name=indicator.name,
                        current=current,
                        target=target,
                        priority=priority,
                        levels=guides,
                    )
                )
    return goals


def two_below_target(framework: FrameworkSpec) -> dict[str, tuple[int, int, float]]:
    """Each indicator two levels below a target between 2 and 5, with distinct priorities."""
    return {
        indicator.code: (target - 2, target, round(1 + index / 10, 1))
        for index, indicator in enumerate(framework.indicators())
        for target in [2 + index % 4]
    }


def _setup() -> tuple[list[IndicatorGoal], LibrarySpec]:
    framework = read_framework_file(FRAMEWORK)
    library = read_library_file(LIBRARY, framework_scope(framework))
    return framework_goals(framework, two_below_target(framework)), library


def _draft(prepared: tuple[list[IndicatorGoal], LibrarySpec]) -> None:
    goals, library = prepared
    plan = draft_plan(goals, library, PlanOptions(start_year=2026, ceiling=25_000_000_000))
    assert plan.items


def _approved_assessment():
    """An approved assessment of the default framework, every indicator two below its target."""
    framework_spec = read_framework_file(FRAMEWORK)
    levels = two_below_target(framework_spec)
    user = data.administrator()
    framework = data.default_framework()
    action_library_load(
        spec=read_library_file(LIBRARY, framework_scope(framework_spec)), framework=framework
    )
    cycle = data.open_cycle(user, framework, data.make_regions(1), 2025)
    responses = list(
        IndicatorResponse.objects.filter(assessment__cycle=cycle).select_related("indicator")
    )
    for response in responses:
        current, target, _priority = levels[response.indicator.code]
        response.self_level = response.verified_level = current
        response.target_level = target
        response.review_state = ReviewState.ACCEPTED
    IndicatorResponse.objects.bulk_update(
        responses, ["self_level", "verified_level", "target_level", "review_state"]
    )
    cycle.assessments.update(status=AssessmentStatus.APPROVED)
    return Assessment.objects.select_related("region", "cycle__framework").get(cycle=cycle)


def _draft_stored(assessment) -> None:
    plan = masterplan_draft(assessment=assessment, user=None, start_year=2026)
    assert plan.items.values("indicator").distinct().count() == 55
    # the next round drafts a new version: a final plan does not block it
    MasterPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.FINAL)


def _plan_of_150() -> tuple[Client, str]:
    """The drafted plan, topped up with manual items (or cut) to PAGE_ITEMS, and a client
    signed in as the region's official."""
    assessment = _approved_assessment()
    plan = masterplan_draft(assessment=assessment, user=None, start_year=2026)
    count = plan.items.count()
    if count > PAGE_ITEMS:
        extra = plan.items.filter(dependants=None).order_by("-pk")[: count - PAGE_ITEMS]
        ActionItem.objects.filter(pk__in=[item.pk for item in extra]).delete()
    ActionItem.objects.bulk_create(
        ActionItem(
            plan=plan,
            title=f"Aksi tambahan {number}",
            horizon=HorizonChoice.MEDIUM,
            start_year=2027 + number % 4,
            end_year=2028 + number % 4,
            budget=150_000_000,
            funding_source="APBD",
            origin=OriginChoice.MANUAL,
        )
        for number in range(PAGE_ITEMS - plan.items.count())
    )
    assert plan.items.count() == PAGE_ITEMS
    official = User.objects.create(username="bench-official")
    Membership.objects.create(user=official, role=Role.OFFICIAL, region=assessment.region)
    client = Client(SERVER_NAME="localhost")
    client.force_login(official)
    return client, reverse("masterplan:plan_detail", args=[plan.pk])


# The benchmark runs without `collectstatic`: static URLs without the manifest's hashes.
PLAIN_STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def _page(prepared: tuple[Client, str]) -> None:
    client, url = prepared
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": PLAIN_STATIC}):
        response = client.get(url, SERVER_NAME="localhost")
    assert response.status_code == 200, response.status_code


def benchmarks() -> list[Benchmark]:
    return [
        Benchmark(
            name="masterplan_draft_full",
            n=55,
            setup=_approved_assessment,
            run=_draft_stored,
            rounds=3,
        ),
        Benchmark(
            name="masterplan_page_150",
            n=PAGE_ITEMS,
            setup=_plan_of_150,
            run=_page,
            rounds=5,
        ),
        Benchmark(
            name="masterplan_plan_pure_full",
            n=55,
            setup=_setup,
            run=_draft,
            rounds=5,
            uses_database=False,
        ),
    ]
