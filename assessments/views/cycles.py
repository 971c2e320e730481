"""Cycles: the list with status counts, opening a cycle (administrators), and one cycle's
assessments with their progress.

Administrators see every cycle; facilitators see the cycles that include regions of their scope,
counted within that scope; anyone else gets 404.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from assessments import services
from assessments.cycle_forms import CycleOpenForm
from assessments.models import (
    REVIEWABLE_STATUSES,
    Assessment,
    AssessmentStatus,
    Cycle,
)
from smartcity import access
from smartcity.models import User
from smartcity.views import administrator_only

# How many regions the confirmation page names when they already have an assessment this year.
DUPLICATES_SHOWN = 20


# --- Reads ----------------------------------------------------------------------------------------
def _require_cycle_reader(user: User) -> None:
    """Cycles exist only for administrators and facilitators; 404 for everyone else."""
    scope = access.scope_of(user)
    if not (scope.is_admin or scope.is_facilitator):
        raise Http404


def _in_scope(user: User, region_field: str) -> Q:
    """Q limiting `region_field` to the regions the user may see (nothing for administrators)."""
    if access.is_administrator(user):
        return Q()
    return Q(**{f"{region_field}__in": access.regions_visible_to(user).values("pk")})


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def _status_counts(counts: dict[str, int]) -> list[StatusCount]:
    return [
        StatusCount(status.value, str(status.label), counts.get(status.value, 0))
        for status in AssessmentStatus
    ]


def cycles_for(user: User) -> list[Cycle]:
    """Cycles the user may see, each with `total` and `status_counts` of the assessments in the
    user's scope, in one query. Facilitators only get cycles with regions of their scope."""
    _require_cycle_reader(user)
    scoped = _in_scope(user, "assessments__region")
    annotations = {
        f"n_{status.value}": Count("assessments", filter=scoped & Q(assessments__status=status))
        for status in AssessmentStatus
    }
    cycles = Cycle.objects.select_related("framework").annotate(
        total=Count("assessments", filter=scoped), **annotations
    )
    if not access.is_administrator(user):
        cycles = cycles.filter(total__gt=0)
    result = list(cycles.order_by("-year", "-opens_on", "-pk"))
    for cycle in result:
        cycle.status_counts = _status_counts(
            {status.value: getattr(cycle, f"n_{status.value}") for status in AssessmentStatus}
        )
    return result


def cycle_for(user: User, pk: int) -> Cycle:
    """The cycle with this id for an administrator or facilitator; 404 otherwise."""
    _require_cycle_reader(user)
    try:
        return Cycle.objects.select_related("framework").get(pk=pk)
    except Cycle.DoesNotExist as missing:
        raise Http404 from missing


def cycle_assessments(cycle: Cycle, user: User) -> list[Assessment]:
    """The cycle's assessments in the user's scope with `answered`/`total` responses, one query."""
    answered = Q(responses__self_level__isnull=False) | Q(responses__not_applicable=True)
    assessments = (
        Assessment.objects.filter(_in_scope(user, "region"), cycle=cycle)
        .select_related("region__province")
        .annotate(total=Count("responses"), answered=Count("responses", filter=answered))
        .order_by("region__province__code", "region__code")
    )
    result = list(assessments)
    for assessment in result:
        assessment.cycle = cycle
        # The review page exists once the region has submitted; it is the work for reviewers.
        assessment.can_review = assessment.status != AssessmentStatus.DRAFT and (
            access.can_review_region(user, assessment.region)
        )
        assessment.awaits_review = assessment.status in REVIEWABLE_STATUSES
    return result


@dataclass(frozen=True)
class CyclePreview:
    """What opening a cycle would do, computed without writing anything."""

    assessments: int
    prefilled: int
    duplicates: list[Assessment]
    duplicate_count: int

    @property
    def more_duplicates(self) -> int:
        return self.duplicate_count - len(self.duplicates)


