"""The hostile-file corpus against every upload path: the evidence upload (view and service) and
the Excel upload (view and reader). Each file is refused with its own clear message, and nothing
is written: no Evidence row, no file in MEDIA_ROOT, no answer, version or event changed."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from assessments import evidence_types, excel, services
from assessments.models import Evidence
from assessments.selectors import assessment_sheet
from tests.assessments.test_evidence import add_url, signed_in, stored_files
from tests.assessments.test_excel import snapshot, upload
from tests.fixtures.hostile import make_corpus as corpus
from tests.fixtures.hostile.make_corpus import CORPUS, GOOD, Hostile

MIB = 1024 * 1024
IDS = [case.name for case in CORPUS]


def reason_message(case: Hostile) -> str:
    """The container's own message (the Excel upload gives it without the file name)."""
    msgid, params = case.reason
    with translation.override("id"):
        return gettext(msgid) % {k: v() if callable(v) else v for k, v in params.items()}


def expected_message(case: Hostile, name: str) -> str:
    """The case's message as an Indonesian official reads it."""
    with translation.override("id"):
        params = {k: v() if callable(v) else v for k, v in case.params.items()}
        if case.reason:
            params["reason"] = reason_message(case)
        translated = gettext(case.message)
        if case.message != corpus.IN_CONTAINER:  # "%(name)s: %(reason)s" reads the same
            assert translated != case.message, f"not translated: {case.message}"
        return translated % {"name": name, **params}


@pytest.fixture
def g1(assessment):
    return assessment.responses.select_related("indicator").get(indicator__code="GOV.G1.1")


@pytest.fixture(scope="module")
def built():
    """Each hostile file, built once for the module."""
    return {case.name: case.build() for case in CORPUS}


# --- Evidence --------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CORPUS, ids=IDS)
def test_evidence_upload_refuses_each_hostile_file_and_writes_nothing(
    assessment, g1, official, built, case
):
    before, answers = stored_files(), snapshot(assessment)
    reply = signed_in(official).post(
        add_url(assessment, g1),
        {"kind": "file", "file": SimpleUploadedFile(case.name, built[case.name])},
        HTTP_HX_REQUEST="true",
    )
    assert reply.status_code == 422
    assert escape(expected_message(case, case.name)) in reply.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files() == before
    assert snapshot(assessment) == answers


@pytest.mark.parametrize("case", CORPUS, ids=IDS)
def test_evidence_service_refuses_each_hostile_file(g1, official, built, case):
    upload_file = SimpleUploadedFile(case.name, built[case.name])
    with translation.override("id"), pytest.raises(services.AssessmentError) as refused:
        services.evidence_add_file(response=g1, user=official, upload=upload_file)
    assert str(refused.value) == expected_message(case, case.name)
    assert not Evidence.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_read(assessment, g1, official, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    data = corpus.pdf() + b"\n%" + b"0" * MIB
    reply = signed_in(official).post(
        add_url(assessment, g1), {"kind": "file", "file": SimpleUploadedFile("besar.pdf", data)}
    )
    assert reply.status_code == 422
    with translation.override("id"):
        message = gettext(corpus.TOO_LARGE) % {
            "name": "besar.pdf",
            "size": filesizeformat(len(data)),
            "max": filesizeformat(MIB),
        }
    assert escape(message) in reply.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("name", list(GOOD))
def test_good_files_of_every_kind_pass_the_same_checks(name):
    checked = evidence_types.read_checked(SimpleUploadedFile(name, GOOD[name]()))
    assert checked.original_name == name
    assert checked.content_type == evidence_types.CONTENT_TYPES[checked.extension]


def test_an_html_file_named_pdf_is_told_its_contents_are_not_a_pdf(g1, official):
    upload_file = SimpleUploadedFile("Laporan.pdf", corpus.HTML)
    with translation.override("id"), pytest.raises(services.AssessmentError) as refused:
        services.evidence_add_file(response=g1, user=official, upload=upload_file)
    assert str(refused.value).startswith("Isi berkas Laporan.pdf bukan PDF")


def evidence_peak_memory(data: bytes) -> int:
    """Bytes allocated at most while the evidence check refuses `data`."""
    tracemalloc.start()
    try:
        with pytest.raises(evidence_types.EvidenceRejected):
            evidence_types.read_checked(SimpleUploadedFile("bom.docx", data))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


@pytest.mark.parametrize(
    "build", [corpus.docx_bomb, corpus.content_types_bomb], ids=["document", "content types"]
)
def test_a_1_gib_docx_bomb_is_refused_in_little_memory(build):
    data = build()
    assert len(data) < 2 * MIB
    assert evidence_peak_memory(data) < 4 * MIB


def test_a_bomb_lying_about_its_size_unpacks_no_more_than_it_declares():
    assert evidence_peak_memory(corpus.docx_bomb(1024, declared=1000)) < 4 * MIB


# --- Excel -----------------------------------------------------------------------------------
EXCEL_BOMB = corpus.xlsx_bomb  # the probe's file: `mimetype` unpacks to 1 GiB


def test_the_excel_reader_refuses_a_1_gib_bomb_in_little_memory(assessment):
    data = EXCEL_BOMB()
    context = excel.upload_context(assessment_sheet(assessment, details=False))
    tracemalloc.start()
    try:
        with translation.override("id"):
            result = excel.read_upload(data, context)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MIB
    assert [p.message for p in result.problems] == [
        expected_message(
            Hostile("", EXCEL_BOMB, corpus.UNPACKS_TO, corpus.GIB_UNPACKED), "bom.xlsx"
        )
    ]
    assert not result.changes


@pytest.mark.parametrize("case", CORPUS, ids=IDS)
def test_excel_upload_refuses_each_hostile_file_and_changes_nothing(
    client, official, assessment, built, case
):
    client.force_login(official)
    before, answers = stored_files(), snapshot(assessment)
    reply = upload(client, assessment, built[case.name], name=case.name)
    assert reply.status_code == 200
    form = reply.context["form"]
    refusals = [p.message for p in reply.context["problems"]] or form.errors.get("workbook", [])
    assert refusals, "the file was not refused"
    html = reply.content.decode()
    assert all(escape(message) in html for message in refusals)
    assert snapshot(assessment) == answers
    assert stored_files() == before
    if case.is_bomb and case.reason:
        assert refusals == [reason_message(case)]


def test_excel_upload_of_the_probes_bomb_through_the_view(client, official, assessment):
    client.force_login(official)
    answers = snapshot(assessment)
    reply = upload(client, assessment, EXCEL_BOMB(), name="penilaian.xlsx")
    messages = [p.message for p in reply.context["problems"]]
    with translation.override("id"):
        expected = gettext(corpus.UNPACKS_TO) % {k: v() for k, v in corpus.GIB_UNPACKED.items()}
    assert messages == [expected]
    assert snapshot(assessment) == answers


def test_readable_workbook_with_a_huge_part_is_refused_by_the_ratio(assessment):
    context = excel.upload_context(assessment_sheet(assessment, details=False))
    with translation.override("id"):
        result = excel.read_upload(corpus.xlsx_bomb(64, member="xl/styles.xml"), context)
        expected = gettext(corpus.PACKED) % {"part": "xl/styles.xml", "ratio": 1011}
    assert [p.message for p in result.problems] == [expected]


def test_corpus_writes_every_file(tmp_path, capsys):
    corpus.main(str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(IDS)
    assert (tmp_path / "setup.doc").read_bytes().startswith(b"MZ")
    assert str(len(CORPUS)) in capsys.readouterr().out
