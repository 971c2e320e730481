"""The stored master plan: drafting, regeneration, editing, review and final, on the real DB.

Personas: only the region's officials edit; the province's facilitator reads and marks the
plan reviewed; everyone else gets a 404 through access.
"""

import pytest
from django.http import Http404

from assessments.models import AssessmentStatus
from masterplan import selectors, services
from masterplan.models import ActionItem, ActionLibrary, MasterPlan, OriginChoice, PlanStatus
from masterplan.planning import Horizon
from masterplan.rules import ItemInput, item_input_of
from tests.masterplan.conftest import set_levels


def snapshot(plan: MasterPlan) -> list[tuple]:
    return [
        (i.key, i.horizon, i.start_year, i.end_year, i.budget, i.title, i.funding_source)
        for i in plan.items.order_by("key")
    ]


@pytest.fixture
def plan(approved, official):
    return services.masterplan_draft(assessment=approved, user=official, start_year=2027)


def test_draft_covers_every_gap_with_prerequisites_first_and_quick_wins_in_year_one(plan):
    items = list(plan.items.prefetch_related("depends_on"))
    assert plan.status == PlanStatus.DRAFT and plan.library is not None
    # every indicator goes from 1 to 3: each has items reaching level 3
    reached: dict[str, int] = {}
    for item in items:
        indicator, _code, steps = item.key.split(":")
        reached[indicator] = max(reached.get(indicator, 0), int(steps.split("-")[1]))
    assert len(reached) == 55 and min(reached.values()) >= 3
    for item in items:
        for dependency in item.depends_on.all():
            assert dependency.end_year < item.start_year, (item.key, dependency.key)
        if item.horizon == Horizon.QUICK_WIN:
            assert item.start_year == item.end_year == 2027
        assert 2027 <= item.start_year <= item.end_year <= 2036
        assert item.origin == OriginChoice.GENERATED
    assert any(i.horizon == Horizon.QUICK_WIN for i in items)
    assert all(i.history.count() == 1 for i in items[:3])


def test_draft_prefills_the_book_sections(plan):
    assert "Undang-Undang Nomor 23 Tahun 2014" in plan.legal_basis
    assert plan.background and plan.monitoring
    assert len(plan.weaknesses) == 10 and len(plan.strengths) == 5
    assert plan.weaknesses[0].split()[0] in set(
        plan.items.values_list("indicator__code", flat=True)
    )


def test_draft_is_deterministic(approved, official, plan):
    first = snapshot(plan)
    plan.items.all().delete()
    plan.delete()
    again = services.masterplan_draft(assessment=approved, user=official, start_year=2027)
    assert snapshot(again) == first


def test_a_ceiling_moves_work_later(approved, official):
    plan = services.masterplan_draft(
        assessment=approved, user=official, start_year=2027, ceiling=2_000_000_000
    )
    totals = selectors.budget_totals(plan)["year"]
    assert totals.max() <= 2_000_000_000
    assert plan.overflow  # 56 billion of work does not fit in 10 x 2 billion: reported
    assert {row["reason"] for row in plan.overflow} <= {
        "above_ceiling",
        "no_room",
        "after_overflow",
        "cycle",
    }


def test_without_a_library_the_framework_guidance_makes_the_plan(approved, official):
    ActionLibrary.objects.all().delete()
    plan = services.masterplan_draft(assessment=approved, user=official, start_year=2027)
    items = list(plan.items.all())
    assert len(items) == 55 * 2
    assert all(i.generic and i.description for i in items)


def test_only_approved_assessments_are_drafted(assessment, official, library):
    assert assessment.status != AssessmentStatus.APPROVED
    with pytest.raises(services.WrongState):
        services.masterplan_draft(assessment=assessment, user=official)


@pytest.mark.parametrize("persona", ["other_official", "outsider"])
def test_people_outside_the_region_get_404(request, persona, approved, plan):
    user = request.getfixturevalue(persona)
    with pytest.raises(Http404):
        services.masterplan_draft(assessment=approved, user=user)
    with pytest.raises(Http404):
        selectors.plan_for(user, plan.pk)
    item = plan.items.first()
    with pytest.raises(Http404):
        services.action_item_save(
            item=item, user=user, expected_version=item.version, values=item_input_of(item)
        )
    with pytest.raises(Http404):
        services.masterplan_mark_reviewed(plan=plan, user=user)