def cycle_preview(form: CycleOpenForm) -> CyclePreview:
    """How many assessments a valid form would open, how many would be pre-filled (an approved
    assessment of this year or earlier exists), and which regions already have an assessment in
    a cycle of the same year and framework."""
    data = form.cleaned_data
    regions = form.selected_regions()
    prefilled = (
        Assessment.objects.filter(
            region__in=regions,
            status=AssessmentStatus.APPROVED,
            cycle__year__lte=data["year"],
        )
        .values("region_id")
        .distinct()
        .count()
    )
    duplicates = Assessment.objects.filter(
        region__in=regions, cycle__year=data["year"], cycle__framework=data["framework"]
    ).select_related("region", "cycle")
    return CyclePreview(
        assessments=regions.count(),
        prefilled=prefilled,
        duplicates=list(duplicates.order_by("region__code")[:DUPLICATES_SHOWN]),
        duplicate_count=duplicates.count(),
    )


# --- Pages ----------------------------------------------------------------------------------------
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    """All cycles for administrators; for facilitators the cycles of their regions."""
    cycles = cycles_for(request.user)
    return render(
        request,
        "assessments/cycle_list.html",
        {"cycles": cycles, "can_open": access.is_administrator(request.user)},
    )


@administrator_only
@require_http_methods(["GET", "POST"])
def cycle_open(request: HttpRequest) -> HttpResponse:
    """Open a cycle in two steps: the form, then a confirmation with the counts; then create."""
    form = CycleOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if "confirm" in request.POST:
            response = _open(request, form)
            if response is not None:
                return response
        elif "edit" not in request.POST:
            return render(
                request,
                "assessments/cycle_open.html",
                {"form": form, "preview": cycle_preview(form)},
            )
    return render(request, "assessments/cycle_open.html", {"form": form})


def _open(request: HttpRequest, form: CycleOpenForm) -> HttpResponse | None:
    """Create the cycle; None (with the reason on the form) when it is refused."""
    data = form.cleaned_data
    try:
        opening = services.cycle_open(
            user=request.user,
            year=data["year"],
            title=data["title"],
            framework=data["framework"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            regions=form.selected_regions(),
            target_step=data["target_step"],
            target_cap=data["target_cap"],
        )
    except services.AssessmentError as refused:
        form.add_error(None, str(refused))
        return None
    except IntegrityError:  # someone opened a cycle with this title since the form was checked
        form.add_error("title", _("A cycle with this title already exists in this year."))
        return None
    messages.success(
        request,
        ngettext(
            "Cycle “%(title)s” is open: %(count)d assessment, %(prefilled)d of them pre-filled.",
            "Cycle “%(title)s” is open: %(count)d assessments, %(prefilled)d of them pre-filled.",
            opening.assessments,
        )
        % {
            "title": opening.cycle.title,
            "count": opening.assessments,
            "prefilled": opening.prefilled,
        },
    )
    return redirect("assessments:cycle_detail", pk=opening.cycle.pk)


@require_GET
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One cycle's assessments in the user's scope: status, progress, submission date, links.

    A facilitator without any region in the cycle gets 404, as for a cycle that does not exist.
    """
    cycle = cycle_for(request.user, pk)
    assessments = cycle_assessments(cycle, request.user)
    if not assessments and not access.is_administrator(request.user):
        raise Http404
    counts: dict[str, int] = {}
    for assessment in assessments:
        counts[assessment.status] = counts.get(assessment.status, 0) + 1
    status = request.GET.get("status", "")
    if status not in AssessmentStatus.values:
        status = ""
    shown = [a for a in assessments if a.status == status] if status else assessments
    return render(
        request,
        "assessments/cycle_detail.html",
        {
            "cycle": cycle,
            "assessments": shown,
            "total": len(assessments),
            "status_counts": _status_counts(counts),
            "status": status,
        },
    )


urlpatterns = [
    path("cycles/", cycle_list, name="cycle_list"),
    path("cycles/new/", cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/", cycle_detail, name="cycle_detail"),
]
