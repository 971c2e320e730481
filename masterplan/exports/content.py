"""Everything a book shows, gathered once in the active language (the caller activates it).

`book_content` makes the queries (a fixed number, whatever the plan's size) and returns plain
rows and pure Plotly figures; the PDF, DOCX and XLSX writers only lay them out. Texts are the
catalogues', the framework's names in the active language, and the plan's own texts.
"""

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from assessments import charts
from assessments.analysis import frame as columns
from assessments.analysis.peers import (
    COHORT,
    NATION,
    PROVINCE,
    REGION_COLUMNS,
    peer_medians,
    peer_positions,
    peer_standing,
)
from assessments.analysis.priorities import top_gaps
from assessments.analysis.scores import score_tables, snapshot_rows_of
from assessments.models import ScoreSnapshot
from masterplan import charts as plan_charts
from masterplan import selectors
from masterplan.exports.models import ExportPart
from masterplan.library_files import ActionSpec, library_from_json
from masterplan.models import ActionItem, FundingSource, HorizonChoice, MasterPlan
from masterplan.pages import horizon_groups
from masterplan.planning import Origin
from masterplan.sources import response_frame
from smartcity.models import (
    Element,
    Indicator,
    LevelDescriptor,
    Pillar,
    PillarKind,
    PredikatBand,
    ScaleLevel,
    in_language,
)

TOP_GAP_COUNT = 5


@dataclass(frozen=True)
class ScoreRow:
    code: str
    name: str
    current: float | None
    target: float | None
    gap: float | None
    predikat: str = ""


@dataclass(frozen=True)
class ItemRow:
    number: int
    title: str
    description: str
    dimension: str
    horizon: str
    years: str
    start_year: int
    end_year: int
    lead_opd: str
    budget: int
    funding: str
    kpi: str
    depends_on: tuple[str, ...]


@dataclass(frozen=True)
class PeerRow:
    group: str
    peers: int
    band: str


@dataclass(frozen=True)
class AnnexRow:
    code: str
    name: str
    level: str
    target: str
    descriptor: str


@dataclass(frozen=True)
class Member:
    role: str
    name: str
    opd: str


@dataclass(frozen=True)
class Chapter:
    """A book of the volume: its key (an `ExportPart`), its title, and whether it is shown."""

    key: str
    title: str


@dataclass
class Book:
    plan: MasterPlan
    part: str
    language: str
    region: str
    title: str
    period: str
    version_label: str
    status_label: str
    draft: bool
    date: str
    chapters: list[Chapter]
    index: ScoreRow | None
    readiness: ScoreRow | None
    readiness_pillars: list[ScoreRow]
    dimensions: list[ScoreRow]
    gaps: list[ScoreRow]
    top_gaps: list[ScoreRow]
    trend: list[tuple[str, float | None]]
    peers: list[PeerRow]
    items: list[ItemRow]
    quick_wins: list[ItemRow]
    programs: list[tuple[str, list[tuple[str, list[ItemRow], int]], int]]
    funding_years: list[int]
    funding_rows: list[tuple[str, list[int], int]]
    funding_totals: list[int]
    total: int
    annex: list[AnnexRow]
    council: list[Member]
    team: list[Member]
    legal_basis: list[str]
    swot: list[tuple[str, list[str]]]
    figures: dict[str, go.Figure] = field(default_factory=dict)
    figure_titles: dict[str, str] = field(default_factory=dict)

    @property
    def whole(self) -> bool:
        return self.part == ExportPart.ALL

    @property
    def dependencies(self) -> list[ItemRow]:
        return [item for item in self.items if item.depends_on]