def test_facilitators_read_and_mark_reviewed_but_do_not_edit(facilitator, official, plan):
    assert selectors.plan_for(facilitator, plan.pk) == plan
    item = plan.items.first()
    with pytest.raises(services.WrongState):
        services.action_item_save(
            item=item, user=facilitator, expected_version=item.version, values=item_input_of(item)
        )
    with pytest.raises(services.WrongState):
        services.masterplan_mark_reviewed(plan=plan, user=facilitator)  # not yet in review
    services.masterplan_submit_for_review(plan=plan, user=official)
    with pytest.raises(services.WrongState):
        services.masterplan_mark_reviewed(plan=plan, user=official)
    reviewed = services.masterplan_mark_reviewed(plan=plan, user=facilitator)
    assert reviewed.reviewed_by == facilitator and reviewed.status == PlanStatus.IN_REVIEW


def test_a_second_plan_in_progress_is_refused(approved, official, plan):
    with pytest.raises(services.WrongState):
        services.masterplan_draft(assessment=approved, user=official)


def test_saving_an_item_marks_it_edited_and_keeps_history(official, plan):
    item = plan.items.filter(horizon=Horizon.LONG).first() or plan.items.last()
    saved = services.action_item_save(
        item=item,
        user=official,
        expected_version=item.version,
        values=item_input_of(item, title="Perwal Satu Data Kota Pangkalpinang", budget=123_000_000),
    )
    saved.refresh_from_db()
    assert (saved.origin, saved.title, saved.budget) == (
        OriginChoice.EDITED,
        "Perwal Satu Data Kota Pangkalpinang",
        123_000_000,
    )
    assert saved.version == 2
    history = list(saved.history.order_by("history_date"))
    assert [h.title for h in history][-1] == "Perwal Satu Data Kota Pangkalpinang"
    assert history[-1].history_user == official


def test_two_editors_never_overwrite_each_other(official, plan):
    item = plan.items.first()
    mine, theirs = ActionItem.objects.get(pk=item.pk), ActionItem.objects.get(pk=item.pk)
    services.action_item_save(
        item=mine,
        user=official,
        expected_version=mine.version,
        values=item_input_of(mine, title="Versi pertama"),
    )
    with pytest.raises(services.StaleItem) as refused:
        services.action_item_save(
            item=theirs,
            user=official,
            expected_version=theirs.version,
            values=item_input_of(theirs, title="Versi kedua"),
        )
    assert refused.value.current.title == "Versi pertama"
    item.refresh_from_db()
    assert item.title == "Versi pertama"


def test_every_broken_rule_is_named(official, plan):
    dependant = plan.items.filter(depends_on__isnull=False).order_by("start_year").first()
    dependency = dependant.depends_on.first()
    with pytest.raises(services.InvalidInput) as refused:
        services.action_item_save(
            item=dependant,
            user=official,
            expected_version=dependant.version,
            values=item_input_of(dependant, title="", budget=-1, end_year=2050),
        )
    assert set(refused.value.problems) == {"title", "budget", "end_year"}
    with pytest.raises(services.InvalidInput) as refused:
        services.action_item_save(
            item=dependant,
            user=official,
            expected_version=dependant.version,
            values=item_input_of(
                dependant,
                horizon=Horizon.LONG,
                start_year=dependant.start_year,
                end_year=dependant.start_year - 1,
            ),
        )
    assert set(refused.value.problems) == {"end_year"}
    # moving a prerequisite to end after its dependant starts is refused, naming the dependant
    with pytest.raises(services.InvalidInput) as refused:
        services.action_item_save(
            item=dependency,
            user=official,
            expected_version=dependency.version,
            values=item_input_of(dependency, horizon=Horizon.LONG, end_year=dependant.start_year),
        )
    assert dependant.title in refused.value.problems["end_year"]
    with pytest.raises(services.InvalidInput) as refused:
        services.action_item_save(
            item=dependant,
            user=official,
            expected_version=dependant.version,
            values=item_input_of(dependant, horizon=Horizon.LONG, start_year=dependency.end_year),
        )
    assert "depends_on" in refused.value.problems
    dependant.refresh_from_db()
    assert dependant.version == 1  # nothing was saved


def test_manual_items_are_created_and_items_deleted(official, plan):
    item = services.action_item_create(
        plan=plan,
        user=official,
        values=ItemInput(
            title="Forum smart city tahunan",
            horizon=Horizon.MEDIUM,
            start_year=2028,
            end_year=2029,
            budget=50_000_000,
            funding_source="CSR",
        ),
    )
    assert (item.origin, item.key) == (OriginChoice.MANUAL, "")
    with pytest.raises(services.StaleItem):
        services.action_item_delete(item=item, user=official, expected_version=item.version + 1)
    pk = item.pk
    services.action_item_delete(item=item, user=official, expected_version=item.version)
    assert not ActionItem.objects.filter(pk=pk).exists()
    deleted = ActionItem.history.filter(id=pk, history_type="-").get()
    assert deleted.history_user == official


