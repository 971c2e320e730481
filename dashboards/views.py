"""The dashboard pages: thin views that read the query, ask `dashboards.pages` and render.

Facilitators and administrators use the dashboards (404 for anyone else); the region page is also
for the region's officials. Every number is computed over the user's scope only.
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dashboards import exports, pages, selectors
from dashboards.forms import MapForm, MaturityForm, ProgressFilterForm
from smartcity import access

ROWS_PER_PAGE = 25


def _cycle_context(request: HttpRequest, form_class, **kwargs):
    cycles = selectors.dashboard_cycles(request.user)
    cycle = selectors.cycle_chosen(cycles, request.GET.get("cycle"))
    form = form_class(request.GET or None, **kwargs)
    return cycles, cycle, form


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@require_GET
@access.dashboards_required
def progress(request: HttpRequest) -> HttpResponse:
    """Per cycle: regions per status and overdue, completion by province, the region table."""
    labels = pages.status_labels()
    cycles, cycle, form = _cycle_context(request, ProgressFilterForm, status_labels=labels)
    context = {"cycles": cycles, "cycle": cycle, "form": form, "status_labels": labels}
    if cycle is not None:
        data = pages.progress_page(request.user, cycle, form.filters())
        paginator = Paginator(data.rows, ROWS_PER_PAGE)
        context |= {
            "data": data,
            "page": paginator.get_page(request.GET.get("page")),
            "query": _query_without(request, "page"),
            "sort_query": _query_without(request, "page", "sort", "desc"),
            "export_query": _query_without(request, "page"),
            "deadline_passed": timezone.localdate() > cycle.closes_on,
        }
    return render(request, "dashboards/progress.html", context)


@require_GET
@access.dashboards_required
def progress_export(request: HttpRequest) -> HttpResponse:
    """The filtered region table as CSV (`format=csv`, the default) or XLSX (`format=xlsx`)."""
    labels = pages.status_labels()
    cycles, cycle, form = _cycle_context(request, ProgressFilterForm, status_labels=labels)
    rows = list(pages.progress_page(request.user, cycle, form.filters()).rows) if cycle else []
    stem = f"progress-{cycle.year if cycle else 'none'}"
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exports.progress_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    else:
        response = HttpResponse(exports.progress_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response


@require_GET
@access.dashboards_required
def maturity(request: HttpRequest) -> HttpResponse:
    """Per cycle: the index and predikat distribution, means per pillar, the heatmap, the
    largest gaps and the trend; approved results, preliminary ones on request (and marked)."""
    cycles, cycle, form = _cycle_context(request, MaturityForm)
    valid = form.is_valid()
    preliminary = valid and form.cleaned_data["preliminary"]
    heatmap_sort = (valid and form.cleaned_data["sort"]) or "index"
    context = {"cycles": cycles, "cycle": cycle, "form": form, "preliminary": preliminary}
    if cycle is not None:
        context["data"] = pages.maturity_page(
            request.user, cycle, preliminary=preliminary, heatmap_sort=heatmap_sort
        )
        context["heatmap_sort"] = heatmap_sort
        context["sort_query"] = _query_without(request, "sort")
    return render(request, "dashboards/maturity.html", context)


@require_GET
@access.dashboards_required
def region_map(request: HttpRequest) -> HttpResponse:
    """The choropleth of kabupaten/kota or provinces, by index or by status."""
    cycles, cycle, form = _cycle_context(request, MapForm)
    valid = form.is_valid()
    colour = (valid and form.cleaned_data["colour"]) or "index"
    level = (valid and form.cleaned_data["level"]) or "region"
    context = {"cycles": cycles, "cycle": cycle, "form": form, "colour": colour, "level": level}
    if cycle is not None:
        context["data"] = pages.map_page(request.user, cycle, colour=colour, level=level)
        context["map_title"] = _("Status") if colour == "status" else _("Smart-city index")
    return render(request, "dashboards/map.html", context)


@require_GET
@access.dashboards_required
def achievement(request: HttpRequest) -> HttpResponse:
    """The achievement index of an evaluation round (`?year=`, the newest by default) by
    province, by cohort and by region, over the user's scope."""
    rounds = selectors.dashboard_rounds(request.user)
    evaluation_round = selectors.round_chosen(rounds, request.GET.get("year"))
    context = {"rounds": rounds, "evaluation_round": evaluation_round}
    if evaluation_round is not None:
        context["data"] = pages.achievement_page(request.user, evaluation_round)
    return render(request, "dashboards/achievement.html", context)


@require_GET
def region(request: HttpRequest, pk: int) -> HttpResponse:
    """One region across cycles, for whoever may see the region (404 outside their scope)."""
    place = access.region_for(request.user, pk)
    return render(
        request,
        "dashboards/region.html",
        {
            "region": place,
            "data": pages.region_page(request.user, place),
            "can_use_dashboards": access.can_use_dashboards(request.user),
        },
    )