def chapter_titles() -> dict[str, str]:
    return {
        ExportPart.ANALYSIS: _("Book 1 Strategic Analysis"),
        ExportPart.MASTERPLAN: _("Book 2 Master Plan"),
        ExportPart.QUICK_WINS: _("Book 3 Quick Wins"),
        ExportPart.ROADMAP: _("Book 4 Road Map"),
    }


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _score_rows(rows: pd.DataFrame, names: dict[str, str], bands: list[PredikatBand]) -> list:
    labels = {band.label_id: in_language(band.label_id, band.label_en) for band in bands}
    return [
        ScoreRow(
            code=row[columns.CODE],
            name=names.get(row[columns.CODE], row[columns.CODE]),
            current=_number(row[columns.CURRENT]),
            target=_number(row[columns.TARGET_SCORE]),
            gap=_number(row[columns.GAP]),
            predikat=labels.get(row[columns.PREDIKAT], "")
            if isinstance(row.get(columns.PREDIKAT), str)
            else "",
        )
        for _index, row in rows.iterrows()
    ]


def _members(rows: list[dict]) -> list[Member]:
    return [
        Member(str(row.get("role", "")), str(row.get("name", "")), str(row.get("opd", "")))
        for row in rows
    ]


@dataclass(frozen=True)
class LibraryTexts:
    """The action library's own texts in the active language, for generated items that nobody
    edited: their stored texts are the library's Indonesian ones."""

    actions: dict[str, ActionSpec]
    opd_names: dict[str, str]
    english: bool

    def of(self, item: ActionItem) -> tuple[str, str, str, str, str]:
        """title, description, KPI name, KPI unit and lead OPD of the item, as shown."""
        stored = (item.title, item.description, item.kpi_name, item.kpi_unit, item.lead_opd)
        if not self.english:
            return stored
        lead = self.opd_names.get(item.lead_opd, item.lead_opd)
        action = self.actions.get(item.action_code)
        if item.origin != Origin.GENERATED or action is None:
            return (*stored[:4], lead)
        kpi = action.kpi
        return (action.title.en, action.description.en, kpi.name.en, kpi.unit.en, lead)


def library_texts(plan: MasterPlan) -> LibraryTexts:
    english = (translation.get_language() or "").startswith("en")
    if not english or plan.library is None:
        return LibraryTexts({}, {}, english)
    spec = library_from_json(plan.library.spec)
    return LibraryTexts(
        {action.code: action for action in spec.actions},
        {entry.name.id: entry.name.en for entry in (*spec.opd_types, *spec.partner_types)},
        english,
    )


def _item_rows(
    items: list[ActionItem], dimension_names: dict[int, str], texts: LibraryTexts
) -> list[ItemRow]:
    horizons = dict(HorizonChoice.choices)
    funding = dict(FundingSource.choices)
    titles = {item.pk: texts.of(item)[0] for item in items}
    rows = []
    for number, item in enumerate(items, start=1):
        pillar_id = item.element.pillar_id if item.element else None
        title, description, kpi_name, kpi_unit, lead = texts.of(item)
        kpi = " ".join(
            part
            for part in (
                kpi_name,
                f"{item.kpi_baseline} → {item.kpi_target}".strip(" →")
                if item.kpi_baseline or item.kpi_target
                else "",
                kpi_unit,
            )
            if part
        )
        rows.append(
            ItemRow(
                number=number,
                title=title,
                description=description,
                dimension=dimension_names.get(pillar_id, _("Other actions")),
                horizon=str(horizons.get(item.horizon, item.horizon)),
                years=str(item.start_year)
                if item.end_year == item.start_year
                else f"{item.start_year}–{item.end_year}",
                start_year=item.start_year,
                end_year=item.end_year,
                lead_opd=lead,
                budget=item.budget,
                funding=str(funding.get(item.funding_source, _("Other"))),
                kpi=kpi,
                depends_on=tuple(titles[pk] for pk in sorted(item.dependency_ids) if pk in titles),
            )
        )
    return rows


