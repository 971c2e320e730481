"""What each dashboard page shows, put together from the selectors, the analysis and the charts,
and cached under the user's scope, the filters and the language (`dashboards.cache`)."""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from assessments.models import AssessmentStatus, Cycle, EventKind
from dashboards import analysis, charts, selectors
from dashboards.analysis import NOT_STARTED, ProgressFilters
from dashboards.cache import cached
from evaluations import selectors as evaluation_selectors
from evaluations.models import EvaluationRound, EvaluationStage
from smartcity import access
from smartcity.models import Region, User

GEO_DIR = Path(settings.BASE_DIR) / "fixtures" / "geo"


def status_labels() -> dict[str, str]:
    """The dashboard's statuses and their names in the current language."""
    return {
        NOT_STARTED: _("Not started"),
        **{status.value: str(status.label) for status in AssessmentStatus},
    }


def _json(figure: dict) -> str:
    """A figure of `dashboards.charts` as JSON (which has no NaN: the charts write null)."""
    return json.dumps(figure, allow_nan=False, separators=(",", ":"))


def _score_texts(scores: pd.DataFrame) -> list[list[str]]:
    """Scores as the tables show them, row by row: two decimals with the current language's
    separator, "–" for none."""
    separator = get_format("DECIMAL_SEPARATOR")
    return [
        ["–" if value != value else f"{value:.2f}".replace(".", separator) for value in row]
        for row in scores.to_numpy(dtype="float64").tolist()
    ]


