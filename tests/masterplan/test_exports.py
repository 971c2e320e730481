"""The master-plan exports: the PDF book read back with pdftotext and pdftoppm, the DOCX with
python-docx, the XLSX with openpyxl, both opened by LibreOffice; the jobs, reuse, refusals, a
chart renderer that fails, retention and the command."""

import io
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from masterplan import services as plan_services
from masterplan.exports import content, figures, services
from masterplan.exports.models import ExportJob, ExportKind, ExportPart
from masterplan.library_files import library_from_json
from masterplan.models import FundingSource, HorizonChoice
from smartcity.jobs import JobStatus
from tests.helpers import in_indonesian, signed_in

CHAPTERS_ID = [
    "Ringkasan eksekutif",
    "Buku 1 Analisis Strategis",
    "Buku 2 Masterplan",
    "Buku 3 Quick Wins",
    "Buku 4 Road Map",
    "Lampiran: nilai indikator",
]
CHAPTERS_EN = [
    "Executive summary",
    "Book 1 Strategic Analysis",
    "Book 2 Master Plan",
    "Book 3 Quick Wins",
    "Book 4 Road Map",
    "Annex: indicator scores",
]
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
needs_office = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice missing")


@pytest.fixture
def plan(approved, official):
    return plan_services.masterplan_draft(assessment=approved, user=official, start_year=2027)


@pytest.fixture
def no_browser(settings):
    """kaleido pointed at a browser that is not there (as on a server without chromium)."""
    figures.stop_server()
    settings.KALEIDO_BROWSER_PATH = "/nonexistent/chromium"
    yield
    figures.stop_server()


def export(plan, user, kind, django_capture_on_commit_callbacks, **options) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(
            plan=plan,
            user=user,
            kind=kind,
            language=options.get("language", "id"),
            part=options.get("part", ExportPart.ALL),
        )
    job.refresh_from_db()
    return job


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "book.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def rupiah(amount: int, language: str = "id") -> str:
    text = f"{amount:,}"
    return text.replace(",", ".") if language == "id" else text


def funding_totals(plan) -> dict[str, int]:
    totals: dict[str, int] = {}
    for source, budget in plan.items.values_list("funding_source", "budget"):
        totals[source] = totals.get(source, 0) + budget
    return totals


