"""Opening a cycle: one assessment per region, pre-filled from its last approved assessment,
written by a background job (`CycleOpeningJob`)."""

import hashlib
import json
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.models import (
    Assessment,
    AssessmentEvent,
    Cycle,
    CycleOpeningJob,
    EventKind,
    Evidence,
    IndicatorResponse,
)
from assessments.rules import Scale, default_target
from assessments.services.errors import InvalidInput, WrongState
from smartcity import access, jobs
from smartcity.bulk import insert_from_select
from smartcity.models import Framework, Indicator, Region, User
from smartcity.selectors import indicator_code_map


def _prefilled_responses(
    assessment: Assessment,
    previous: Assessment,
    indicators: dict[str, Indicator],
    scale: Scale,
    code_map: dict[str, list[str]],
) -> tuple[list[IndicatorResponse], dict[str, list[Evidence]]]:
    carried: dict[str, dict] = {}
    evidence: dict[str, list[Evidence]] = {}
    old_responses = previous.responses.select_related("indicator").prefetch_related("evidence")
    for old in old_responses:
        for code in code_map.get(old.indicator.code, []):
            level = old.analysis_level if old.analysis_level in scale else None
            entry = carried.setdefault(
                code, {"levels": [], "narratives": [], "na": [], "na_reasons": []}
            )
            entry["levels"].append(level)
            entry["na"].append(old.not_applicable and indicators[code].allow_na)
            if old.narrative:
                entry["narratives"].append(old.narrative)
            if old.na_reason:
                entry["na_reasons"].append(old.na_reason)
            evidence.setdefault(code, []).extend(old.evidence.all())
    responses = []
    for code, indicator in indicators.items():
        entry = carried.get(code)
        response = IndicatorResponse(assessment=assessment, indicator=indicator)
        if entry:
            levels = [lv for lv in entry["levels"] if lv is not None]
            # Several old indicators merged into one: the lowest level is the safe starting point.
            response.self_level = min(levels) if levels and not all(entry["na"]) else None
            response.not_applicable = all(entry["na"])
            response.na_reason = "\n\n".join(entry["na_reasons"]) if response.not_applicable else ""
            response.narrative = "\n\n".join(entry["narratives"])
            response.target_level = default_target(
                response.self_level,
                scale,
                step=assessment.cycle.target_step,
                cap=assessment.cycle.target_cap,
            )
            response.carried_over = True
        responses.append(response)
    return responses, evidence


# Region ids per INSERT ... SELECT of assessments, under SQLite's limit of bound parameters.
REGIONS_PER_STATEMENT = 500


def _inputs_hash(**inputs: object) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def cycle_open(
    *,
    user: User,
    year: int,
    title: str,
    framework: Framework,
    opens_on: date,
    closes_on: date,
    regions: QuerySet[Region],
    target_step: int = 1,
    target_cap: int | None = None,
    run_now: bool = False,
) -> CycleOpeningJob:
    """Open a cycle: the cycle now, its assessments in the background (`cycle_opening_run`).

    Returns the job that opens one assessment per region; its page shows the progress. With
    `run_now` (commands, demo data) the assessments are opened in this transaction instead.
    """
    if not access.is_administrator(user):
        raise WrongState(_("Only administrators open assessment cycles."))
    if not framework.is_published:
        raise WrongState(_("Only a published framework can be used for a cycle."))
    cycle = Cycle.objects.create(
        year=year,
        title=title,
        framework=framework,
        opens_on=opens_on,
        closes_on=closes_on,
        target_step=target_step,
        target_cap=target_cap,
        created_by=user,
    )
    region_ids = sorted(regions.values_list("pk", flat=True))
    opening = CycleOpeningJob.objects.create(
        cycle=cycle,
        region_ids=region_ids,
        requested_by=user,
        inputs_hash=_inputs_hash(
            framework=framework.pk, regions=region_ids, step=target_step, cap=target_cap
        ),
    )
    if run_now:
        jobs.run_inline(job=opening, work=cycle_opening_run)
    else:
        jobs.enqueue_on_commit(CycleOpeningJob.task_name, opening.pk)
    return opening