def _plain(value):
    """A frame's value as a template reads it: None for every kind of missing value."""
    if value is pd.NaT or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    """The rows of `frame` as dicts of Python values, missing ones None. Column by column
    (`tolist` gives Python scalars): a tenth of the cost of `to_dict` on an object frame."""
    names = list(frame.columns)
    columns = [[_plain(value) for value in frame[name].tolist()] for name in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


TABLE_COLUMNS = [
    "region", "region_code", "region_name", "province_name", "cohort_year", "status",
    "status_label", "overdue", "last_activity", "index", "predikat", "preliminary",
]  # fmt: skip


@dataclass(frozen=True)
class Rows:
    """The filtered regions as the paginator and the exports read them: dicts made only for the
    rows asked for (a page of 25, not all 514, on every request)."""

    frame: pd.DataFrame

    def __len__(self) -> int:
        return len(self.frame)

    def __getitem__(self, index: slice) -> list[dict]:
        return _records(self.frame.iloc[index])

    def __iter__(self):
        return iter(self[:])


# --- Progress ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProgressPage:
    rows: Rows  # the filtered regions, sorted
    counts: list[dict]  # status, label, count, share, overdue
    total: int
    overdue: int
    provinces: list[dict]
    status_figure: str
    province_figure: str
    province_options: list[tuple[str, str]]
    cohort_options: list[int]
    predikat_options: list[str]


def progress_table(user: User, cycle: Cycle) -> pd.DataFrame:
    """The cycle's progress frame of the user's scope with the dashboard's status and dates."""
    return analysis.progress_table(
        selectors.progress_frame(user, cycle),
        today=timezone.localdate(),
        deadline=cycle.closes_on,
    )


def progress_page(user: User, cycle: Cycle, filters: ProgressFilters) -> ProgressPage:
    """The progress dashboard of a cycle over the user's scope, narrowed by `filters`."""

    def compute() -> ProgressPage:
        table = progress_table(user, cycle)
        shown = analysis.filter_progress(table, filters)
        labels = status_labels()
        counts = analysis.status_counts(shown)
        provinces = analysis.province_completion(shown)
        province_names = dict(
            zip(table["province_code"].tolist(), table["province_name"].tolist(), strict=True)
        )
        return ProgressPage(
            rows=Rows(shown.assign(status_label=shown["status"].map(labels))[TABLE_COLUMNS]),
            counts=_records(counts.assign(label=counts["status"].map(labels))),
            total=len(shown),
            overdue=int(shown["overdue"].sum()),
            provinces=_records(provinces),
            status_figure=_json(charts.status_bar(counts, labels)),
            province_figure=_json(charts.province_completion_bar(provinces)),
            province_options=sorted(province_names.items(), key=lambda option: option[1]),
            cohort_options=sorted({int(year) for year in table["cohort_year"].dropna().tolist()}),
            predikat_options=sorted({value for value in table["predikat"].tolist() if value}),
        )

    parts = f"{cycle.pk}|{timezone.localdate()}|{filters.key()}"
    return cached("progress", user, parts, compute)


# --- Maturity ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MaturityPage:
    regions: int
    mean_index: float | None
    indices: list[dict]
    predikat: list[dict]
    pillars: list[dict]
    heatmap_columns: list[str]
    heatmap_rows: list[dict]  # region_name, values (in heatmap_columns order), index: as text
    gaps: list[dict]
    trend: list[dict]
    figures: dict[str, str]


def _maturity(user: User, cycle: Cycle, preliminary: bool, heatmap_sort: str):
    parts = selectors.framework_parts(cycle.framework_id)
    dimensions = analysis.dimension_codes(parts.pillars)
    result = analysis.maturity(
        selectors.region_scores(user, cycle, dimensions=dimensions, preliminary=preliminary),
        means=selectors.score_means(user, cycle, preliminary=preliminary),
        pillars=parts.pillars,
        elements=parts.elements,
        bands=parts.bands,
        heatmap_sort=heatmap_sort,
    )
    return parts, result


def maturity_page(
    user: User, cycle: Cycle, *, preliminary: bool, heatmap_sort: str
) -> MaturityPage:
    """The maturity dashboard of a cycle over the user's scope: approved assessments, and the
    preliminary ones as well when asked."""

    def compute() -> MaturityPage:
        parts, result = _maturity(user, cycle, preliminary, heatmap_sort)
        top = parts.top
        trend = selectors.trend_frame(user, preliminary=preliminary)
        columns = [column for column in result.heatmap.columns if column != "index"]
        region_url = reverse("dashboards:region", args=[0]).removesuffix("0/")
        texts = _score_texts(result.heatmap[[*columns, "index"]])
        heatmap_rows = [
            {"region_name": name, "values": row[:-1], "index": row[-1]}
            for name, row in zip(result.heatmap.index, texts, strict=True)
        ]
        indices = result.indices
        ordered = indices.sort_values("current", ascending=False)
        ranked = _records(ordered)
        for row, (score,) in zip(ranked, _score_texts(ordered[["current"]]), strict=True):
            row["url"] = f"{region_url}{row['region']}/"
            row["score"] = score
        return MaturityPage(
            regions=len(indices),
            mean_index=None if indices.empty else float(indices["current"].mean()),
            indices=ranked,
            predikat=_records(result.predikat),
            pillars=_records(result.pillars),
            heatmap_columns=columns,
            heatmap_rows=heatmap_rows,
            gaps=_records(result.gaps),
            trend=_records(trend),
            figures={
                "histogram": _json(charts.index_histogram(indices, top)),
                "predikat": _json(charts.predikat_bar(result.predikat)),
                "pillars": _json(charts.pillar_means_bar(result.pillars, top)),
                "heatmap": _json(charts.heatmap(result.heatmap, top)),
                "gaps": _json(charts.gap_bar(result.gaps)),
                "trend": _json(charts.trend_line(trend, top)),
            },
        )

    return cached("maturity", user, f"{cycle.pk}|{int(preliminary)}|{heatmap_sort}", compute)


# --- Map -----------------------------------------------------------------------------------------
MAP_FILES = {"region": "regencies.geojson", "province": "provinces.geojson"}


@lru_cache(maxsize=2)
def shape_codes(level: str) -> frozenset[str]:
    """The codes of the areas that have a shape in the map file of `level`."""
    data = json.loads((GEO_DIR / MAP_FILES[level]).read_text(encoding="utf-8"))
    return frozenset(feature["properties"]["code"] for feature in data["features"])


@dataclass(frozen=True)
class MapPage:
    figure: str
    areas: list[dict]  # code, name, value or status label
    missing: list[dict]  # code, name: areas with no shape in the map file


def map_page(user: User, cycle: Cycle, *, colour: str, level: str) -> MapPage:
    """The choropleth of a cycle over the user's scope: regions or provinces, coloured by status
    (`colour` "status") or by approved smart-city index ("index")."""

    def compute() -> MapPage:
        url = static(f"geo/{MAP_FILES[level]}")
        if colour == "status":
            areas, figure = _status_areas(user, cycle, level, url)
        else:
            areas, figure = _index_areas(user, cycle, level, url)
        known = shape_codes(level)
        missing = areas[~areas["code"].isin(known)][["code", "name"]]
        return MapPage(figure=_json(figure), areas=_records(areas), missing=_records(missing))

    return cached("map", user, f"{cycle.pk}|{colour}|{level}", compute)


def _status_areas(user: User, cycle: Cycle, level: str, url: str):
    table = progress_table(user, cycle)
    labels = status_labels()
    if level == "region":
        areas = table[["region_code", "region_name", "status"]].rename(
            columns={"region_code": "code", "region_name": "name"}
        )
        areas = areas.assign(value=areas["status"].map(labels))
        return areas, charts.status_map(areas, labels, url, _("Status per region"))
    provinces = analysis.province_completion(table)
    areas = pd.DataFrame(
        {
            "code": provinces["province_code"],
            "name": provinces["province_name"],
            "value": (provinces["reported_rate"] * 100).round(0),
        }
    )
    figure = charts.rate_map(
        areas["code"].tolist(), areas["value"].tolist(), areas["name"].tolist(), url
    )
    return areas, figure


def _index_areas(user: User, cycle: Cycle, level: str, url: str):
    top = selectors.top_level(cycle.framework_id)
    indices = selectors.region_scores(user, cycle, dimensions=(), preliminary=False)
    indices = indices[indices["index"].notna()]
    if level == "region":
        areas = indices[["region_code", "region_name", "index"]].rename(
            columns={"region_code": "code", "region_name": "name", "index": "value"}
        )
    else:
        means = indices.groupby(["province_code", "province_name"], as_index=False)["index"]
        areas = means.mean().rename(
            columns={"province_code": "code", "province_name": "name", "index": "value"}
        )
    areas = areas.sort_values("code", ignore_index=True)
    figure = charts.score_map(
        areas["code"].tolist(),
        areas["value"].round(2).tolist(),
        areas["name"].tolist(),
        url,
        top,
    )
    return areas, figure


# --- Achievement (the annual evaluation) ---------------------------------------------------------
@dataclass(frozen=True)
class AchievementPage:
    regions: int  # regions of the scope in the round
    evaluated: int  # of which have an achievement index
    mean: float | None
    provinces: list[dict]  # province_code, name, regions, evaluated, mean
    cohorts: list[dict]  # cohort_year, name, regions, evaluated, mean
    rows: list[dict]  # region_id, region_code, region, province_name, cohort_year, ...
    figures: dict[str, str]


def achievement_page(user: User, evaluation_round: EvaluationRound) -> AchievementPage:
    """The achievement index of the round over the user's scope: by province, by cohort and by
    region (`evaluations.selectors.achievement_by_region`, one query)."""

    def compute() -> AchievementPage:
        frame = evaluation_selectors.achievement_by_region(
            evaluation_round.year, access.regions_visible_to(user)
        )
        stages = dict(EvaluationStage.choices)
        frame = frame.assign(
            cohort_name=frame["cohort_year"].map(
                lambda year: str(int(year)) if year == year and year is not None else "–"
            ),
            stage_label=frame["stage"].map(lambda stage: str(stages.get(stage, stage))),
        )
        provinces = analysis.achievement_groups(frame, "province_code", "province_name")
        cohorts = analysis.achievement_groups(frame, "cohort_year", "cohort_name")
        top = evaluation_round.scale_max
        return AchievementPage(
            regions=len(frame),
            evaluated=int(frame["achievement"].count()),
            mean=None if frame["achievement"].isna().all() else float(frame["achievement"].mean()),
            provinces=_records(provinces),
            cohorts=_records(cohorts),
            rows=_records(
                frame.sort_values(["achievement", "region_code"], ascending=[False, True])
            ),
            figures={
                "provinces": _json(
                    charts.achievement_bar(provinces, top, _("Achievement index by province"))
                ),
                "cohorts": _json(
                    charts.achievement_bar(cohorts, top, _("Achievement index by cohort"))
                ),
            },
        )

    return cached("achievement", user, str(evaluation_round.pk), compute)


# --- One region ----------------------------------------------------------------------------------
def report_url(report_id: int) -> str:
    """The page of a finished gap report."""
    return reverse("assessments:gap_report", kwargs={"pk": report_id})


@dataclass(frozen=True)
class RegionPage:
    cycles: list[dict]  # per assessment: year, title, status, index, readiness, links
    dimensions: list[dict]  # code, name, then one score per cycle year in `years`
    years: list[int]
    events: list[dict]  # year, label, at
    trend_figure: str
    dimensions_figure: str
    evaluations: list[dict]  # per round: year, title, achievement, stage label, result and letter


def _region_evaluations(region: Region) -> list[dict]:
    stages = dict(EvaluationStage.choices)
    return [
        {
            "year": row["round__year"],
            "title": row["round__title"],
            "achievement": row["achievement"],
            "stage": row["stage"],
            "stage_label": str(stages.get(row["stage"], row["stage"])),
            "result_url": reverse("evaluations:result", kwargs={"pk": row["pk"]}),
            "letter_url": reverse("evaluations:letter_download", kwargs={"pk": row["letter"]})
            if row["letter"]
            else None,
        }
        for row in evaluation_selectors.region_evaluations(region)
    ]


def region_page(user: User, region: Region) -> RegionPage:
    """One region across cycles: index and readiness, dimensions, status history, its reports
    and plans, its evaluation in every round. The caller has checked the region is in the user's
    scope."""

    def compute() -> RegionPage:
        history = selectors.region_history(region)
        labels = status_labels()
        scores = history.scores
        frameworks = history.assessments["framework"].unique().tolist()
        top = max((selectors.top_level(pk) for pk in frameworks[-1:]), default=5.0)
        indices = scores[scores["scope"].isin([analysis.INDEX_SCOPE, analysis.READINESS_SCOPE])]
        by_assessment = indices.pivot_table(
            index="assessment", columns="scope", values="current", aggfunc="first"
        )
        predikat = indices[indices["scope"] == analysis.INDEX_SCOPE].set_index("assessment")
        plans = history.plans.drop_duplicates("assessment", keep="last").set_index("assessment")
        cycles = []
        for row in history.assessments.itertuples():
            report = history.reports.get(row.assessment)
            cycles.append(
                {
                    "year": row.year,
                    "title": row.title,
                    "status": row.status,
                    "status_label": labels[row.status],
                    "index": by_assessment.get(analysis.INDEX_SCOPE, {}).get(row.assessment),
                    "readiness": by_assessment.get(analysis.READINESS_SCOPE, {}).get(
                        row.assessment
                    ),
                    "predikat": predikat["predikat"].get(row.assessment, ""),
                    "preliminary": bool(predikat["preliminary"].get(row.assessment, False)),
                    "report_url": report_url(report) if report else None,
                    "plan_url": reverse(
                        "masterplan:plan_detail", kwargs={"pk": plans.loc[row.assessment, "plan"]}
                    )
                    if row.assessment in plans.index
                    else None,
                }
            )
        dimension_codes = history.pillars[history.pillars["kind"] == analysis.DIMENSION]
        dimension_codes = dimension_codes.drop_duplicates("code", keep="last").sort_values(
            "position"
        )
        pillar_scores = scores[
            (scores["scope"] == analysis.PILLAR_SCOPE)
            & scores["code"].isin(dimension_codes["code"])
        ]
        years = sorted(int(year) for year in pillar_scores["year"].unique())
        matrix = pillar_scores.pivot_table(index="code", columns="year", values="current")
        dimensions = [
            {
                "code": code,
                "name": name,
                "scores": [
                    matrix.at[code, year]
                    if code in matrix.index and year in matrix.columns
                    else None
                    for year in years
                ],
            }
            for code, name in zip(dimension_codes["code"], dimension_codes["name"], strict=True)
        ]
        years_of = dict(
            zip(history.assessments["assessment"], history.assessments["year"], strict=True)
        )
        kinds = dict(EventKind.choices)
        events = [
            {
                "year": years_of.get(event.assessment),
                "label": kinds.get(event.kind, event.kind),
                "at": event.created_at,
            }
            for event in history.events.itertuples()
        ]
        return RegionPage(
            cycles=cycles,
            dimensions=dimensions,
            years=years,
            events=events,
            trend_figure=_json(charts.region_trend(indices, top)),
            dimensions_figure=_json(charts.region_dimensions(pillar_scores, top)),
            evaluations=_region_evaluations(region),
        )

    return cached("region", user, str(region.pk), compute)
