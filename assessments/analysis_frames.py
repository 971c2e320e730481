"""The database side of the analysis: every frame `assessments.analysis` reads, each from one
`.values()` query, and the framework facts (scale, bands, names) it needs as plain data.

Nothing here computes a score; the pure functions in `assessments.analysis` do (docs/analysis.md).
"""

from collections.abc import Iterable

import pandas as pd
from django.db.models import Count, Q

from assessments.analysis import frame as f
from assessments.analysis.peers import COHORT, PROVINCE
from assessments.analysis.trend import EARLIER_COLUMNS, EARLIER_CYCLE, EarlierFramework
from assessments.models import (
    Assessment,
    AssessmentStatus,
    Cycle,
    GapReport,
    IndicatorResponse,
    ScoreSnapshot,
    SnapshotScope,
)
from smartcity.models import Framework, Indicator, PredikatBand, ScaleLevel
from smartcity.selectors import indicator_code_map

# Response field -> frame column, in the frame's order.
REGION_ID = "region_id"
_RESPONSE_FIELDS = {
    "assessment_id": f.ASSESSMENT,
    "assessment__region_id": REGION_ID,
    "assessment__region__code": f.REGION,
    "indicator__element__pillar__code": f.PILLAR,
    "indicator__element__pillar__kind": f.PILLAR_KIND,
    "indicator__element__pillar__weight": f.PILLAR_WEIGHT,
    "indicator__element__code": f.ELEMENT,
    "indicator__element__weight": f.ELEMENT_WEIGHT,
    "indicator__code": f.INDICATOR,
    "indicator__weight": f.INDICATOR_WEIGHT,
    "self_level": f.SELF_LEVEL,
    "verified_level": f.VERIFIED_LEVEL,
    "review_state": f.REVIEW_STATE,
    "target_level": f.TARGET,
    "not_applicable": f.NOT_APPLICABLE,
    "evidence_count": f.EVIDENCE_COUNT,
    "indicator__evidence_from_level": f.EVIDENCE_FROM,
}
YEAR = "year"
FRAMEWORK = "framework"
_ORDER = (
    "assessment_id",
    "indicator__element__pillar__position",
    "indicator__element__position",
    "indicator__position",
)


def response_frame(assessments: Q) -> pd.DataFrame:
    """The response frame (`frame.COLUMNS`, plus the region's id) of the assessments matching
    `assessments` (a Q on Assessment lookups, e.g. `Q(cycle=cycle, status="approved")`), in
    framework order."""
    rows = (
        IndicatorResponse.objects.filter(
            assessment__in=Assessment.objects.filter(assessments).values("pk")
        )
        .annotate(evidence_count=Count("evidence"))
        .order_by(*_ORDER)
        .values_list(*_RESPONSE_FIELDS)
    )
    return pd.DataFrame.from_records(list(rows), columns=list(_RESPONSE_FIELDS.values()))


def scale_and_bands(framework_id: int) -> tuple[f.Scale, tuple[f.Band, ...]]:
    """The framework's scale and predikat bands as the analysis takes them (two queries)."""
    values = list(ScaleLevel.objects.filter(framework_id=framework_id).values_list("value"))
    bands = PredikatBand.objects.filter(framework_id=framework_id).order_by("lower")
    return (
        f.Scale(min(values)[0], max(values)[0]),
        tuple(
            f.Band(float(lower), float(upper), label_id, label_en)
            for lower, upper, label_id, label_en in bands.values_list(
                "lower", "upper", "label_id", "label_en"
            )
        ),
    )


def region_frame(cycle_id: int) -> pd.DataFrame:
    """The province and cohort year of every region approved in the cycle (peer groups)."""
    rows = (
        Assessment.objects.filter(cycle_id=cycle_id, status=AssessmentStatus.APPROVED)
        .order_by()
        .values_list("region__code", "region__province__code", "region__cohort_year")
    )
    return pd.DataFrame.from_records(list(rows), columns=[f.REGION, PROVINCE, COHORT])


PEER_COLUMNS = [f.ASSESSMENT, f.REGION, f.SCOPE, f.CODE, f.CURRENT]


def peer_snapshot_frame(cycle_id: int, *, excluding: int | None = None) -> pd.DataFrame:
    """The pillar and index rows of the cycle's approved, final reports (what peers compare),
    without the assessment `excluding` (whose rows are being recomputed)."""
    rows = ScoreSnapshot.objects.filter(
        cycle_id=cycle_id,
        scope__in=[
            SnapshotScope.PILLAR,
            SnapshotScope.SMART_CITY_INDEX,
            SnapshotScope.READINESS_INDEX,
        ],
        preliminary=False,
    ).exclude(assessment_id=excluding)
    values = rows.order_by().values_list(
        "assessment_id", "region__code", "scope", "code", "current"
    )
    return pd.DataFrame.from_records(list(values), columns=PEER_COLUMNS).astype({f.CURRENT: float})