@needs_poppler
def test_the_pdf_book_has_every_chapter_action_total_and_page_number(
    plan, official, tmp_path, django_capture_on_commit_callbacks
):
    job = export(plan, official, ExportKind.PDF, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error
    assert job.chart_note == ""
    text = pdf_text(job.file.read(), tmp_path)
    assert plan.region.name in text
    assert "Masterplan Kota Cerdas" in text and "DRAF" in text
    position = text.index(CHAPTERS_ID[-1]) + 1  # the contents end with the annex
    for heading in CHAPTERS_ID:  # then every chapter, in order
        position = text.index(heading, position) + len(heading)
    for title in plan.items.values_list("title", flat=True):
        assert " ".join(title.split()) in text
    labels = dict(FundingSource.choices)
    with translation.override("id"):
        for source, total in funding_totals(plan).items():
            assert f"{labels[source]} " in text
            assert rupiah(total) in text
    pages = int(
        subprocess.run(["pdfinfo", "-"], input=job.file.open("rb").read(), capture_output=True)
        .stdout.decode()
        .split("Pages:")[1]
        .split()[0]
    )
    assert f"halaman 2 dari {pages}" in text and f"halaman {pages} dari {pages}" in text


@needs_poppler
def test_the_first_pages_render_and_are_not_blank(plan, tmp_path):
    with translation.override("id"):
        data, note = services.export_render(plan, kind="pdf", part="all", language="id")
    assert note == ""
    (tmp_path / "book.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "3", str(tmp_path / "book.pdf"),
         str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) == 3
    for page in rendered:
        grey = Image.open(page).convert("L")
        assert grey.getextrema()[0] < 128  # some dark ink on a white page


@needs_poppler
def test_an_english_export_is_english(plan, official, tmp_path, django_capture_on_commit_callbacks):
    job = export(plan, official, ExportKind.PDF, django_capture_on_commit_callbacks, language="en")
    text = pdf_text(job.file.read(), tmp_path)
    for heading in CHAPTERS_EN:
        assert heading in text
    assert "Smart City Master Plan" in text and "DRAFT" in text and "page 2 of" in text
    for indonesian in (
        "Buku 1",
        "Ringkasan",
        "halaman",
        "Sumber pendanaan",
        "Rencana aksi",
        "Kesenjangan",
        "Tata kelola",
        "Ketergantungan",
    ):
        assert indonesian not in text  # fmt: skip
    # generated actions in the library's English; the region's own texts stay as written
    generated = plan.items.filter(origin="generated").exclude(action_code="").first()
    library = {a.code: a for a in library_from_json(plan.library.spec).actions}
    assert " ".join(library[generated.action_code].title.en.split()) in text
    assert generated.title not in text


@needs_poppler
def test_each_book_exports_alone(plan, tmp_path):
    with translation.override("id"):
        data, _note = services.export_render(
            plan, kind="pdf", part=ExportPart.QUICK_WINS, language="id"
        )
    text = pdf_text(data, tmp_path)
    assert "Buku 3 Quick Wins" in text
    for other in (
        "Buku 1 Analisis Strategis",
        "Buku 4 Road Map",
        "Lampiran",
        "Ringkasan eksekutif",
    ):
        assert other not in text
    for title in plan.items.filter(horizon=HorizonChoice.QUICK_WIN).values_list("title", flat=True):
        assert " ".join(title.split()) in text


def test_the_docx_has_word_headings_in_order_and_the_action_table(plan):
    with translation.override("id"):
        data, _note = services.export_render(plan, kind="docx", part="all", language="id")
    document = Document(io.BytesIO(data))
    chapters = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert chapters == CHAPTERS_ID
    assert any(p.style.name == "Heading 2" for p in document.paragraphs)
    assert len(document.inline_shapes) >= 2  # the radar and the gap bars, as PNG
    titles = list(
        plan.items.order_by("start_year", "position", "pk").values_list("title", flat=True)
    )
    actions = next(t for t in document.tables if t.rows[0].cells[0].text == "#")
    assert [row.cells[1].text for row in actions.rows[1:]] == titles
    assert actions.style.name == "Table Grid"


def test_the_xlsx_totals_equal_the_plans(plan):
    with translation.override("id"):
        data, _note = services.export_render(plan, kind="xlsx", part="all", language="id")
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Rencana aksi", "Peta jalan", "Anggaran", "Nilai indikator"]
    total = sum(plan.items.values_list("budget", flat=True))
    actions = workbook["Rencana aksi"]
    assert actions.freeze_panes == "A2" and actions.auto_filter.ref
    assert sum(row[7] for row in actions.iter_rows(min_row=2, values_only=True)) == total
    assert actions.cell(row=2, column=8).number_format == '"Rp"#,##0'
    years = workbook["Peta jalan"]
    assert [c.value for c in years[1][2:]] == [
        str(y) for y in range(plan.start_year, plan.end_year + 1)
    ]
    assert (
        sum(v or 0 for row in years.iter_rows(min_row=2, min_col=3, values_only=True) for v in row)
        == total
    )
    budget = list(workbook["Anggaran"].iter_rows(values_only=True))
    assert budget[-1][0] == "Jumlah" and budget[-1][-1] == total
    labels = dict(FundingSource.choices)
    with translation.override("id"):
        by_source = {str(labels[code]): amount for code, amount in funding_totals(plan).items()}
    assert {row[0]: row[-1] for row in budget[1:-1]} == by_source


@needs_office
@needs_poppler
@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_libreoffice_opens_the_docx_and_the_xlsx(plan, tmp_path, kind):
    with translation.override("id"):
        data, _note = services.export_render(plan, kind=kind, part="all", language="id")
    source = tmp_path / f"book.{kind}"
    source.write_bytes(data)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    text = pdf_text((tmp_path / "book.pdf").read_bytes(), tmp_path)
    total = sum(plan.items.values_list("budget", flat=True))
    if kind == "docx":
        for heading in CHAPTERS_ID:
            assert heading in text
        assert rupiah(total) in text
    else:
        assert "Jumlah" in text and "Sumber pendanaan" in text
        assert rupiah(total) in text or f"{total:,}" in text


def test_an_unchanged_plan_reuses_its_file_and_a_change_makes_a_new_one(
    plan, official, django_capture_on_commit_callbacks
):
    first = export(plan, official, ExportKind.XLSX, django_capture_on_commit_callbacks)
    again = export(plan, official, ExportKind.XLSX, django_capture_on_commit_callbacks)
    assert again.pk == first.pk and first.status == JobStatus.DONE
    english = export(
        plan, official, ExportKind.XLSX, django_capture_on_commit_callbacks, language="en"
    )
    assert english.pk != first.pk
    item = plan.items.order_by("pk").first()
    from masterplan.rules import item_input_of

    plan_services.action_item_save(
        item=item, user=official, expected_version=item.version,
        values=item_input_of(item, budget=item.budget + 1_000_000),
    )  # fmt: skip
    changed = export(plan, official, ExportKind.XLSX, django_capture_on_commit_callbacks)
    assert changed.pk != first.pk and changed.status == JobStatus.DONE


def test_the_export_pages_and_the_download(plan, official, django_capture_on_commit_callbacks):
    client = signed_in(official)
    page = client.get(reverse("masterplan:plan_detail", args=[plan.pk]))
    assert b'id="export-panel"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("masterplan:export_start", args=[plan.pk]),
            {"kind": "xlsx", "part": "all", "language": "id"},
        )
    job = ExportJob.objects.get(plan=plan)
    assert started.status_code == 302 and started["Location"] == job.get_absolute_url()
    detail = client.get(job.get_absolute_url())
    assert job.download_url.encode() in detail.content
    download = client.get(job.download_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert job.file_name in download["Content-Disposition"]
    assert download["Content-Type"] == job.content_type
    load_workbook(io.BytesIO(b"".join(download.streaming_content)))


def test_a_bad_request_is_refused_with_a_message(plan, official):
    client = signed_in(official)
    response = client.post(
        reverse("masterplan:export_start", args=[plan.pk]), {"kind": "exe"}, follow=True
    )
    assert in_indonesian("Choose a format, a book and a language for the export.") in (
        response.content.decode()
    )
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("persona", ["other_official", "outsider"])
def test_outside_the_region_the_job_and_the_file_are_404(
    request, persona, plan, official, django_capture_on_commit_callbacks
):
    job = export(plan, official, ExportKind.XLSX, django_capture_on_commit_callbacks)
    client = signed_in(request.getfixturevalue(persona))
    for url in (job.get_absolute_url(), job.status_url, job.download_url):
        assert client.get(url).status_code == 404
    assert client.post(job.retry_url).status_code == 404
    assert client.post(reverse("masterplan:export_start", args=[plan.pk]), {
        "kind": "pdf", "part": "all", "language": "id"}).status_code == 404  # fmt: skip
    with pytest.raises(Exception) as refused:
        services.export_request(
            plan=plan, user=request.getfixturevalue(persona), kind="pdf", language="id"
        )
    assert refused.type.__name__ == "Http404"


@needs_poppler
def test_without_the_chart_renderer_the_pdf_has_tables_a_note_and_can_be_retried(
    plan, official, tmp_path, settings, no_browser, django_capture_on_commit_callbacks
):
    job = export(plan, official, ExportKind.PDF, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert job.error == figures.CHARTS_UNAVAILABLE
    with translation.override("id"):
        assert job.error_message.startswith("Grafik tidak dapat digambar")
    text = pdf_text(job.file.read(), tmp_path)
    assert "Grafik tidak dapat digambar" in text
    assert "Kesenjangan per elemen" in text or "Kesenjangan" in text  # the gap table is there
    client = signed_in(official)
    status = client.get(job.status_url).content.decode()
    assert "Grafik tidak dapat digambar" in status and job.retry_url in status
    assert client.get(job.download_url).status_code == 200  # the PDF with tables, not a 500

    settings.KALEIDO_BROWSER_PATH = "/usr/bin/chromium"
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(job.retry_url)
    assert retried.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.chart_note == "" and job.attempts == 2
    assert "Grafik tidak dapat digambar" not in pdf_text(job.file.read(), tmp_path)


def test_old_files_are_cleaned_after_the_retention(
    plan, official, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_KEEP_DAYS = 7
    job = export(plan, official, ExportKind.XLSX, django_capture_on_commit_callbacks)
    path = Path(job.file.path)
    assert services.export_cleanup() == 0 and path.exists()
    ExportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=8))
    assert services.export_cleanup() == 1
    job.refresh_from_db()
    assert not path.exists() and not job.file
    assert signed_in(official).get(job.download_url).status_code == 404
    # the next request makes the file again
    again = export(plan, official, ExportKind.XLSX, django_capture_on_commit_callbacks)
    assert again.pk != job.pk and again.file


def test_the_book_content_needs_a_fixed_number_of_queries(plan, django_assert_num_queries):
    with translation.override("id"), django_assert_num_queries(QUERIES):
        book = content.book_content(plan, part="all", language="id")
    assert len(book.items) == plan.items.count()


QUERIES = 13


def test_the_command_writes_the_file(plan, tmp_path):
    out = tmp_path / "plan.xlsx"
    stdout = io.StringIO()
    call_command(
        "export_masterplan", plan=plan.pk, format="xlsx", lang="en", out=out, stdout=stdout
    )
    assert "Wrote" in stdout.getvalue()
    assert load_workbook(out).sheetnames[0] == "Action plan"
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_masterplan", plan=999999, format="pdf", out=out)
