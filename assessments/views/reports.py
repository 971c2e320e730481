"""The gap report: asking for it, following its job, reading it, downloading its tables.

Who sees a report is who sees the region (`access.jobs_visible_to`, 404 outside it). Officials
see their region's standing as bands and medians only; facilitators also see the named peers
inside their own scope and the consistency checks.
"""

import csv
import io

import pandas as pd
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook

from assessments import analysis_frames, charts, selectors, services
from assessments import report_tables as rt
from assessments.analysis import frame as f
from assessments.analysis.peers import named_peer_standing, peer_medians, peer_positions
from assessments.models import GapReport, ScoreSnapshot
from smartcity import access
from smartcity.job_views import job_urlpatterns
from smartcity.navigation import report_panels
from smartcity.spreadsheets import safe_cell_value

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_http_methods(["GET", "POST"])
def assessment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the assessment's latest report (or the button to build one); POST: build it."""
    assessment = selectors.assessment_for(request.user, pk)
    refusal = services.report_refusal(assessment, request.user)
    if request.method == "POST":
        if refusal:
            return render(
                request,
                "assessments/report_missing.html",
                {"assessment": assessment, "refusal": refusal},
                status=403,
            )
        report = services.gap_report_request(assessment=assessment, user=request.user)
        return redirect(report.get_absolute_url())
    report = services.latest_report(assessment)
    if report is not None:
        return redirect(report.get_absolute_url())
    return render(
        request,
        "assessments/report_missing.html",
        {"assessment": assessment, "refusal": refusal},
    )


def _report_for(request: HttpRequest, pk: int) -> GapReport:
    reports = access.jobs_visible_to(
        request.user,
        GapReport.objects.select_related("assessment__region__province", "assessment__cycle"),
    )
    return get_object_or_404(reports, pk=pk)


def _named_peers(report: GapReport, request: HttpRequest) -> list[dict]:
    """A facilitator's named peers: the cycle's final index rows of the regions in their scope,
    ranked within each group (one query)."""
    assessment = report.assessment
    rows = (
        ScoreSnapshot.objects.filter(
            cycle_id=assessment.cycle_id,
            scope__in=[f.SCOPE_INDEX, f.SCOPE_PILLAR, f.SCOPE_READINESS],
            preliminary=False,
        )
        .filter(access.visible_regions_q(request.user, "region"))
        .values_list(
            "region__code",
            "region__name",
            "region__province__code",
            "region__cohort_year",
            "scope",
            "code",
            "current",
        )
    )
    table = pd.DataFrame.from_records(
        list(rows),
        columns=[f.REGION, "name", "province", "cohort_year", f.SCOPE, f.CODE, f.CURRENT],
    )
    if table.empty or assessment.region.code not in set(table[f.REGION]):
        return []
    regions = table.drop_duplicates(f.REGION)[[f.REGION, "province", "cohort_year"]]
    snapshots = table.astype({f.CURRENT: float})
    named = named_peer_standing(
        peer_positions(snapshots, regions),
        peer_medians(snapshots, regions),
        regions,
        region=assessment.region.code,
    )
    names = dict(zip(regions[f.REGION], table.drop_duplicates(f.REGION)["name"], strict=True))
    return [
        {
            "group": str(rt.GROUP_LABELS[row["group"]]),
            "region": names[row[f.REGION]],
            "own": row[f.REGION] == assessment.region.code,
            "score": round(row["score"], 2),
            "percentile": None if row["percentile"] != row["percentile"] else row["percentile"],
        }
        for row in named.peers.to_dict("records")
    ]