def _peers(plan: MasterPlan, bands_text: dict[int, str]) -> list[PeerRow]:
    """The region's quartile band per group from the cycle's stored scores; no other region."""
    snapshots = pd.DataFrame(
        list(
            ScoreSnapshot.objects.filter(
                cycle_id=plan.assessment.cycle_id,
                scope=columns.SCOPE_INDEX,
                preliminary=False,
            ).values_list("region_id", "scope", "code", "current")
        ),
        columns=[columns.REGION, columns.SCOPE, columns.CODE, columns.CURRENT],
    )
    regions = pd.DataFrame(
        list(
            type(plan.region)
            .objects.filter(pk__in=set(snapshots[columns.REGION]) | {plan.region_id})
            .values_list("pk", "province_id", "cohort_year")
        ),
        columns=list(REGION_COLUMNS),
    )
    standing = peer_standing(
        peer_positions(snapshots, regions),
        peer_medians(snapshots, regions),
        regions,
        region=plan.region_id,
    )
    names = {PROVINCE: _("Province"), COHORT: _("Cohort"), NATION: _("Nation")}
    return [
        PeerRow(
            group=names[group.group],
            peers=group.peers,
            band=_("too few regions to compare")
            if group.too_few or group.quartile is None
            else bands_text[group.quartile],
        )
        for group in standing.groups
    ]