def test_a_final_plan_is_read_only_and_a_new_version_starts_from_it(official, plan):
    item = plan.items.first()
    services.masterplan_finalise(plan=plan, user=official)
    with pytest.raises(services.WrongState):
        services.action_item_save(
            item=item, user=official, expected_version=item.version, values=item_input_of(item)
        )
    successor = services.masterplan_new_version(plan=plan, user=official)
    assert (successor.edition, successor.status, successor.previous) == (2, PlanStatus.DRAFT, plan)
    assert snapshot(successor) == snapshot(plan)
    assert (
        successor.items.filter(depends_on__isnull=False).count()
        == plan.items.filter(depends_on__isnull=False).count()
    )


def test_regeneration_previews_then_keeps_edited_and_manual_items(approved, official, plan):
    edited = plan.items.filter(indicator__code="GOV.G1.1").order_by("start_year").first()
    edited = services.action_item_save(
        item=edited,
        user=official,
        expected_version=edited.version,
        values=item_input_of(edited, title="Diubah oleh Diskominfo"),
    )
    manual = services.action_item_create(
        plan=plan,
        user=official,
        values=ItemInput(title="Manual", horizon=Horizon.LONG, start_year=2033, end_year=2034),
    )
    same = services.masterplan_regenerate_preview(plan=plan, assessment=approved, user=official)
    assert not same.changes_anything
    # the new report: two indicators reached their target, so their generated items go
    set_levels(approved, {"GOV.G1.1": 3, "ECO.E1.1": 3})
    preview = services.masterplan_regenerate_preview(plan=plan, assessment=approved, user=official)
    removed = {i.key for i in preview.regeneration.removed}
    assert removed and all(key.split(":")[0] in {"GOV.G1.1", "ECO.E1.1"} for key in removed)
    assert edited.key not in removed and edited.key in {i.key for i in preview.regeneration.kept}
    assert plan.items.filter(key__in=removed).count() == len(removed)  # preview writes nothing
    plan.refresh_from_db()
    services.masterplan_regenerate_apply(
        plan=plan, assessment=approved, user=official, expected_version=plan.version
    )
    assert not plan.items.filter(key__in=removed).exists()
    edited.refresh_from_db()
    assert edited.title == "Diubah oleh Diskominfo" and edited.origin == OriginChoice.EDITED
    assert ActionItem.objects.filter(pk=manual.pk).exists()
    again = services.masterplan_regenerate_preview(plan=plan, assessment=approved, user=official)
    assert not again.changes_anything


def test_regeneration_refuses_a_plan_changed_since_the_preview(approved, official, plan):
    with pytest.raises(services.WrongState):
        services.masterplan_regenerate_apply(
            plan=plan, assessment=approved, user=official, expected_version=plan.version + 1
        )


def test_budget_totals_in_one_query(django_assert_num_queries, plan):
    with django_assert_num_queries(1):
        totals = selectors.budget_totals(plan)
    total = sum(plan.items.values_list("budget", flat=True))
    assert totals["year"].sum() == total
    for key in ("horizon", "dimension", "funding"):
        assert totals[key].sum() == total
    assert list(totals["year"].index) == list(range(2027, 2037))
    assert set(totals["dimension"].index) >= {"GOV", "SUP"}


def test_sections_are_saved_with_locking_and_checked(official, facilitator, plan):
    saved = services.masterplan_sections_save(
        plan=plan,
        user=official,
        expected_version=plan.version,
        sections={
            "vision": "  Kota cerdas yang melayani  ",
            "threats": ["Keterbatasan fiskal"],
            "council_members": [{"role": "Ketua", "name": "Wali Kota", "opd": "Setda"}],
        },
    )
    saved.refresh_from_db()
    assert (saved.vision, saved.threats) == ("Kota cerdas yang melayani", ["Keterbatasan fiskal"])
    with pytest.raises(services.WrongState):  # the version it started from is gone
        services.masterplan_sections_save(
            plan=saved, user=official, expected_version=1, sections={"vision": "Lain"}
        )
    with pytest.raises(services.InvalidInput) as refused:
        services.masterplan_sections_save(
            plan=saved,
            user=official,
            expected_version=saved.version,
            sections={"threats": "not a list", "council_members": [{"name": "x"}], "nope": ""},
        )
    assert set(refused.value.problems) == {"threats", "council_members", "nope"}
    with pytest.raises(services.WrongState):
        services.masterplan_sections_save(
            plan=saved, user=facilitator, expected_version=saved.version, sections={}
        )
