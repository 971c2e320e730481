"""The editable DOCX book (python-docx): the PDF's chapters as real Word headings (Heading 1-3,
so the navigation pane and Word's table of contents work), charts as PNG, tables in the
built-in "Table Grid" style with a repeated header row."""

from io import BytesIO

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from masterplan.exports.content import Book, ScoreRow

TABLE_STYLE = "Table Grid"


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    no_split = OxmlElement("w:cantSplit")
    properties.append(no_split)


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = TABLE_STYLE
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = str(text)


def _money(amount: int) -> str:
    return f"Rp{intcomma(amount)}"


def _scores(document, rows: list[ScoreRow], predikat: bool = False) -> None:
    header = [_("Code"), _("Name"), _("Current"), _("Target"), _("Gap")]
    if predikat:
        header.append(_("Predikat"))
    _table(
        document,
        header,
        [
            [
                row.code,
                row.name,
                floatformat(row.current, 2),
                floatformat(row.target, 2),
                floatformat(row.gap, 2),
                *([row.predikat] if predikat else []),
            ]
            for row in rows
        ],
    )


def _chart(document, images: dict[str, bytes], key: str, note: str, book: Book) -> None:
    if key in images:
        document.add_picture(BytesIO(images[key]), width=Mm(160))
        document.add_paragraph(book.figure_titles.get(key, ""), style="Caption")
    elif key in book.figures:
        document.add_paragraph(note)


def _text(document, text: str) -> None:
    for line in (text or "—").splitlines():
        document.add_paragraph(line)


def _analysis(document, book: Book, images: dict[str, bytes], note: str) -> None:
    document.add_heading(_("Background"), level=2)
    _text(document, book.plan.background)
    document.add_heading(_("Legal basis"), level=2)
    for line in book.legal_basis:
        document.add_paragraph(line, style="List Number")
    document.add_heading(_("Region profile"), level=2)
    _text(document, book.plan.region_profile)
    document.add_heading(_("Readiness"), level=2)
    _scores(document, book.readiness_pillars, predikat=True)
    document.add_heading(_("Maturity per dimension"), level=2)
    _scores(document, book.dimensions, predikat=True)
    _chart(document, images, "radar", note, book)
    document.add_heading(_("Gaps"), level=2)
    _scores(document, book.gaps)
    _chart(document, images, "gaps", note, book)
    document.add_heading(_("Trend since earlier cycles"), level=2)
    _table(
        document,
        [_("Cycle"), _("Smart city index")],
        [[cycle, floatformat(value, 2)] for cycle, value in book.trend],
    )
    _chart(document, images, "trend", note, book)
    document.add_heading(_("Position among peers"), level=2)
    _table(
        document,
        [_("Group"), _("Regions"), _("Band")],
        [[peer.group, peer.peers, peer.band] for peer in book.peers],
    )
    document.add_heading(_("SWOT"), level=2)
    for title, lines in book.swot:
        document.add_heading(title, level=3)
        for line in lines or ["—"]:
            document.add_paragraph(line, style="List Bullet")


def _items(document, rows) -> None:
    _table(
        document,
        [
            "#",
            _("Action"),
            _("Lead OPD"),
            _("Years"),
            _("Budget (IDR)"),
            _("Funding source"),
            _("KPI"),
        ],
        [
            [
                item.number,
                item.title,
                item.lead_opd,
                item.years,
                intcomma(item.budget),
                item.funding,
                item.kpi,
            ]
            for item in rows
        ],
    )


def _members(document, members) -> None:
    _table(
        document,
        [_("Role"), _("Name"), "OPD"],
        [[m.role, m.name, m.opd] for m in members] or [["—", "", ""]],
    )


def _plan(document, book: Book) -> None:
    for title, text in (
        (_("Vision"), book.plan.vision),
        (_("Mission"), book.plan.mission),
        (_("Objectives"), book.plan.objectives),
        (_("Strategy"), book.plan.strategy),
    ):
        document.add_heading(title, level=2)
        _text(document, text)
    document.add_heading(_("Programs per dimension and horizon"), level=2)
    for label, dimensions, budget in book.programs:
        document.add_heading(f"{label[:1].upper()}{label[1:]} · {_money(budget)}", level=3)
        for name, rows, dimension_budget in dimensions:
            document.add_paragraph(f"{name} · {_money(dimension_budget)}").runs[0].bold = True
            for item in rows:
                document.add_paragraph(f"{item.title} ({item.years})", style="List Bullet")
    document.add_heading(_("Action plan"), level=2)
    _items(document, book.items)
    document.add_heading(_("Governance"), level=2)
    document.add_heading(_("Smart City Council"), level=3)
    _members(document, book.council)
    document.add_heading(_("Implementation Team"), level=3)
    _members(document, book.team)
    document.add_heading(_("Monitoring and evaluation"), level=3)
    _text(document, book.plan.monitoring)


