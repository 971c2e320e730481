"""Drafting a plan from an approved assessment, regenerating it, and the plan's life cycle."""

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessments.models import Assessment, AssessmentStatus
from masterplan import selectors
from masterplan.library_files import LibrarySpec
from masterplan.models import ActionItem, ActionLibrary, MasterPlan, OriginChoice, PlanStatus
from masterplan.planning import Plan, PlanItem, PlanOptions, Regeneration, draft_plan
from masterplan.planning import regenerate as merge_draft
from masterplan.services.errors import WrongState
from masterplan.sources import PlanSource, plan_source
from smartcity import access
from smartcity.models import Element, Indicator, User


@dataclass(frozen=True)
class Draft:
    """A drafted plan before it is stored, with what it was drafted from."""

    assessment: Assessment
    source: PlanSource
    library: ActionLibrary | None
    spec: LibrarySpec | None
    plan: Plan
    inputs_hash: str


def _draft(assessment: Assessment, start_year: int, ceiling: int | None) -> Draft:
    if assessment.status != AssessmentStatus.APPROVED:
        raise WrongState(_("A master plan is drafted from an approved assessment."))
    if ceiling is not None and ceiling <= 0:
        raise WrongState(_("The yearly budget ceiling must be a positive amount."))
    source = plan_source(assessment)
    library, spec = selectors.library_for(assessment.cycle.framework)
    plan = draft_plan(source.goals, spec, PlanOptions(start_year=start_year, ceiling=ceiling))
    inputs = [source.fingerprint(), spec.content_hash if spec else None, start_year, ceiling]
    inputs_hash = hashlib.sha256(json.dumps(inputs).encode()).hexdigest()
    return Draft(assessment, source, library, spec, plan, inputs_hash)


def require_drafter(user: User | None, assessment: Assessment) -> None:
    """Officials of the region draft (administrators too); None is an operator's command."""
    if user is None:
        return
    if not access.can_view_region(user, assessment.region):
        raise Http404
    if not (access.can_edit_region(user, assessment.region) or access.is_administrator(user)):
        raise WrongState(_("Only the region's officials edit its master plan."))


def _overflow_rows(plan: Plan) -> list[dict]:
    return [
        {"key": o.action.key, "title": o.action.title.id, "reason": o.reason} for o in plan.overflow
    ]


@transaction.atomic
def masterplan_draft(
    *,
    assessment: Assessment,
    user: User | None,
    start_year: int | None = None,
    ceiling: int | None = None,
) -> MasterPlan:
    """A new plan version of the assessment's region, drafted from the approved assessment.

    Deterministic: the same assessment, library and options give the same items. The start
    year defaults to the year after the assessment's cycle. Refused while the region has a plan
    that is not final (regenerate that one instead).
    """
    require_drafter(user, assessment)
    current = selectors.current_plan_of(assessment.region_id)
    if current is not None and current.status != PlanStatus.FINAL:
        raise WrongState(_("The region already has a plan in progress; regenerate it instead."))
    draft = _draft(assessment, start_year or assessment.cycle.year + 1, ceiling)
    edition = (
        MasterPlan.objects.filter(region_id=assessment.region_id).aggregate(Max("edition"))[
            "edition__max"
        ]
        or 0
    ) + 1
    plan = MasterPlan.objects.create(
        region_id=assessment.region_id,
        assessment=assessment,
        library=draft.library,
        previous=current,
        edition=edition,
        start_year=draft.plan.start_year,
        ceiling=ceiling,
        inputs_hash=draft.inputs_hash,
        overflow=_overflow_rows(draft.plan),
        strengths=list(draft.source.strengths),
        weaknesses=list(draft.source.weaknesses),
        created_by=user,
    )
    _add_items(plan, draft, draft.plan.items, user)
    return plan


def _add_items(
    plan: MasterPlan, draft: Draft, new_items: tuple[PlanItem, ...], user: User | None
) -> None:
    framework = draft.assessment.cycle.framework
    indicators = dict(
        Indicator.objects.filter(element__pillar__framework=framework).values_list("code", "pk")
    )
    elements = dict(Element.objects.filter(pillar__framework=framework).values_list("code", "pk"))
    names = _names(draft.spec)
    positions = {item.key: n for n, item in enumerate(draft.plan.items)}
    rows = [
        ActionItem(
            plan=plan,
            key=item.key,
            indicator_id=indicators.get(item.action.indicator),
            element_id=elements.get(item.action.element),
            position=positions[item.key],
            origin=OriginChoice.GENERATED,
            updated_by=user,
            **_generated_fields(item, names),
        )
        for item in new_items
    ]
    bulk_create_with_history(rows, ActionItem, default_user=user)
    _link_generated(plan, draft)