def _charts(report: GapReport, names: rt.Names) -> list[dict]:
    figures = report.figures
    scale = rt.scale_of(figures)
    medians = rt.national_medians(figures)
    snapshots = pd.DataFrame(
        [{f.SCOPE: f.SCOPE_PILLAR, f.CODE: p["pillar"], **p} for p in figures.get("pillars", [])],
        columns=[f.SCOPE, f.CODE, f.CURRENT, f.TARGET_SCORE],
    )
    out = []
    for kind, title, chart_id, table in (
        (
            f.DIMENSION,
            _("Dimensions: current, target and national median"),
            "radar-dimensions",
            "scores",
        ),
        (
            f.READINESS,
            _("Readiness: current, target and national median"),
            "radar-readiness",
            "readiness",
        ),
    ):
        codes = [p["pillar"] for p in rt.ordered_pillars(figures, names, kind)]
        if not codes:
            continue
        axes = charts.pillar_axes(
            snapshots,
            codes=codes,
            names={code: rt.name_of(names, code) for code in codes},
            medians=medians,
        )
        out.append(
            {
                "id": chart_id,
                "figure": charts.radar(axes, scale=scale, title=title),
                "label": title,
                "table": table,
            }
        )
    gaps = rt.gap_rows(figures, names)
    gap_frame = pd.DataFrame(gaps, columns=[charts.LABEL, f.GAP]).astype({f.GAP: float})
    title = _("Gap per element")
    out.append(
        {
            "id": "gap-bars",
            "figure": charts.gap_bars(gap_frame, scale=scale, title=title),
            "label": title,
            "table": "gaps",
        }
    )
    indicators = pd.DataFrame(
        figures.get("indicators", []), columns=[f.ELEMENT, f.INDICATOR, f.CURRENT]
    ).astype({f.CURRENT: float})
    title = _("Indicator levels by element")
    out.append(
        {
            "id": "level-heatmap",
            "figure": charts.level_heatmap(
                indicators,
                element_names={code: rt.name_of(names, code) for code in indicators[f.ELEMENT]},
                indicator_names={code: rt.name_of(names, code) for code in indicators[f.INDICATOR]},
                scale=scale,
                title=title,
            ),
            "label": title,
            "table": "levels",
        }
    )
    title = _("Trend over cycles")
    out.append(
        {
            "id": "trend-lines",
            "figure": charts.trend_lines(
                rt.trend_rows(figures),
                scale=scale,
                normalised=rt.trend_normalised(figures),
                title=title,
            ),
            "label": title,
            "table": "trend",
        }
    )
    title = _("Position among peers")
    out.append(
        {
            "id": "peer-position",
            "figure": charts.peer_position(
                rt.standing_of(figures, report.assessment.region.code), title=title
            ),
            "label": title,
            "table": "peers",
        }
    )
    return out


@require_GET
def gap_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report, or its job's status while it is built (the page polls it)."""
    report = _report_for(request, pk)
    assessment = report.assessment
    context = {
        "report": report,
        "assessment": assessment,
        "can_build": services.report_refusal(assessment, request.user) is None,
    }
    if not report.is_done:
        return render(request, "assessments/report.html", context)
    names = analysis_frames.framework_names(assessment.cycle.framework_id)
    tables = rt.report_tables(report.figures, names, assessment.region.code)
    facilitator = access.can_review_region(request.user, assessment.region)
    index = next(
        (row for row in report.figures.get("indices", []) if row[f.CODE] == f.INDEX_CODE), None
    )
    context.update(
        charts=[{**chart, "rows": tables[chart["table"]]} for chart in _charts(report, names)],
        priorities=tables["priorities"],
        panels=report_panels(request, assessment),
        index=index,
        predikat=rt.predikat_label(report.figures, index and index[f.PREDIKAT]),
        basis=rt.basis_label(report.basis),
        facilitator=facilitator,
        named_peers=_named_peers(report, request) if facilitator else [],
        checks=[
            {**check, "name": rt.name_of(names, check[f.INDICATOR])}
            for check in report.figures.get("checks", [])
        ]
        if facilitator
        else [],
        markers=report.figures.get("markers", []),
        table_names=rt.TABLE_NAMES,
    )
    return render(request, "assessments/report.html", context)


def _done_tables(request: HttpRequest, pk: int) -> tuple[GapReport, dict[str, rt.Table]]:
    report = _report_for(request, pk)
    if not report.is_done:
        raise Http404
    names = analysis_frames.framework_names(report.assessment.cycle.framework_id)
    return report, rt.report_tables(report.figures, names, report.assessment.region.code)


def _file_name(report: GapReport, suffix: str) -> str:
    assessment = report.assessment
    return f"laporan-{assessment.region.code}-{assessment.cycle.year}-{suffix}"


@require_GET
def gap_report_csv(request: HttpRequest, pk: int, table: str) -> HttpResponse:
    """One table of the report as CSV (text cells made safe against formulas)."""
    report, tables = _done_tables(request, pk)
    if table not in tables:
        raise Http404
    chosen = tables[table]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell_value(header) for header in chosen.headers])
    writer.writerows([safe_cell_value(value) for value in row] for row in chosen.rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, _file_name(report, f"{table}.csv")
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def gap_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """Every table of the report as one workbook, a sheet per table."""
    report, tables = _done_tables(request, pk)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for chosen in tables.values():
        sheet = workbook.create_sheet(chosen.name)
        sheet.append([safe_cell_value(header) for header in chosen.headers])
        for row in chosen.rows:
            sheet.append([safe_cell_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, _file_name(report, "tabel.xlsx")
    )
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("<int:pk>/report/", assessment_report, name="assessment_report"),
    path("reports/<int:pk>/", gap_report, name="gap_report"),
    path("reports/<int:pk>/tables/<slug:table>.csv", gap_report_csv, name="gap_report_csv"),
    path("reports/<int:pk>/tables.xlsx", gap_report_xlsx, name="gap_report_xlsx"),
    *job_urlpatterns(GapReport, route="reports/", name="gap_report"),
]