def _quick_wins(document, book: Book) -> None:
    for item in book.quick_wins:
        document.add_heading(item.title, level=2)
        if item.description:
            document.add_paragraph(item.description)
        _table(
            document,
            [_("Lead OPD"), _("Years"), _("Budget"), _("KPI")],
            [[item.lead_opd, item.years, f"{_money(item.budget)} ({item.funding})", item.kpi]],
        )
    if not book.quick_wins:
        document.add_paragraph(_("No quick wins planned."))


def _roadmap(document, book: Book, images: dict[str, bytes], note: str) -> None:
    years = book.funding_years
    document.add_heading(_("Road map"), level=2)
    _chart(document, images, "roadmap", note, book)
    _table(
        document,
        [_("Action"), *[str(year) for year in years]],
        [
            [item.title, *["■" if item.start_year <= y <= item.end_year else "" for y in years]]
            for item in book.items
        ],
    )
    document.add_heading(_("Budget by year and funding source"), level=2)
    _chart(document, images, "budget", note, book)
    _table(
        document,
        [_("Funding source"), *[str(year) for year in years], _("Total")],
        [
            *[
                [label, *map(intcomma, amounts), intcomma(total)]
                for label, amounts, total in book.funding_rows
            ],
            [_("Total"), *map(intcomma, book.funding_totals), intcomma(book.total)],
        ],
    )
    document.add_heading(_("Dependencies"), level=2)
    _table(
        document,
        [_("Action"), _("Depends on")],
        [[item.title, "; ".join(item.depends_on)] for item in book.dependencies]
        or [[_("No dependencies between actions."), ""]],
    )


def book_docx(book: Book, images: dict[str, bytes], note: str) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = f"{book.title} {book.region} {book.period}"
    document.core_properties.language = book.language

    document.add_paragraph(book.region)
    document.add_heading(book.title, level=0)
    if not book.whole:
        document.add_paragraph(book.chapters[0].title)
    document.add_paragraph(book.period)
    document.add_paragraph(f"{book.version_label} · {book.status_label} · {book.date}")
    if book.draft:
        document.add_paragraph(_("DRAFT")).runs[0].bold = True
    section.header.paragraphs[0].text = f"{book.region} · {book.title} {book.period}"
    document.add_page_break()

    if book.whole:
        document.add_heading(_("Executive summary"), level=1)
        facts = [
            [row.name, floatformat(row.current, 2), row.predikat]
            for row in (book.index, book.readiness)
            if row is not None
        ]
        facts.append([_("Total budget"), _money(book.total), ""])
        _table(document, [_("Name"), _("Score"), _("Predikat")], facts)
        document.add_heading(_("Top gaps"), level=2)
        _scores(document, book.top_gaps)
        document.add_heading(_("Quick wins"), level=2)
        for item in book.quick_wins:
            document.add_paragraph(
                f"{item.title} ({item.lead_opd}, {_money(item.budget)})", style="List Bullet"
            )
    for chapter in book.chapters:
        document.add_page_break()
        document.add_heading(chapter.title, level=1)
        if chapter.key == "analysis":
            _analysis(document, book, images, note)
        elif chapter.key == "masterplan":
            _plan(document, book)
        elif chapter.key == "quick_wins":
            _quick_wins(document, book)
        else:
            _roadmap(document, book, images, note)
    if book.whole:
        document.add_page_break()
        document.add_heading(_("Annex: indicator scores"), level=1)
        _table(
            document,
            [_("Code"), _("Indicator"), _("Level"), _("Target"), _("Level descriptor")],
            [[r.code, r.name, r.level, r.target, r.descriptor] for r in book.annex],
        )
    out = BytesIO()
    document.save(out)
    return out.getvalue()
