"""Offline Excel: download, fill in, upload back (all or nothing), refusals, scope, language."""

import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from assessments import services
from assessments.models import AssessmentEvent, AssessmentStatus, EventKind, IndicatorResponse
from assessments.rules import Answer
from assessments.selectors import assessment_sheet
from smartcity.models import Role
from tests.assessments.conftest import answer_everything
from tests.factories import MembershipFactory

HEADERS_ID = [
    "Pilar",
    "Elemen",
    "Kode indikator",
    "Indikator",
    "Level (pilih)",
    "Alasan tidak berlaku (khusus N/A)",
    "Narasi",
    "Target level (pilih)",
    "Bukti dukung wajib mulai level",
    "Bukti dukung terlampir daring",
    "Deskriptor level",
    "Panduan",
    "ID baris (jangan diubah)",
    "Versi (jangan diubah)",
    "Checksum (jangan diubah)",
]
LEVELS_ID = [
    "0 – Belum ada",
    "1 – Rintisan",
    "2 – Terkelola",
    "3 – Terdefinisi",
    "4 – Terpadu dan Terukur",
    "5 – Optimum",
]
NA_ID = "N/A – Tidak berlaku"
NA_INDICATOR = "LIV.L3.2"  # the only indicator of the default framework that allows N/A
UPLOAD_REFUSED = "Buku kerja tidak diimpor; tidak ada yang disimpan."


SCALE_RULE = "Choose a level from %(low)d to %(high)d."


# --- Helpers -------------------------------------------------------------------------------------
def indonesian(msgid: str, **params) -> str:
    """A message owned by another module (rules, services), as Indonesian users read it."""
    with translation.override("id"):
        text = translation.gettext(msgid) % params if params else translation.gettext(msgid)
    assert text != (msgid % params if params else msgid), f"not translated: {msgid}"
    return text


def download(client, user, assessment) -> openpyxl.Workbook:
    client.force_login(user)
    response = client.get(reverse("assessments:excel_download", args=[assessment.pk]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def as_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, assessment, data: bytes, name: str = "penilaian-19.71-2026.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(
        reverse("assessments:excel_upload", args=[assessment.pk]), {"workbook": file}
    )


def row_of(sheet, code: str) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 3).value == code:
            return row
    raise AssertionError(code)


def fill(sheet, code: str, **values) -> int:
    columns = {"level": 5, "na_reason": 6, "narrative": 7, "target": 8}
    row = row_of(sheet, code)
    for key, value in values.items():
        sheet.cell(row, columns[key], value)
    return row


def problems(response) -> list[tuple]:
    assert response.status_code == 200
    html = response.content.decode()
    assert UPLOAD_REFUSED in html or "The workbook was not imported" in html
    found = [(p.sheet, p.row, p.column, p.message) for p in response.context["problems"]]
    for problem in response.context["problems"]:
        assert escape(problem.message) in html
    return found


def snapshot(assessment) -> list[tuple]:
    return list(
        IndicatorResponse.objects.filter(assessment=assessment)
        .order_by("pk")
        .values_list(
            "pk",
            "self_level",
            "not_applicable",
            "na_reason",
            "narrative",
            "target_level",
            "version",
        )
    ) + [
        ("history", IndicatorResponse.history.filter(assessment_id=assessment.pk).count()),
        ("events", AssessmentEvent.objects.filter(assessment=assessment).count()),
    ]


def list_choices(workbook, validation) -> list[str]:
    sheet_name, cells = validation.formula1.split("!")
    sheet = workbook[sheet_name.strip("'")]
    return [cell.value for (cell,) in sheet[cells.replace("$", "")]]


def validation_cells(validation) -> set[str]:
    return {str(cell_range) for cell_range in validation.sqref.ranges}


@pytest.fixture
def colleague(region):
    """A second official of the same region, who works online."""
    return MembershipFactory(
        user__username="pejabat-kedua",
        user__first_name="Sari",
        user__last_name="Dewi",
        role=Role.OFFICIAL,
        region=region,
    ).user


