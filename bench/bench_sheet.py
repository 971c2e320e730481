"""Reading one fully answered assessment: the sheet (framework tree with details) and the gaps."""

from assessments.models import Assessment
from assessments.selectors import assessment_sheet, submission_gaps
from bench import data
from bench.runner import Benchmark

INDICATORS = 55


def _setup() -> Assessment:
    user, framework = data.administrator(), data.default_framework()
    cycle = data.open_cycle(user, framework, data.make_regions(1), 2026)
    data.answer_all(cycle, user)
    return Assessment.objects.select_related("region", "cycle__framework").get(cycle=cycle)


def _read(assessment: Assessment) -> None:
    sheet = assessment_sheet(assessment)
    assert len(sheet.rows()) == INDICATORS
    assert submission_gaps(assessment) == []


def benchmarks() -> list[Benchmark]:
    return [
        Benchmark(
            name="assessment_sheet + submission_gaps, one full assessment",
            n=INDICATORS,
            setup=_setup,
            run=_read,
            rounds=5,
        )
    ]
