"""Exporting a 150-item master plan: the PDF book (with its charts through kaleido), the DOCX
book (charts as PNG) and the XLSX workbook.

The plan is drafted from the approved default-framework assessment of `bench_masterplan` and
filled up with manual items to 150. The kaleido server is started in the set-up, as a worker
does once per process; the rounds measure what every later export costs.
"""

import plotly.graph_objects as go
from django.utils import translation

from bench.bench_masterplan import _approved_assessment
from bench.runner import Benchmark
from masterplan.exports import figures, services
from masterplan.models import ActionItem, FundingSource, HorizonChoice, MasterPlan
from masterplan.services import masterplan_draft

ITEMS = 150
SOURCES = list(FundingSource.values)


def plan_of(size: int = ITEMS) -> MasterPlan:
    plan = masterplan_draft(assessment=_approved_assessment(), user=None, start_year=2026)
    missing = size - plan.items.count()
    ActionItem.objects.bulk_create(
        ActionItem(
            plan=plan,
            title=f"Aksi tambahan {number}: penguatan layanan digital OPD",
            horizon=HorizonChoice.MEDIUM,
            start_year=2027 + number % 4,
            end_year=2028 + number % 4,
            lead_opd="Dinas Komunikasi dan Informatika",
            budget=150_000_000 + number * 1_000_000,
            funding_source=SOURCES[number % len(SOURCES)],
            kpi_name="Layanan terintegrasi",
            position=1000 + number,
        )
        for number in range(max(0, missing))
    )
    figures.render(go.Figure(), image_format="svg")  # the worker's renderer, started
    return MasterPlan.objects.select_related("region", "assessment__cycle").get(pk=plan.pk)


def _export(kind: str):
    def run(plan: MasterPlan) -> None:
        with translation.override("id"):
            data, note = services.export_render(plan, kind=kind, part="all", language="id")
        assert data and not note, note

    return run


def benchmarks(size: int = ITEMS) -> list[Benchmark]:
    return [
        Benchmark(
            name=f"masterplan_{kind}_{size}",
            n=size,
            setup=lambda: plan_of(size),
            run=_export(kind),
            rounds=3,
        )
        for kind in ("pdf", "docx", "xlsx")
    ]