# --- The workbook --------------------------------------------------------------------------------
def test_download_is_a_pleasant_protected_workbook_in_indonesian(client, official, assessment):
    client.force_login(official)
    response = client.get(reverse("assessments:excel_download", args=[assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="penilaian-19.71-2026.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Penilaian", "Petunjuk", "meta"]
    assert workbook["meta"].sheet_state == "hidden"
    assert workbook.security.lockStructure

    sheet = workbook["Penilaian"]
    assert [cell.value for cell in sheet[1]] == HEADERS_ID
    assert sheet.freeze_panes == "E2"
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet.max_row == 56  # header + 55 indicators
    in_framework_order = [row.indicator.code for row in assessment_sheet(assessment).rows()]
    assert [sheet.cell(row, 3).value for row in range(2, 57)] == in_framework_order
    for letter in "MNO":
        assert sheet.column_dimensions[letter].hidden
    for letter in "ABCDEFGHIJKL":
        assert not sheet.column_dimensions[letter].hidden
        assert sheet.column_dimensions[letter].width >= 10
    first = assessment.responses.get(indicator__code="STR.S1.1")
    assert [sheet.cell(2, column).value for column in (13, 14)] == [first.pk, first.version]
    # Editable cells are unlocked and shaded; everything else is locked.
    for column in (5, 6, 7, 8):
        cell = sheet.cell(2, column)
        assert not cell.protection.locked
        assert cell.fill.fgColor.rgb.endswith("FFF2CC")
    for column in (1, 2, 3, 4, 9, 10, 11, 12, 13, 14, 15):
        assert sheet.cell(2, column).protection.locked
    assert sheet.cell(2, 9).value == "2 – Terkelola"  # evidence required from level 2
    assert sheet.cell(2, 10).value == 0
    assert sheet.cell(2, 11).value.splitlines()[0].startswith("1 – Tenaga TIK sangat kurang")
    assert len(sheet.cell(2, 11).value.splitlines()) == 5
    assert "Cara mencapai level 2:" in sheet.cell(2, 12).value

    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    by_choices = {tuple(list_choices(workbook, v)): v for v in lists}
    plain = [v for v in lists if list_choices(workbook, v) == LEVELS_ID]
    with_na = by_choices[(*LEVELS_ID, NA_ID)]
    na_row = row_of(sheet, NA_INDICATOR)
    assert validation_cells(with_na) == {f"E{na_row}"}
    level_cells = {f"E{row}" for row in range(2, 57)} - {f"E{na_row}"}
    target_cells = {f"H{row}" for row in range(2, 57)}
    assert {frozenset(validation_cells(v)) for v in plain} == {
        frozenset(level_cells),
        frozenset(target_cells),
    }
    assert all(v.showErrorMessage and v.allow_blank for v in lists)

    instructions = workbook["Petunjuk"]
    text = "\n".join(str(c.value) for row in instructions.iter_rows() for c in row if c.value)
    assert "Cara mengisi buku kerja ini" in text
    assert "seluruhnya atau tidak sama sekali" in text
    assert "Berkas bukti dukung tidak dapat dimasukkan ke buku kerja ini" in text
    for choice in [*LEVELS_ID, NA_ID]:
        assert choice in text
    assert "Belum ada kebijakan, kegiatan" in text  # generic description of level 0

    meta = {key: value for key, value, *_ in workbook["meta"].iter_rows(values_only=True) if key}
    assert meta["assessment_id"] == assessment.pk
    assert meta["region_code"] == "19.71"
    assert meta["cycle_id"] == assessment.cycle_id
    assert (meta["framework_slug"], meta["framework_version"]) == ("kota-cerdas", 1)
    assert meta["downloaded_at"]


def test_download_shows_saved_answers_and_evidence_counts(client, official, assessment):
    response = assessment.responses.select_related("indicator").get(indicator__code="STR.S2.1")
    services.response_save(
        response=response,
        user=official,
        expected_version=response.version,
        answer=Answer(3, False, "", "Ada SK Dewan Smart City", 4),
    )
    services.evidence_add_link(
        response=response, user=official, url="https://jdih.example.go.id/sk"
    )
    sheet = download(client, official, assessment)["Penilaian"]
    row = row_of(sheet, "STR.S2.1")
    assert [sheet.cell(row, column).value for column in (5, 7, 8, 10)] == [
        "3 – Terdefinisi",
        "Ada SK Dewan Smart City",
        "4 – Terpadu dan Terukur",
        1,
    ]


def test_a_default_target_is_left_empty_in_the_workbook_and_follows(client, official, assessment):
    response = assessment.responses.select_related("indicator").get(indicator__code="STR.S2.1")
    services.response_save(
        response=response,
        user=official,
        expected_version=response.version,
        answer=Answer(3, False, "", "Ada SK", None),
    )
    workbook = download(client, official, assessment)
    sheet = workbook["Penilaian"]
    row = row_of(sheet, "STR.S2.1")
    assert sheet.cell(row, 8).value is None  # "the cycle's default", as the form shows it
    sheet.cell(row, 5).value = "1 – Rintisan"
    assert upload(client, assessment, as_bytes(workbook)).status_code == 302
    response.refresh_from_db()
    assert (response.self_level, response.target_level, response.target_is_default) == (
        1, 2, True,
    )  # fmt: skip


def test_download_query_count_is_constant(
    client, official, facilitator, assessment, django_assert_max_num_queries
):
    """Ten queries however many answers, evidence items and comments there are."""
    answer_everything(assessment, official, level=2)
    for response in assessment.responses.all()[:10]:
        services.response_comment_add(response=response, user=facilitator, body="Cek SK")
    client.force_login(official)
    url = reverse("assessments:excel_download", args=[assessment.pk])
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


# --- Round trip ----------------------------------------------------------------------------------
def test_round_trip_saves_the_filled_rows_and_nothing_else(client, official, assessment):
    workbook = download(client, official, assessment)
    sheet = workbook["Penilaian"]
    fill(sheet, "STR.S1.1", level="2 – Terkelola", narrative="Ada 3 pranata komputer")
    fill(sheet, "STR.S2.1", level="3", target="5 – Optimum", narrative="SK Dewan Smart City")
    fill(sheet, "GOV.G1.1", level=1)
    fill(sheet, NA_INDICATOR, level=NA_ID, na_reason="Daerah kami tidak memiliki pantai.")
    before = IndicatorResponse.history.filter(assessment_id=assessment.pk).count()

    response = upload(client, assessment, as_bytes(workbook))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:overview", args=[assessment.pk])
    page = client.get(response["Location"]).content.decode()
    assert "4 indikator diperbarui, 51 tidak berubah." in page

    saved = {
        r.indicator.code: r
        for r in assessment.responses.select_related("indicator", "updated_by").filter(
            indicator__code__in=["STR.S1.1", "STR.S2.1", "GOV.G1.1", NA_INDICATOR]
        )
    }
    assert (saved["STR.S1.1"].self_level, saved["STR.S1.1"].target_level) == (2, 3)
    assert saved["STR.S1.1"].narrative == "Ada 3 pranata komputer"
    assert (saved["STR.S2.1"].self_level, saved["STR.S2.1"].target_level) == (3, 5)
    assert (saved["GOV.G1.1"].self_level, saved["GOV.G1.1"].narrative) == (1, "")
    na = saved[NA_INDICATOR]
    assert (na.not_applicable, na.self_level, na.target_level) == (True, None, None)
    assert na.na_reason == "Daerah kami tidak memiliki pantai."
    assert all(r.updated_by == official and r.version == 2 for r in saved.values())
    assert assessment.responses.filter(version=1).count() == 51
    assert IndicatorResponse.history.filter(assessment_id=assessment.pk).count() == before + 4
    event = AssessmentEvent.objects.get(assessment=assessment, kind=EventKind.EXCEL_IMPORTED)
    assert (event.actor, event.data) == (official, {"updated": 4, "unchanged": 51})

    # The same file again changes nothing: no save, no history, no event.
    again = upload(client, assessment, as_bytes(workbook))
    assert again.status_code == 302
    assert (
        "0 indikator diperbarui, 55 tidak berubah."
        in client.get(again["Location"]).content.decode()
    )
    assert IndicatorResponse.history.filter(assessment_id=assessment.pk).count() == before + 4
    assert AssessmentEvent.objects.filter(kind=EventKind.EXCEL_IMPORTED).count() == 1


def test_choices_may_be_typed_loosely(client, official, assessment):
    workbook = download(client, official, assessment)
    sheet = workbook["Penilaian"]
    fill(sheet, "STR.S1.1", level="2")
    fill(sheet, "STR.S2.1", level=3.0, target=4)
    fill(sheet, "GOV.G1.1", level="4 - terpadu dan terukur", target=" 5 – OPTIMUM ")
    fill(sheet, NA_INDICATOR, level="n/a", na_reason="Tidak ada pantai.")
    assert upload(client, assessment, as_bytes(workbook)).status_code == 302
    levels = dict(
        assessment.responses.filter(
            indicator__code__in=["STR.S1.1", "STR.S2.1", "GOV.G1.1", NA_INDICATOR]
        ).values_list("indicator__code", "self_level")
    )
    assert levels == {"STR.S1.1": 2, "STR.S2.1": 3, "GOV.G1.1": 4, NA_INDICATOR: None}
    targets = dict(
        assessment.responses.filter(indicator__code__in=["STR.S2.1", "GOV.G1.1"]).values_list(
            "indicator__code", "target_level"
        )
    )
    assert targets == {"STR.S2.1": 4, "GOV.G1.1": 5}


def test_upload_page_explains_the_offline_way(client, official, assessment):
    client.force_login(official)
    response = client.get(reverse("assessments:excel_upload", args=[assessment.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Isi secara luring dengan Excel" in html
    assert reverse("assessments:excel_download", args=[assessment.pk]) in html
    assert 'enctype="multipart/form-data"' in html
    assert "disimpan sebagai .xlsx; paling besar 10,0\xa0MB." in html


# --- Refusals: the whole file, nothing saved ----------------------------------------------------
def _damage(case: str, workbook: openpyxl.Workbook, other: bytes) -> tuple[bytes, str]:
    """The bytes of a bad upload and its file name."""
    sheet = workbook["Penilaian"]
    good = as_bytes(workbook)
    if case == "csv":
        return b"Kode indikator;Level\nSTR.S1.1;2\n", "penilaian.xlsx"
    if case == "pdf":
        return b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n", "penilaian.xlsx"
    if case == "corrupt":
        return good[: len(good) // 2], "penilaian.xlsx"
    if case == "xls":
        return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "penilaian.xls"
    if case == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("catatan.txt", "bukan excel")
        return buffer.getvalue(), "penilaian.xlsx"
    if case == "ods":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            archive.writestr("content.xml", "<office:document-content/>")
        return buffer.getvalue(), "penilaian.xlsx"
    if case == "not downloaded here":
        del workbook["meta"]
    if case == "missing sheet":
        sheet.title = "Data"
    if case == "other assessment":
        return other, "penilaian-33.74-2026.xlsx"
    if case == "renamed header":
        sheet["G1"] = "Catatan"
    return as_bytes(workbook), "penilaian-19.71-2026.xlsx"


NOT_XLSX = (
    "Berkas ini bukan buku kerja Excel (.xlsx); mungkin berkas CSV atau jenis lain yang diganti "
    "namanya. Unggah buku kerja yang diunduh dari halaman ini, disimpan sebagai .xlsx."
)
DAMAGED = (
    "Berkas rusak atau tidak lengkap sehingga tidak dapat dibuka sebagai buku kerja Excel. Simpan "
    "ulang di Excel sebagai .xlsx (atau unduh salinan baru), lalu unggah kembali."
)
WHOLE_FILE_CASES = {
    "csv": [("", None, "", NOT_XLSX)],
    "pdf": [
        (
            "",
            None,
            "",
            "Berkas ini dokumen PDF, bukan buku kerja Excel (.xlsx). Unggah buku kerja yang "
            "diunduh dari halaman ini, setelah diisi dan disimpan sebagai .xlsx.",
        )
    ],
    "corrupt": [("", None, "", DAMAGED)],
    "xls": [
        (
            "",
            None,
            "",
            "Berkas ini memakai format Excel lama 97-2003 (.xls). Buka di Excel, pilih File › "
            "Save As › Excel Workbook (.xlsx), lalu unggah berkas .xlsx tersebut.",
        )
    ],
    "zip": [
        (
            "",
            None,
            "",
            "Berkas ini bukan buku kerja Excel (.xlsx). Unggah buku kerja yang diunduh dari "
            "halaman ini, disimpan sebagai .xlsx.",
        )
    ],
    "ods": [
        (
            "",
            None,
            "",
            "Berkas ini lembar kerja OpenDocument (.ods). Simpan sebagai buku kerja Excel (.xlsx), "
            "lalu unggah berkas tersebut.",
        )
    ],
    "not downloaded here": [
        (
            "",
            None,
            "",
            "Buku kerja ini tidak diunduh dari aplikasi ini (lembar tersembunyi “meta” hilang atau "
            "berubah). Unduh buku kerja penilaian ini lalu isi buku kerja tersebut.",
        )
    ],
    "missing sheet": [
        (
            "Penilaian",
            None,
            "",
            "Lembar “Penilaian” tidak ada. Jangan mengganti nama atau menghapus lembar; unduh "
            "ulang buku kerja bila perlu.",
        )
    ],
    "renamed header": [
        (
            "Penilaian",
            1,
            "G",
            "Judul kolom ini seharusnya “Narasi”, tetapi tertulis “Catatan”. Jangan menambah, "
            "memindahkan, mengganti nama, atau menghapus kolom; unduh ulang buku kerja bila perlu.",
        )
    ],
    "other assessment": [
        (
            "",
            None,
            "",
            "Berkas ini milik Kota Semarang, Penilaian Mandiri 2026, bukan penilaian ini. Unduh "
            "buku kerja Kota Pangkal Pinang, Penilaian Mandiri 2026 lalu isi buku kerja tersebut.",
        )
    ],
}


@pytest.mark.parametrize("case", WHOLE_FILE_CASES)
def test_a_bad_file_is_refused_as_a_whole(
    case, client, official, other_official, assessment, other_assessment
):
    other_workbook = download(client, other_official, other_assessment)
    fill(other_workbook["Penilaian"], "STR.S1.1", level="1 – Rintisan")
    workbook = download(client, official, assessment)
    fill(workbook["Penilaian"], "STR.S1.1", level="2 – Terkelola")  # a valid change beside it
    data, name = _damage(case, workbook, as_bytes(other_workbook))
    before = snapshot(assessment)
    other_before = snapshot(other_assessment)

    response = upload(client, assessment, data, name)

    assert problems(response) == WHOLE_FILE_CASES[case]
    assert snapshot(assessment) == before
    assert snapshot(other_assessment) == other_before


ROW_CASES = {
    "level 7": ({"level": "7"}, "E", lambda: indonesian(SCALE_RULE, low=0, high=5)),
    "level tinggi": (
        {"level": "tinggi"},
        "E",
        "“tinggi” bukan salah satu pilihan. Pilih level dari daftar pilihan (misalnya "
        "“2 – Terkelola”), ketik angkanya, atau N/A.",
    ),
    "target tinggi": (
        {"level": "2", "target": "tinggi"},
        "H",
        "“tinggi” bukan salah satu pilihan. Pilih target level dari daftar pilihan, ketik "
        "angkanya, atau biarkan kosong.",
    ),
    "N/A not allowed": (
        {"level": NA_ID, "na_reason": "Tidak relevan"},
        "E",
        lambda: indonesian("This indicator cannot be marked not applicable."),
    ),
    "target below level": (
        {"level": "3 – Terdefinisi", "target": "2 – Terkelola"},
        "H",
        lambda: indonesian("The target cannot be below the current level."),
    ),
    "target outside the scale": (
        {"level": "3", "target": "9"},
        "H",
        lambda: indonesian(SCALE_RULE, low=0, high=5),
    ),
    "target N/A": (
        {"level": "3", "target": NA_ID},
        "H",
        "Target level tidak boleh N/A; pilih level atau biarkan kosong.",
    ),
    "narrative too long": (
        {"level": "2", "narrative": "x" * 10_001},
        "G",
        lambda: indonesian("Keep the narrative under %(max)s characters.", max="10.000"),
    ),
}


@pytest.mark.parametrize("case", ROW_CASES)
def test_a_bad_row_refuses_the_whole_upload(case, client, official, assessment):
    values, column, message = ROW_CASES[case]
    message = message() if callable(message) else message
    workbook = download(client, official, assessment)
    sheet = workbook["Penilaian"]
    fill(sheet, "GOV.G1.1", level="2 – Terkelola", narrative="Valid, but not saved")
    row = fill(sheet, "STR.S2.1", **values)
    before = snapshot(assessment)

    response = upload(client, assessment, as_bytes(workbook))

    assert problems(response) == [("Penilaian", row, column, message)]
    assert snapshot(assessment) == before


NA_CASES = {
    "N/A without reason": (
        {"level": NA_ID},
        "F",
        lambda: indonesian("Explain why this indicator does not apply to your region."),
    ),
    "level and N/A both": (
        {"level": "2", "na_reason": "Tidak ada pantai"},
        "E",
        lambda: indonesian("Either choose a level or mark it not applicable, not both."),
    ),
}


@pytest.mark.parametrize("case", NA_CASES)
def test_na_needs_a_reason_and_no_level(case, client, official, assessment):
    values, column, message = NA_CASES[case]
    message = message()
    workbook = download(client, official, assessment)
    fill(workbook["Penilaian"], "GOV.G1.1", level="2")
    row = fill(workbook["Penilaian"], NA_INDICATOR, **values)
    before = snapshot(assessment)
    response = upload(client, assessment, as_bytes(workbook))
    assert problems(response) == [("Penilaian", row, column, message)]
    assert snapshot(assessment) == before


def test_moved_columns_are_refused(client, official, assessment):
    workbook = download(client, official, assessment)
    sheet = workbook["Penilaian"]
    fill(sheet, "STR.S1.1", level="2")
    sheet.insert_cols(5)  # a new column before the level: every column after it moved
    before = snapshot(assessment)
    found = problems(upload(client, assessment, as_bytes(workbook)))
    assert found[0] == (
        "Penilaian",
        1,
        "E",
        "Judul kolom ini seharusnya “Level (pilih)”, tetapi tertulis “”. Jangan menambah, "
        "memindahkan, mengganti nama, atau menghapus kolom; unduh ulang buku kerja bila perlu.",
    )
    assert [column for _sheet, _row, column, _message in found] == list("EFGHIJKLMNO")
    assert snapshot(assessment) == before


def test_codes_and_hidden_ids_must_stay_as_downloaded(client, official, assessment):
    workbook = download(client, official, assessment)
    sheet = workbook["Penilaian"]
    fill(sheet, "GOV.G1.1", level="2")
    first, second, third = row_of(sheet, "STR.S1.1"), row_of(sheet, "STR.S2.1"), 4
    sheet.cell(second, 3, "STR.S1.1")  # duplicate code
    sheet.cell(third, 3, "XXX.9.9")  # unknown code
    sheet.cell(5, 13, sheet.cell(6, 13).value)  # another row's id
    before = snapshot(assessment)
    response = upload(client, assessment, as_bytes(workbook))
    code5 = sheet.cell(5, 3).value
    assert problems(response) == [
        (
            "Penilaian",
            second,
            "C",
            f"Indikator STR.S1.1 muncul lebih dari sekali (juga di baris {first}).",
        ),
        ("Penilaian", third, "C", "“XXX.9.9” bukan indikator penilaian ini."),
        (
            "Penilaian",
            5,
            "M",
            f"ID baris tersembunyi tidak cocok dengan indikator {code5}. Jangan menyalin atau "
            "memindahkan baris antarberkas; unduh ulang buku kerja.",
        ),
        (
            "Penilaian",
            6,
            "M",
            "ID baris tersembunyi muncul lebih dari sekali (juga di baris 5). Jangan menyalin "
            "baris; unduh ulang buku kerja.",
        ),
    ]
    assert snapshot(assessment) == before


def test_oversize_file_is_refused_before_reading(client, official, assessment, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    client.force_login(official)
    before = snapshot(assessment)
    response = upload(client, assessment, b"PK\x03\x04" + b"\x00" * (2 * 1024 * 1024))
    assert response.status_code == 200
    assert response.context["form"].errors["workbook"] == [
        "Ukuran berkas 2,0\xa0MB; paling besar 1,0\xa0MB yang dapat diunggah."
    ]
    assert "Ukuran berkas 2,0\xa0MB" in response.content.decode()
    assert snapshot(assessment) == before


def test_an_upload_without_a_file_asks_for_one(client, official, assessment):
    client.force_login(official)
    response = client.post(reverse("assessments:excel_upload", args=[assessment.pk]), {})
    assert response.status_code == 200
    assert response.context["form"].errors["workbook"]


# --- Conflicts with online edits -----------------------------------------------------------------
def _save_online(user, assessment, code: str, level: int, narrative: str = "") -> None:
    response = assessment.responses.select_related("indicator", "assessment").get(
        indicator__code=code
    )
    services.response_save(
        response=response,
        user=user,
        expected_version=response.version,
        answer=Answer(level, False, "", narrative, None),
    )


def test_a_row_changed_online_since_download_is_a_conflict(client, official, colleague, assessment):
    workbook = download(client, official, assessment)
    sheet = workbook["Penilaian"]
    row = fill(sheet, "STR.S1.1", level="2 – Terkelola")
    fill(sheet, "GOV.G1.1", level="1")
    _save_online(colleague, assessment, "STR.S1.1", 3, "Disimpan daring")
    before = snapshot(assessment)

    found = problems(upload(client, assessment, as_bytes(workbook)))

    assert len(found) == 1
    sheet_title, row_number, column, message = found[0]
    assert (sheet_title, row_number, column) == ("Penilaian", row, "E")
    assert message.startswith("Sari Dewi menyimpan indikator ini secara daring pada ")
    assert "unduh ulang buku kerja" in message
    assert snapshot(assessment) == before
    assert assessment.responses.get(indicator__code="STR.S1.1").self_level == 3


def test_rows_left_untouched_never_conflict(client, official, colleague, assessment):
    workbook = download(client, official, assessment)
    fill(workbook["Penilaian"], "GOV.G1.1", level="1")
    _save_online(colleague, assessment, "STR.S1.1", 3, "Disimpan daring")
    response = upload(client, assessment, as_bytes(workbook))
    assert response.status_code == 302
    online = assessment.responses.select_related("updated_by").get(indicator__code="STR.S1.1")
    assert (online.self_level, online.narrative, online.updated_by) == (
        3,
        "Disimpan daring",
        colleague,
    )
    assert assessment.responses.get(indicator__code="GOV.G1.1").self_level == 1


def test_untouched_rows_with_browser_line_breaks_never_conflict(
    client, official, colleague, assessment
):
    """Browsers send CRLF from text areas; the workbook round trip must not see a change."""
    _save_online(colleague, assessment, "STR.S1.1", 2, "Baris satu\r\nBaris dua")
    workbook = download(client, official, assessment)
    fill(workbook["Penilaian"], "GOV.G1.1", level="1")
    _save_online(colleague, assessment, "STR.S1.1", 3, "Baris satu\r\nBaris dua")
    response = upload(client, assessment, as_bytes(workbook))
    assert response.status_code == 302
    assert assessment.responses.get(indicator__code="STR.S1.1").self_level == 3


def test_a_row_equal_to_the_online_answer_is_not_a_conflict(
    client, official, colleague, assessment
):
    workbook = download(client, official, assessment)
    fill(workbook["Penilaian"], "STR.S1.1", level="3", narrative="Disimpan daring")
    _save_online(colleague, assessment, "STR.S1.1", 3, "Disimpan daring")
    response = upload(client, assessment, as_bytes(workbook))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "0 indikator diperbarui, 55 tidak berubah." in page


def test_the_import_service_is_all_or_nothing(official, colleague, assessment):
    responses = {
        r.indicator.code: r for r in assessment.responses.select_related("indicator", "assessment")
    }
    _save_online(colleague, assessment, "STR.S2.1", 4)
    before = snapshot(assessment)
    changes = [
        services.AnswerChange(responses["STR.S1.1"].pk, 1, Answer(2, False, "", "", None)),
        services.AnswerChange(responses["STR.S2.1"].pk, 1, Answer(1, False, "", "", None)),
    ]
    with pytest.raises(services.StaleResponse):
        services.assessment_import_answers(assessment=assessment, user=official, changes=changes)
    assert snapshot(assessment) == before


def test_the_import_service_skips_answers_equal_to_the_stored_ones(official, assessment):
    _save_online(official, assessment, "STR.S1.1", 2, "Narasi")  # target 3 by default
    response = assessment.responses.get(indicator__code="STR.S1.1")
    before = snapshot(assessment)
    same = Answer(2, False, "", "  Narasi \n", None)  # the default target, spaces trimmed
    summary = services.assessment_import_answers(
        assessment=assessment,
        user=official,
        changes=[services.AnswerChange(response.pk, response.version, same)],
    )
    assert summary == services.ImportSummary(updated=0, unchanged=55)
    assert snapshot(assessment) == before


def test_the_import_service_refuses_a_response_of_another_assessment(
    official, assessment, other_assessment
):
    foreign = other_assessment.responses.first()
    with pytest.raises(services.InvalidInput):
        services.assessment_import_answers(
            assessment=assessment,
            user=official,
            changes=[services.AnswerChange(foreign.pk, 1, Answer(2, False, "", "", None))],
        )
    assert not other_assessment.responses.filter(self_level=2).exists()


# --- Who may download and upload ----------------------------------------------------------------
@pytest.mark.parametrize("persona", ["other_official", "outsider"])
def test_outside_the_scope_both_are_404(persona, request, client, assessment, official):
    workbook = download(client, official, assessment)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert (
        client.get(reverse("assessments:excel_download", args=[assessment.pk])).status_code == 404
    )
    assert client.get(reverse("assessments:excel_upload", args=[assessment.pk])).status_code == 404
    before = snapshot(assessment)
    fill(workbook["Penilaian"], "STR.S1.1", level="2")
    assert upload(client, assessment, as_bytes(workbook)).status_code == 404
    assert snapshot(assessment) == before


def test_facilitator_downloads_but_may_not_upload(client, official, facilitator, assessment):
    workbook = download(client, official, assessment)
    fill(workbook["Penilaian"], "STR.S1.1", level="2")
    assert download(client, facilitator, assessment).sheetnames[0] == "Penilaian"
    before = snapshot(assessment)
    page = client.get(reverse("assessments:excel_upload", args=[assessment.pk]))
    assert page.status_code == 403
    message = indonesian("Only the region's officials can change this assessment.")
    assert message in page.content.decode()
    response = upload(client, assessment, as_bytes(workbook))
    assert response.status_code == 403
    assert message in response.content.decode()
    assert snapshot(assessment) == before


def test_after_submission_the_upload_is_refused(client, official, assessment):
    workbook = download(client, official, assessment)
    fill(workbook["Penilaian"], "STR.S1.1", level="2")
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save(update_fields=["status"])
    before = snapshot(assessment)
    response = upload(client, assessment, as_bytes(workbook))
    assert response.status_code == 403
    with translation.override("id"):
        status = str(AssessmentStatus.SUBMITTED.label).lower()
    message = escape(
        indonesian("This assessment is %(status)s and can no longer be changed.", status=status)
    )
    assert message in response.content.decode()
    assert snapshot(assessment) == before
    # Reading stays possible.
    assert (
        client.get(reverse("assessments:excel_download", args=[assessment.pk])).status_code == 200
    )


# --- English -------------------------------------------------------------------------------------
def test_english_users_get_an_english_workbook_and_messages(client, official, assessment):
    official.language = "en"
    official.save(update_fields=["language"])
    workbook = download(client, official, assessment)
    assert workbook.sheetnames == ["Assessment", "Instructions", "meta"]
    sheet = workbook["Assessment"]
    assert [c.value for c in sheet[1]][:8] == [
        "Pillar",
        "Element",
        "Indicator code",
        "Indicator",
        "Level (choose)",
        "Reason it does not apply (N/A only)",
        "Narrative",
        "Target level (choose)",
    ]
    assert sheet.cell(2, 9).value == "2 – Managed"
    row = fill(sheet, "STR.S1.1", level="high")
    response = upload(client, assessment, as_bytes(workbook))
    assert response.status_code == 200
    assert problems(response) == [
        (
            "Assessment",
            row,
            "E",
            "“high” is not one of the choices. Pick a level from the drop-down list (for example "
            "“2 – Managed”), type its number, or N/A.",
        )
    ]
    fill(sheet, "STR.S1.1", level="2 – Managed")
    response = upload(client, assessment, as_bytes(workbook))
    assert "1 indicator updated, 54 unchanged." in client.get(response["Location"]).content.decode()


def test_a_workbook_downloaded_in_indonesian_is_read_for_an_english_user(
    client, official, assessment
):
    workbook = download(client, official, assessment)
    fill(workbook["Penilaian"], "STR.S1.1", level="2 – Terkelola")
    official.language = "en"
    official.save(update_fields=["language"])
    response = upload(client, assessment, as_bytes(workbook))
    assert response.status_code == 302
    assert assessment.responses.get(indicator__code="STR.S1.1").self_level == 2


# --- After submission: a read-only record with the verification --------------------------------
REASON = "SK tim belum ditetapkan; layanan daring baru di satu OPD."


@pytest.mark.parametrize("approve", [False, True])
def test_a_submitted_or_approved_assessment_downloads_as_a_locked_record_with_the_verification(
    client, official, facilitator, assessment, approve
):
    answer_everything(assessment, official)
    services.assessment_submit(assessment=assessment, user=official)
    adjusted = assessment.responses.select_related("indicator", "assessment").get(
        indicator__code="GOV.G1.1"
    )
    services.response_verify(response=adjusted, user=facilitator, verified_level=1, reason=REASON)
    if approve:
        services.assessment_approve(assessment=assessment, user=facilitator)
    workbook = download(client, official, assessment)
    sheet = workbook["Penilaian"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[len(HEADERS_ID) :] == ["Verifikasi", "Level terverifikasi", "Alasan fasilitator"]
    row = row_of(sheet, "GOV.G1.1")
    assert [sheet.cell(row, column).value for column in (5, 16, 17, 18)] == [
        "2 – Terkelola", "Disesuaikan", "1 – Rintisan", REASON,
    ]  # fmt: skip
    other = row_of(sheet, "GOV.G1.2")
    expected = (
        ["Diterima", "2 – Terkelola", None] if approve else ["Belum diverifikasi", None, None]
    )
    assert [sheet.cell(other, column).value for column in (16, 17, 18)] == expected
    # Read-only: the sheet is protected, no cell is left unlocked, there is nothing to choose.
    assert sheet.protection.sheet
    unlocked = [cell.coordinate for line in sheet.iter_rows() for cell in line
                if not cell.protection.locked]  # fmt: skip
    assert unlocked == []
    assert not sheet.data_validations.dataValidation
    notes = " ".join(str(c.value) for line in workbook["Petunjuk"].iter_rows() for c in line)
    assert "tidak dapat diunggah" in notes


def test_a_draft_still_downloads_as_the_template_to_fill_in(client, official, assessment):
    sheet = download(client, official, assessment)["Penilaian"]
    assert [cell.value for cell in sheet[1]] == HEADERS_ID
    assert not sheet.cell(row_of(sheet, "GOV.G1.1"), 5).protection.locked
    assert sheet.data_validations.dataValidation