def book_content(plan: MasterPlan, *, part: str, language: str) -> Book:
    """The book of `plan` in the active language (`language` names it for the layout)."""
    assessment = plan.assessment
    framework_id = assessment.cycle.framework_id
    levels = list(ScaleLevel.objects.filter(framework_id=framework_id).order_by("value"))
    scale = columns.Scale(levels[0].value, levels[-1].value)
    level_labels = {level.value: in_language(level.label_id, level.label_en) for level in levels}
    bands = list(PredikatBand.objects.filter(framework_id=framework_id))
    analysis_bands = [
        columns.Band(float(b.lower), float(b.upper), b.label_id, b.label_en) for b in bands
    ]
    pillars = list(Pillar.objects.filter(framework_id=framework_id).order_by("position"))
    elements = list(Element.objects.filter(pillar__framework_id=framework_id))
    indicators = list(
        Indicator.objects.filter(element__pillar__framework_id=framework_id).order_by(
            "element__pillar__position", "element__position", "position"
        )
    )
    names = {part.code: part.name for part in [*pillars, *elements, *indicators]}
    names[columns.INDEX_CODE] = _("Smart city index")
    names[columns.READINESS_CODE] = _("Readiness index")

    score_table = score_tables(response_frame(assessment), scale=scale)
    rows = snapshot_rows_of(score_table, bands=analysis_bands)
    by_scope = {scope: rows[rows[columns.SCOPE] == scope] for scope in columns.SCOPES}
    index_rows = _score_rows(by_scope[columns.SCOPE_INDEX], names, bands)
    readiness_rows = _score_rows(by_scope[columns.SCOPE_READINESS], names, bands)
    pillar_rows = {
        row.code: row for row in _score_rows(by_scope[columns.SCOPE_PILLAR], names, bands)
    }
    readiness_pillars = [
        pillar_rows[p.code]
        for p in pillars
        if p.kind == PillarKind.READINESS and p.code in pillar_rows
    ]
    dimension_pillars = [
        pillar_rows[p.code]
        for p in pillars
        if p.kind != PillarKind.READINESS and p.code in pillar_rows
    ]
    element_rows = by_scope[columns.SCOPE_ELEMENT]
    gap_rows = [
        row
        for row in _score_rows(
            element_rows.sort_values([columns.GAP, columns.CODE], ascending=[False, True]),
            names,
            bands,
        )
        if row.gap
    ]
    ranked = top_gaps(score_table.indicators, count=TOP_GAP_COUNT)
    indicator_rows = score_table.indicators.set_index(columns.INDICATOR)
    top = [
        ScoreRow(
            code=code,
            name=names.get(code, code),
            current=_number(indicator_rows.at[code, columns.CURRENT]),
            target=_number(indicator_rows.at[code, columns.TARGET_SCORE]),
            gap=_number(indicator_rows.at[code, columns.GAP]),
        )
        for code in ranked[columns.INDICATOR]
    ]

    descriptors = {
        (code, level): in_language(text_id, text_en)
        for code, level, text_id, text_en in LevelDescriptor.objects.filter(
            indicator__element__pillar__framework_id=framework_id
        ).values_list("indicator__code", "level", "text_id", "text_en")
    }
    generic = {
        level.value: in_language(level.description_id, level.description_en) for level in levels
    }
    annex = []
    for indicator in indicators:
        if indicator.code not in indicator_rows.index:
            continue
        current = indicator_rows.at[indicator.code, columns.CURRENT]
        target = indicator_rows.at[indicator.code, columns.TARGET_SCORE]
        level = None if pd.isna(current) else int(current)
        annex.append(
            AnnexRow(
                code=indicator.code,
                name=indicator.name,
                level=_("not applicable")
                if level is None
                else f"{level} {level_labels.get(level, '')}",
                target=""
                if pd.isna(target)
                else f"{int(target)} {level_labels.get(int(target), '')}",
                descriptor=""
                if level is None
                else descriptors.get((indicator.code, level), generic.get(level, "")),
            )
        )

    earlier = list(
        ScoreSnapshot.objects.filter(
            region_id=plan.region_id,
            scope=columns.SCOPE_INDEX,
            preliminary=False,
            cycle__year__lt=assessment.cycle.year,
        )
        .order_by("cycle__year")
        .values_list("cycle__title", "current")
    )
    trend = [*earlier, (assessment.cycle.title, index_rows[0].current if index_rows else None)]

    items = list(selectors.items_of(plan).prefetch_related("depends_on"))
    for item in items:
        item.dependency_ids = [other.pk for other in item.depends_on.all()]
    dimension_names = {p.pk: f"{p.code} {p.name}" for p in pillars}
    item_rows = _item_rows(items, dimension_names, library_texts(plan))
    row_of = {item.pk: row for item, row in zip(items, item_rows, strict=True)}
    programs = [
        (
            group.label,
            [
                (
                    f"{dimension.code} {dimension.name}" if dimension.code else _("Other actions"),
                    [row_of[item.pk] for item in dimension.items],
                    dimension.budget,
                )
                for dimension in group.dimensions
            ],
            group.budget,
        )
        for group in horizon_groups(items)
    ]

    years = list(range(plan.start_year, plan.end_year + 1))
    funding_labels = {code: str(label) for code, label in FundingSource.choices}
    frame = pd.DataFrame(
        [
            (
                row.title,
                item.start_year,
                item.end_year,
                item.budget,
                item.horizon,
                item.element.pillar.code if item.element else selectors.NO_DIMENSION,
                item.funding_source,
            )
            for item, row in zip(items, item_rows, strict=True)
        ],
        columns=list(selectors.ITEM_COLUMNS),
    )
    funding_rows, funding_totals = _funding_by_year(frame, years, funding_labels)
    total = sum(item.budget for item in items)

    quartiles = {
        1: _("bottom quarter"),
        2: _("second quarter"),
        3: _("third quarter"),
        4: _("top quarter"),
    }
    book = Book(
        plan=plan,
        part=part,
        language=language,
        region=plan.region.name,
        title=_("Smart City Master Plan"),
        period=f"{plan.start_year}–{plan.end_year}",
        version_label=_("Version %(edition)d.%(version)d")
        % {"edition": plan.edition, "version": plan.version},
        status_label=str(plan.get_status_display()),
        draft=not plan.is_final,
        date=formats.date_format(timezone.localdate(), "j F Y"),
        chapters=[
            Chapter(key, title)
            for key, title in chapter_titles().items()
            if part in (ExportPart.ALL, key)
        ],
        index=index_rows[0] if index_rows else None,
        readiness=readiness_rows[0] if readiness_rows else None,
        readiness_pillars=readiness_pillars,
        dimensions=dimension_pillars,
        gaps=gap_rows,
        top_gaps=top,
        trend=trend,
        peers=_peers(plan, quartiles),
        items=item_rows,
        quick_wins=[row_of[item.pk] for item in items if item.horizon == HorizonChoice.QUICK_WIN],
        programs=programs,
        funding_years=years,
        funding_rows=funding_rows,
        funding_totals=funding_totals,
        total=total,
        annex=annex,
        council=_members(plan.council_members),
        team=_members(plan.team_members),
        legal_basis=[line for line in plan.legal_basis.splitlines() if line.strip()],
        swot=[
            (_("Strengths"), list(plan.strengths)),
            (_("Weaknesses"), list(plan.weaknesses)),
            (_("Opportunities"), list(plan.opportunities)),
            (_("Threats"), list(plan.threats)),
        ],
    )
    _add_figures(book, rows, scale, names)
    _add_plan_figures(book, frame, {p.code: p.name for p in pillars}, funding_labels)
    return book


