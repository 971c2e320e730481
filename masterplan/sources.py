"""What a plan is drafted from: an approved assessment's computed tables, as scheduler goals.

This is the one adapter between the gap analysis and the plan. Today it computes the tables
from the assessment's responses (`assessments.analysis`); when the stored gap report exists it
reads that instead, and nothing else in the app changes.
"""

import hashlib
import json
from dataclasses import dataclass

import pandas as pd

from assessments.analysis import frame as columns
from assessments.analysis.priorities import PRIORITY, priorities, top_gaps, top_strengths
from assessments.analysis.scores import score_tables
from assessments.models import Assessment, IndicatorResponse
from masterplan.planning import IndicatorGoal, LevelGuide
from smartcity.framework_files import Text
from smartcity.models import LevelDescriptor, ScaleLevel


@dataclass(frozen=True)
class PlanSource:
    """The goals of one assessment and the report's suggestions for the plan's SWOT."""

    assessment_id: int
    goals: tuple[IndicatorGoal, ...]
    strengths: tuple[str, ...]  # the top-scoring indicators, as SWOT suggestions
    weaknesses: tuple[str, ...]  # the top gaps

    def fingerprint(self) -> str:
        """A hash of the goals (levels, targets, priorities): equal goals draft equal plans."""
        rows = [
            (g.indicator, g.current, g.target, round(g.priority, 9))
            for g in sorted(self.goals, key=lambda goal: goal.indicator)
        ]
        return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def response_frame(assessment: Assessment) -> pd.DataFrame:
    """The analysis frame of one assessment (one query; the schema of `analysis.frame`)."""
    rows = IndicatorResponse.objects.filter(assessment=assessment).values_list(
        "indicator__element__pillar__code",
        "indicator__element__pillar__kind",
        "indicator__element__pillar__weight",
        "indicator__element__code",
        "indicator__element__weight",
        "indicator__code",
        "indicator__weight",
        "self_level",
        "verified_level",
        "review_state",
        "target_level",
        "not_applicable",
        "indicator__evidence_from_level",
    )
    names = [
        columns.PILLAR,
        columns.PILLAR_KIND,
        columns.PILLAR_WEIGHT,
        columns.ELEMENT,
        columns.ELEMENT_WEIGHT,
        columns.INDICATOR,
        columns.INDICATOR_WEIGHT,
        columns.SELF_LEVEL,
        columns.VERIFIED_LEVEL,
        columns.REVIEW_STATE,
        columns.TARGET,
        columns.NOT_APPLICABLE,
        columns.EVIDENCE_FROM,
    ]
    frame = pd.DataFrame(list(rows), columns=names)
    return frame.assign(
        **{
            columns.ASSESSMENT: assessment.pk,
            columns.REGION: assessment.region_id,
            columns.EVIDENCE_COUNT: 0,  # not used by scores or priorities
        }
    )


def plan_source(assessment: Assessment) -> PlanSource:
    """The scheduler's goals from `assessment` (four queries): one per scored indicator."""
    framework_id = assessment.cycle.framework_id
    scale_rows = list(
        ScaleLevel.objects.filter(framework_id=framework_id)
        .order_by("value")
        .values_list("value", "label_id", "label_en", "description_id", "description_en")
    )
    values = [row[0] for row in scale_rows]
    scale = columns.Scale(min(values), max(values))
    tables = score_tables(response_frame(assessment), scale=scale)
    indicators = tables.indicators
    ranked = priorities(indicators).set_index(columns.INDICATOR)[PRIORITY]
    descriptors: dict[str, dict[int, tuple]] = {}
    for code, level, text_id, text_en, next_id, next_en in LevelDescriptor.objects.filter(
        indicator__element__pillar__framework_id=framework_id
    ).values_list("indicator__code", "level", "text_id", "text_en", "next_id", "next_en"):
        descriptors.setdefault(code, {})[level] = (text_id, text_en, next_id, next_en)
    names = {
        code: Text(name_id, name_en or name_id)
        for code, name_id, name_en in IndicatorResponse.objects.filter(
            assessment=assessment
        ).values_list("indicator__code", "indicator__name_id", "indicator__name_en")
    }
    goals = []
    scored = indicators[indicators[columns.CURRENT].notna()]
    for row in scored.sort_values(columns.INDICATOR).itertuples(index=False):
        code = getattr(row, columns.INDICATOR)
        current = int(getattr(row, columns.CURRENT))
        target = getattr(row, columns.TARGET_SCORE)
        described = descriptors.get(code, {})
        guides = tuple(
            LevelGuide(
                level=value,
                label=Text(label_id, label_en),
                descriptor=Text(*described[value][:2])
                if value in described
                else Text(description_id, description_en),
                next=Text(*described[value][2:])
                if value in described and described[value][2]
                else None,
            )
            for value, label_id, label_en, description_id, description_en in scale_rows
        )
        goals.append(
            IndicatorGoal(
                indicator=code,
                element=getattr(row, columns.ELEMENT),
                pillar=getattr(row, columns.PILLAR),
                name=names[code],
                current=current,
                target=current if pd.isna(target) else max(current, int(target)),
                priority=float(ranked.get(code, 0.0)),
                levels=guides,
            )
        )
    strengths = top_strengths(indicators, scale=scale)[columns.INDICATOR]
    gaps = top_gaps(indicators)[columns.INDICATOR]
    return PlanSource(
        assessment_id=assessment.pk,
        goals=tuple(goals),
        strengths=tuple(f"{code} {names[code].id}" for code in strengths),
        weaknesses=tuple(f"{code} {names[code].id}" for code in gaps),
    )
