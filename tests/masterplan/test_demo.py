"""The masterplan demo: Kota Pangkal Pinang's plan, drafted, worked on and in review."""

from django.utils import translation

from assessments.demo import load_demo_cycles
from masterplan.demo import load_demo_masterplan
from masterplan.models import ActionItemComment, MasterPlan, OriginChoice, PlanStatus
from smartcity.demo import load_demo_framework, load_demo_people, load_demo_regions


def test_the_demo_plan_is_drafted_edited_and_in_review(db):
    assert load_demo_masterplan() is None  # nothing to draft from without the core demo
    load_demo_regions()
    framework = load_demo_framework()
    load_demo_people()
    with translation.override("id"):
        load_demo_cycles(framework)
        plan = load_demo_masterplan()
    assert plan.region.code == "19.71" and plan.status == PlanStatus.IN_REVIEW
    assert plan.library is not None and plan.vision.startswith("Pangkalpinang")
    origins = list(plan.items.values_list("origin", flat=True))
    assert origins.count(OriginChoice.EDITED) == 2
    assert origins.count(OriginChoice.MANUAL) == 1
    assert origins.count(OriginChoice.GENERATED) > 20
    edited = plan.items.filter(origin=OriginChoice.EDITED).first()
    assert edited.history.count() == 2 and edited.history.first().history_user.username == (
        "pangkalpinang"
    )
    (comment,) = ActionItemComment.objects.filter(item__plan=plan)
    assert comment.author.username == "fasilitator" and comment.item.origin == OriginChoice.EDITED
    assert load_demo_masterplan() == plan  # idempotent
    assert MasterPlan.objects.count() == 1