def _funding_by_year(
    frame: pd.DataFrame, years: list[int], labels: dict[str, str]
) -> tuple[list[tuple[str, list[int], int]], list[int]]:
    """Rows (funding source, amount per year, total) and the yearly totals (pure)."""
    if frame.empty:
        return [], [0 for _year in years]
    table = (
        selectors.spread_by_year(frame)
        .pivot_table(index="funding", columns="year", values="amount", aggfunc="sum", fill_value=0)
        .reindex(columns=years, fill_value=0)
        .sort_index()
    )
    rows = [
        (
            labels.get(code, _("Other")),
            [int(v) for v in table.loc[code]],
            int(table.loc[code].sum()),
        )
        for code in table.index
    ]
    return rows, [int(table[year].sum()) for year in years]


def _add_plan_figures(
    book: Book, frame: pd.DataFrame, dimensions: dict[str, str], funding: dict[str, str]
) -> None:
    """The roadmap and the budget, from the plan page's own figure builders."""
    if frame.empty:
        return
    period = {"first_year": book.plan.start_year, "last_year": book.plan.end_year}
    book.figures["roadmap"] = plan_charts.roadmap_figure(
        selectors.roadmap_rows(frame), dimensions=dimensions, title=_("Road map"), **period
    )
    book.figures["budget"] = plan_charts.budget_figure(
        selectors.budget_rows(frame),
        funding=funding,
        title=_("Budget by year and funding source"),
        **period,
    )
    book.figure_titles = {key: figure.layout.title.text for key, figure in book.figures.items()}


def _add_figures(
    book: Book,
    rows: pd.DataFrame,
    scale: columns.Scale,
    names: dict[str, str],
) -> None:
    """The book's figures, from the same pure builders as the web pages."""
    codes = [row.code for row in book.dimensions]
    if codes:
        axes = charts.pillar_axes(rows, codes=codes, names=names, medians={})
        book.figures["radar"] = charts.radar(axes, scale=scale, title=_("Maturity per dimension"))
    if book.gaps:
        gaps = pd.DataFrame(
            {
                charts.LABEL: [f"{row.code} {row.name}" for row in book.gaps],
                columns.GAP: [row.gap for row in book.gaps],
            }
        )
        book.figures["gaps"] = charts.gap_bars(gaps, scale=scale, title=_("Gaps per element"))
    if len(book.trend) > 1:
        series = pd.DataFrame(
            [(cycle, names[columns.INDEX_CODE], value) for cycle, value in book.trend],
            columns=list(charts.TREND_COLUMNS),
        )
        book.figures["trend"] = charts.trend_lines(
            series, scale=scale, normalised=False, title=_("Trend since earlier cycles")
        )
    book.figure_titles = {key: figure.layout.title.text for key, figure in book.figures.items()}
