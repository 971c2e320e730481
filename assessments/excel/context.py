"""What an upload is checked against (read from the database by the caller), and what it yields."""

from dataclasses import dataclass, field
from datetime import datetime

from assessments.excel.answers import stored_answer
from assessments.excel.problems import Problem, saved_by
from assessments.rules import Answer, Scale
from assessments.selectors import Sheet
from smartcity.models import Indicator, ScaleLevel


@dataclass(frozen=True)
class CurrentAnswer:
    """What is stored now for one indicator, for comparison with an uploaded row."""

    response_id: int
    indicator: Indicator
    version: int
    answer: Answer
    updated_by: str
    updated_at: datetime | None


@dataclass(frozen=True)
class UploadContext:
    """Everything an upload is checked against, read from the database by the caller."""

    assessment_id: int
    region_name: str
    cycle_title: str
    framework_slug: str
    framework_version: int
    levels: list[ScaleLevel]
    target_step: int
    target_cap: int | None
    current: dict[str, CurrentAnswer]

    @property
    def scale(self) -> Scale:
        return Scale(tuple(level.value for level in self.levels))


@dataclass(frozen=True)
class RowChange:
    """A row whose answer differs from the stored one, to save if it is still at `version`."""

    row: int
    code: str
    response_id: int
    expected_version: int
    answer: Answer


@dataclass
class UploadResult:
    """The problems found, and the changes to save when there are none."""

    problems: list[Problem] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    unchanged: int = 0


def upload_context(sheet: Sheet) -> UploadContext:
    """The context of an upload from a sheet loaded with `assessment_sheet(details=False)`."""
    assessment = sheet.assessment
    cycle = assessment.cycle
    current = {
        row.indicator.code: CurrentAnswer(
            response_id=row.response.pk,
            indicator=row.indicator,
            version=row.response.version,
            answer=stored_answer(row),
            updated_by=saved_by(row.response),
            updated_at=row.response.updated_at,
        )
        for row in sheet.rows()
    }
    return UploadContext(
        assessment_id=assessment.pk,
        region_name=assessment.region.name,
        cycle_title=cycle.title,
        framework_slug=cycle.framework.slug,
        framework_version=cycle.framework.version,
        levels=sheet.levels,
        target_step=cycle.target_step,
        target_cap=cycle.target_cap,
        current=current,
    )