def _names(spec: LibrarySpec | None) -> dict[str, str]:
    """The Indonesian names of the library's OPD and partner types, by code."""
    entries = (*spec.opd_types, *spec.partner_types) if spec else ()
    return {entry.code: entry.name.id for entry in entries}


def _generated_fields(item: PlanItem, names: dict[str, str]) -> dict:
    action = item.action
    return {
        "action_code": action.action_code or "",
        "generic": action.generic,
        "title": action.title.id[:300],
        "description": action.description.id,
        "horizon": item.horizon,
        "start_year": item.start_year,
        "end_year": item.end_year,
        "lead_opd": names.get(action.lead, action.lead or ""),
        "partners": [names.get(code, code) for code in action.partners],
        "kpi_name": action.kpi.name.id[:300],
        "kpi_unit": action.kpi.unit.id[:100],
        "kpi_baseline": str(action.from_level) if action.generic else "",
        "kpi_target": str(action.to_level) if action.generic else "",
        "budget": action.budget,
        "funding_source": action.funding[0] if action.funding else "",
    }


def _link_generated(plan: MasterPlan, draft: Draft) -> None:
    """Set the dependencies of the plan's generated items from the draft (keys within the plan)."""
    by_key = dict(plan.items.exclude(key="").values_list("key", "pk"))
    generated = dict(plan.items.filter(origin=OriginChoice.GENERATED).values_list("key", "pk"))
    through = ActionItem.depends_on.through
    through.objects.filter(from_actionitem_id__in=generated.values()).delete()
    links = [
        through(from_actionitem_id=generated[item.key], to_actionitem_id=by_key[dependency])
        for item in draft.plan.items
        if item.key in generated
        for dependency in item.action.depends_on
        if dependency in by_key
    ]
    through.objects.bulk_create(links)


@dataclass(frozen=True)
class RegenerationPreview:
    """What regenerating the plan from `draft` would do (nothing is written by the preview)."""

    plan: MasterPlan
    draft: Draft
    regeneration: Regeneration

    @property
    def same_inputs(self) -> bool:
        return (
            self.plan.assessment_id == self.draft.assessment.pk
            and self.plan.inputs_hash == self.draft.inputs_hash
        )

    @property
    def changes_anything(self) -> bool:
        return self.regeneration.changes_anything or not self.same_inputs


def masterplan_regenerate_preview(
    *,
    plan: MasterPlan,
    assessment: Assessment,
    user: User | None,
    start_year: int | None = None,
    ceiling: int | None = None,
) -> RegenerationPreview:
    """The regeneration of `plan` from `assessment` (same region), as a preview."""
    selectors.require_visible(user, plan)
    refusal = selectors.edit_refusal(plan, user)
    if refusal:
        raise WrongState(refusal)
    if assessment.region_id != plan.region_id:
        raise WrongState(_("The assessment is of another region."))
    draft = _draft(
        assessment,
        start_year or plan.start_year,
        plan.ceiling if ceiling is None else ceiling,
    )
    regeneration = merge_draft(selectors.existing_items(plan), draft.plan)
    return RegenerationPreview(plan, draft, regeneration)


