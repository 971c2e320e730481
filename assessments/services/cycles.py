"""Opening a cycle: one assessment per region, pre-filled from its last approved assessment."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.models import (
    Assessment,
    AssessmentEvent,
    Cycle,
    EventKind,
    Evidence,
    IndicatorResponse,
)
from assessments.rules import Scale, default_target
from assessments.services.errors import WrongState
from smartcity import access
from smartcity.models import Framework, Indicator, Region, User
from smartcity.selectors import indicator_code_map


@dataclass(frozen=True)
class CycleOpening:
    cycle: Cycle
    assessments: int
    prefilled: int


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
) -> CycleOpening:
    """Open a cycle: one assessment per region, pre-filled from its last approved assessment.

    Carried-over levels, narratives and evidence are marked as carried over; when the framework
    version changed, indicator codes go through the versions' crosswalks.
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
    region_ids = list(regions.values_list("pk", flat=True))
    previous = selectors.baselines_for(region_ids, cycle)
    assessments = Assessment.objects.bulk_create(
        Assessment(cycle=cycle, region_id=region_id, baseline=previous.get(region_id))
        for region_id in region_ids
    )
    indicators = {
        i.code: i for i in Indicator.objects.filter(framework=framework).order_by("position")
    }
    scale = selectors.scale_of(framework)
    responses: list[IndicatorResponse] = []
    carried_evidence: list[tuple[IndicatorResponse, Evidence]] = []
    # One code map per earlier framework version, not one per region.
    code_maps: dict[int, dict[str, list[str]]] = {}
    for assessment in assessments:
        baseline = previous.get(assessment.region_id)
        if baseline is None:
            responses.extend(
                IndicatorResponse(assessment=assessment, indicator=i) for i in indicators.values()
            )
            continue
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
    AssessmentEvent.objects.bulk_create(
        AssessmentEvent(assessment=a, kind=EventKind.OPENED, actor=user) for a in assessments
    )
    return CycleOpening(cycle, len(assessments), len(previous))