EARLIER_SCOPES = (
    SnapshotScope.INDICATOR,
    SnapshotScope.SMART_CITY_INDEX,
    SnapshotScope.READINESS_INDEX,
)


def earlier_frame(cycle: Cycle, region_codes: Iterable[str]) -> pd.DataFrame:
    """The indicator levels and indices of the regions' approved assessments in earlier cycles
    (years before `cycle`'s), from their final snapshots: `trend.EARLIER_COLUMNS` (indicator
    holding the code) plus the scope and the earlier cycle's year and framework; cycles are
    labelled by title."""
    rows = (
        ScoreSnapshot.objects.filter(
            region__code__in=list(region_codes),
            scope__in=EARLIER_SCOPES,
            preliminary=False,
            assessment__status=AssessmentStatus.APPROVED,
            cycle__year__lt=cycle.year,
        )
        .order_by()
        .values_list(
            "cycle__title",
            "region__code",
            "code",
            "current",
            "scope",
            "cycle__year",
            "cycle__framework",
        )
    )
    return pd.DataFrame.from_records(
        list(rows), columns=[*EARLIER_COLUMNS, f.SCOPE, YEAR, FRAMEWORK]
    ).astype({f.CURRENT: float})


def earlier_frameworks(earlier: pd.DataFrame, current: Framework) -> dict[str, EarlierFramework]:
    """Each earlier cycle's framework as the trend sees it, oldest cycle first; one scale and
    code map per framework version, not per cycle or region."""
    cycles = earlier.drop_duplicates(EARLIER_CYCLE).sort_values(YEAR)
    versions: dict[int, EarlierFramework] = {}
    for framework_id in cycles[FRAMEWORK].unique().tolist():
        scale, _bands = scale_and_bands(framework_id)
        if framework_id == current.pk:
            versions[framework_id] = EarlierFramework(scale)
        else:
            source = Framework.objects.get(pk=framework_id)
            versions[framework_id] = EarlierFramework(scale, indicator_code_map(source, current))
    return {
        label: versions[framework_id]
        for label, framework_id in zip(cycles[EARLIER_CYCLE], cycles[FRAMEWORK], strict=True)
    }


def framework_names(framework_id: int) -> dict[str, tuple[str, str]]:
    """Code -> (Indonesian, English) name of every pillar, element and indicator (one query)."""
    names: dict[str, tuple[str, str]] = {}
    for row in Indicator.objects.filter(framework_id=framework_id).values_list(
        "code",
        "name_id",
        "name_en",
        "element__code",
        "element__name_id",
        "element__name_en",
        "element__pillar__code",
        "element__pillar__name_id",
        "element__pillar__name_en",
    ):
        for start in (0, 3, 6):
            names[row[start]] = (row[start + 1], row[start + 2])
    return names


EXPORT_COLUMNS = (
    "region_code",
    "scope",
    "code",
    "current",
    "target",
    "gap",
    "basis",
    "predikat",
    "previous",
    "change",
)


def score_export_rows(cycle_id: int) -> list[tuple]:
    """The cycle's final snapshot rows as `EXPORT_COLUMNS`, one per region, scope and code, with
    the change against the region's previous approved cycle through the crosswalk (stored with
    each report; empty where there is none or the part is not comparable). Two queries."""
    rows = (
        ScoreSnapshot.objects.filter(cycle_id=cycle_id, preliminary=False)
        .order_by("region__code", "scope", "code")
        .values_list(
            "report_id",
            "region__code",
            "scope",
            "code",
            "current",
            "target",
            "gap",
            "basis",
            "predikat",
        )
    )
    rows = list(rows)
    changes: dict[tuple[int, str, str], tuple[float | None, float | None]] = {}
    reports = GapReport.objects.filter(pk__in={row[0] for row in rows}).values_list(
        "pk", "figures__changes"
    )
    for pk, report_changes in reports:
        for change in report_changes or []:
            changes[(pk, change[f.SCOPE], change[f.CODE])] = (
                change["previous"],
                change["change"],
            )
    order = {scope: position for position, scope in enumerate(f.SCOPES)}
    rows.sort(key=lambda row: (row[1], order[row[2]], row[3]))
    return [(*row[1:], *changes.get((row[0], row[2], row[3]), (None, None))) for row in rows]