def cycle_opening_run(opening: CycleOpeningJob) -> dict[str, int]:
    """The work of a cycle opening, inside the job's transaction (see `jobs.run_job`).

    One assessment per region. Regions without an approved earlier assessment get their
    assessment and blank answers from INSERT ... SELECT statements; the others are pre-filled
    from that assessment (levels, narratives and evidence marked as carried over; codes through
    the versions' crosswalks).
    Returns the counts the job keeps.
    """
    cycle = Cycle.objects.select_related("framework").get(pk=opening.cycle_id)
    framework = cycle.framework
    previous = selectors.baselines_for(opening.region_ids, cycle)
    fresh = [region_id for region_id in opening.region_ids if region_id not in previous]
    for start in range(0, len(fresh), REGIONS_PER_STATEMENT):
        chunk = fresh[start : start + REGIONS_PER_STATEMENT]
        placeholders = ", ".join(["%s"] * len(chunk))
        insert_from_select(
            Assessment,
            selected={"cycle_id": "%s", "region_id": "r.id"},
            source=f"FROM {Region._meta.db_table} r WHERE r.id IN ({placeholders})",
            params=[cycle.pk, *chunk],
        )
    carried = Assessment.objects.bulk_create(
        Assessment(cycle=cycle, region_id=region_id, baseline=baseline)
        for region_id, baseline in previous.items()
    )
    insert_from_select(
        IndicatorResponse,
        selected={"assessment_id": "a.id", "indicator_id": "i.id"},
        source=(
            f"FROM {Assessment._meta.db_table} a CROSS JOIN {Indicator._meta.db_table} i "
            "WHERE a.cycle_id = %s AND a.baseline_id IS NULL AND i.framework_id = %s"
        ),
        params=[cycle.pk, framework.pk],
    )
    _prefill(cycle, carried, previous)
    insert_from_select(
        AssessmentEvent,
        selected={"assessment_id": "a.id", "kind": "%s", "actor_id": "%s"},
        source=f"FROM {Assessment._meta.db_table} a WHERE a.cycle_id = %s",
        params=[EventKind.OPENED, opening.requested_by_id, cycle.pk],
    )
    return {"assessments": len(fresh) + len(carried), "prefilled": len(carried)}


def _prefill(cycle: Cycle, assessments: list[Assessment], previous: dict[int, Assessment]) -> None:
    framework = cycle.framework
    indicators = {
        i.code: i for i in Indicator.objects.filter(framework=framework).order_by("position")
    }
    scale = selectors.scale_of(framework)
    responses: list[IndicatorResponse] = []
    carried_evidence: list[tuple[IndicatorResponse, Evidence]] = []
    # One code map per earlier framework version, not one per region.
    code_maps: dict[int, dict[str, list[str]]] = {}
    for assessment in assessments:
        baseline = previous[assessment.region_id]
        source = baseline.cycle.framework
        if source.pk not in code_maps:
            code_maps[source.pk] = indicator_code_map(source, framework)
        prefilled, evidence = _prefilled_responses(
            assessment, baseline, indicators, scale, code_maps[source.pk]
        )
        responses.extend(prefilled)
        carried_evidence.extend(
            (response, item)
            for response in prefilled
            for item in evidence.get(response.indicator.code, [])
        )
    IndicatorResponse.objects.bulk_create(responses, batch_size=2000)
    Evidence.objects.bulk_create(
        [
            Evidence(
                response=response,
                kind=old.kind,
                file=old.file.name,
                original_name=old.original_name,
                content_type=old.content_type,
                size=old.size,
                sha256=old.sha256,
                url=old.url,
                description=old.description,
                carried_over=True,
                uploaded_by_id=old.uploaded_by_id,
            )
            for response, old in carried_evidence
        ],
        batch_size=2000,
    )


@transaction.atomic
def cycle_close(*, cycle: Cycle, user: User) -> Cycle:
    """Close a cycle: from now on no region edits or submits, but one a facilitator gave an
    extension (`assessment_extend_deadline`), until its new date. Submitted assessments are
    reviewed as before."""
    if not access.can_manage_cycles(user):
        raise WrongState(_("Only administrators can close a cycle."))
    closed = Cycle.objects.filter(pk=cycle.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), closed_by=user
    )
    if not closed:
        raise WrongState(_("This cycle is closed already."))
    cycle.refresh_from_db()
    return cycle


@transaction.atomic
def assessment_extend_deadline(*, assessment: Assessment, user: User, until: date) -> Assessment:
    """A facilitator's exception for one region: it may edit and submit until `until` (the end of
    that day), also once the cycle is closed."""
    if not access.can_review_region(user, assessment.region):
        raise WrongState(_("Only the region's facilitators can extend its deadline."))
    if not assessment.is_editable:
        raise WrongState(_("Only an assessment the region is still working on can be extended."))
    if until < timezone.localdate():
        raise InvalidInput({"until": _("Choose today or a later date.")})
    assessment.extended_until = until
    assessment.extended_by = user
    assessment.save(update_fields=["extended_until", "extended_by", "updated_at"])
    return assessment