@transaction.atomic
def masterplan_regenerate_apply(
    *,
    plan: MasterPlan,
    assessment: Assessment,
    user: User | None,
    expected_version: int,
    start_year: int | None = None,
    ceiling: int | None = None,
) -> RegenerationPreview:
    """Apply the regeneration the preview showed: edited and manual items stay as they are.

    `expected_version` is the plan's version the preview was made from: if the plan changed
    since, nothing is applied (the person looks at the new preview first).
    """
    claim_plan_version(plan, expected_version)
    preview = masterplan_regenerate_preview(
        plan=plan, assessment=assessment, user=user, start_year=start_year, ceiling=ceiling
    )
    draft, regeneration = preview.draft, preview.regeneration
    plan.items.filter(
        origin=OriginChoice.GENERATED, key__in=[i.key for i in regeneration.removed]
    ).delete()
    names = _names(draft.spec)
    positions = {item.key: n for n, item in enumerate(draft.plan.items)}
    fresh = {new.key: new for _old, new in (*regeneration.rescheduled, *regeneration.unchanged)}
    for item in plan.items.filter(origin=OriginChoice.GENERATED, key__in=list(fresh)):
        fields = _generated_fields(fresh[item.key], names)
        fields["position"] = positions[item.key]
        changed = {name: value for name, value in fields.items() if getattr(item, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(item, name, value)
            item.version += 1  # the plan is claimed: no one else writes its items now
            item.updated_by = user
            item._history_user = user
            item.save()
    _add_items(plan, draft, regeneration.added, user)
    plan.assessment = assessment
    plan.library = draft.library
    plan.start_year = draft.plan.start_year
    plan.ceiling = draft.plan.ceiling
    plan.inputs_hash = draft.inputs_hash
    plan.overflow = _overflow_rows(draft.plan)
    plan.save()
    return preview


def claim_plan_version(plan: MasterPlan, expected_version: int | None) -> None:
    """Move the plan to its next version, refusing if it is no longer `expected_version`."""
    rows = MasterPlan.objects.filter(pk=plan.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=F("version") + 1):
        raise WrongState(
            _("Someone else changed this plan after you opened it; reload it and try again.")
        )
    plan.refresh_from_db()


def require_plan_editor(user: User, plan: MasterPlan) -> None:
    selectors.require_visible(user, plan)
    refusal = selectors.edit_refusal(plan, user)
    if refusal:
        raise WrongState(refusal)


@transaction.atomic
def masterplan_submit_for_review(*, plan: MasterPlan, user: User) -> MasterPlan:
    """The region's officials hand the draft to its facilitators."""
    require_plan_editor(user, plan)
    if plan.status != PlanStatus.DRAFT:
        raise WrongState(_("Only a draft plan can be sent for review."))
    claim_plan_version(plan, None)
    plan.status = PlanStatus.IN_REVIEW
    plan.save()
    return plan


@transaction.atomic
def masterplan_mark_reviewed(*, plan: MasterPlan, user: User) -> MasterPlan:
    """A facilitator of the region records that they reviewed the plan (it stays in review)."""
    selectors.require_visible(user, plan)
    if not access.can_review_region(user, plan.region):
        raise WrongState(_("Only the region's facilitators review its master plan."))
    if plan.status != PlanStatus.IN_REVIEW:
        raise WrongState(_("Only a plan in review can be marked as reviewed."))
    claim_plan_version(plan, None)
    plan.reviewed_by = user
    plan.reviewed_at = timezone.now()
    plan.save()
    return plan


@transaction.atomic
def masterplan_finalise(*, plan: MasterPlan, user: User) -> MasterPlan:
    """The region's officials approve the plan: from now on it is read-only."""
    require_plan_editor(user, plan)
    claim_plan_version(plan, None)
    plan.status = PlanStatus.FINAL
    plan.finalised_at = timezone.now()
    plan.save()
    return plan


@transaction.atomic
def masterplan_new_version(*, plan: MasterPlan, user: User) -> MasterPlan:
    """A new draft version that starts from a final plan: its sections and items, as they are."""
    selectors.require_visible(user, plan)
    if not access.can_edit_region(user, plan.region):
        raise WrongState(_("Only the region's officials edit its master plan."))
    if plan.status != PlanStatus.FINAL:
        raise WrongState(_("A new version starts from a final plan."))
    if selectors.current_plan_of(plan.region_id).pk != plan.pk:
        raise WrongState(_("A newer version of this plan exists already."))
    items = list(plan.items.prefetch_related("depends_on").order_by("pk"))
    copy = MasterPlan.objects.get(pk=plan.pk)
    copy.pk = None
    copy.previous = plan
    copy.edition = plan.edition + 1
    copy.status = PlanStatus.DRAFT
    copy.version = 1
    copy.reviewed_by = copy.finalised_at = copy.reviewed_at = None
    copy.created_by = user
    copy.save()
    copies = {}
    for item in items:
        clone = ActionItem.objects.get(pk=item.pk)
        clone.pk = None
        clone.plan = copy
        clone.version = 1
        clone.updated_by = user
        clone.save()
        copies[item.pk] = clone
    for item in items:
        copies[item.pk].depends_on.set([copies[d.pk] for d in item.depends_on.all()])
    return copy
