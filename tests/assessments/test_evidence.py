"""Evidence on the element page: real files in, checked by content, stored with a checksum outside
static/, served only in scope; every refusal says why and stores nothing."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentStatus, Evidence, EvidenceKind
from tests.assessments.conftest import answer_everything
from tests.fixtures.hostile import make_corpus
from tests.helpers import HTMX, in_indonesian, pdf_bytes, png_bytes, signed_in

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- Real files, built in memory ---------------------------------------------------------------
def office_bytes(*, macro: bool = False) -> bytes:
    main = "application/vnd.ms-word.document.macroEnabled.main+xml" if macro else DOCX + ".main+xml"
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>SK Tim Smart City</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def add_url(assessment, response) -> str:
    return reverse("assessments:evidence_add", args=[assessment.pk, response.pk])


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def official_client(official):
    return signed_in(official)


# --- Accepted files ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "build", "content_type", "inline"),
    [
        ("SK Tim.pdf", pdf_bytes, "application/pdf", True),
        ("foto-ruang-server.png", png_bytes, "image/png", True),
        ("Laporan.docx", office_bytes, DOCX, False),
    ],
)
def test_upload_is_stored_outside_static_with_its_checksum_and_served_in_scope(
    assessment, g1, official_client, other_official, outsider, name, build, content_type, inline
):
    data = build()
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    reply = official_client.post(
        add_url(assessment, g1), {"kind": "file", "file": upload, "description": "SK 2025"}
    )
    assert reply.status_code == 302
    evidence = Evidence.objects.get(response=g1)
    assert (evidence.kind, evidence.original_name, evidence.description) == (
        "file",
        name,
        "SK 2025",
    )
    assert evidence.content_type == content_type  # from the content, not the browser's claim
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.size == len(data)
    stored = Path(evidence.file.path)
    assert stored.read_bytes() == data
    assert stored.is_relative_to(settings.MEDIA_ROOT)
    assert not stored.is_relative_to(settings.BASE_DIR / "static")
    assert evidence.sha256 in stored.name  # never the uploader's file name
    g1.refresh_from_db()
    assert g1.version == 2  # the answer moved on with its evidence

    url = reverse("assessments:evidence_file", args=[evidence.pk])
    served = official_client.get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == data
    assert served["Content-Type"] == content_type
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["X-Frame-Options"] == "SAMEORIGIN"
    disposition = served["Content-Disposition"]
    assert disposition.startswith("inline" if inline else "attachment")
    for stranger in (other_official, outsider):
        assert signed_in(stranger).get(url).status_code == 404


def test_upload_over_htmx_returns_the_evidence_list_and_the_new_version(
    assessment, g1, official_client
):
    upload = SimpleUploadedFile("SK.pdf", pdf_bytes())
    reply = official_client.post(add_url(assessment, g1), {"kind": "file", "file": upload}, **HTMX)
    html = reply.content.decode()
    assert reply.status_code == 200
    assert f'<section id="evidence-{g1.pk}"' in html
    assert "SK.pdf diunggah ke GOV.G1.1." in html
    assert f'id="version-{g1.pk}" value="2" hx-swap-oob="true"' in html


def test_element_page_lists_files_and_links(assessment, g1, official_client):
    upload = SimpleUploadedFile("SK.pdf", pdf_bytes())
    official_client.post(add_url(assessment, g1), {"kind": "file", "file": upload})
    link = {"url": "https://jdih.example.go.id/perda-3", "description": "Perda 3/2024"}
    official_client.post(add_url(assessment, g1), {"kind": "link", **link})
    html = official_client.get(
        reverse("assessments:element", args=[assessment.pk, "GOV.G1"])
    ).content.decode()
    pdf = Evidence.objects.get(response=g1, kind=EvidenceKind.FILE)
    assert reverse("assessments:evidence_file", args=[pdf.pk]) in html
    assert "SK.pdf" in html and "lihat" in html
    assert 'href="https://jdih.example.go.id/perda-3"' in html and "Perda 3/2024" in html


# --- Refused files -------------------------------------------------------------------------------
def too_big() -> bytes:
    return b"%PDF-1.4\n" + b"0" * int(1.1 * 1024 * 1024)


REFUSED_FILES = [
    ("setup.exe", lambda: b"MZ\x90\x00" + b"\x00" * 200, "not a file type"),
    ("surat.pdf", lambda: b"<!doctype html><script>alert(1)</script>", "not a PDF"),
    ("foto.pdf", png_bytes, "content is a"),
    ("makro.docm", lambda: office_bytes(macro=True), "macros"),
    ("kosong.pdf", lambda: b"", "empty"),
    ("besar.pdf", too_big, "larger"),
]  # fmt: skip
MESSAGES = {
    "not a file type": (
        "%(name)s is not a file type we accept as evidence. Accepted: %(types)s.",
        {"types": make_corpus.ACCEPTED_TYPES},
    ),
    "not a PDF": (make_corpus.NOT_A, {"kind": "PDF", "named": "pdf"}),
    "macros": (make_corpus.MACROS, {}),
    "content is a": (
        "%(name)s is named .%(named)s but its content is a %(kind)s file. Rename or re-export it.",
        {"named": "pdf", "kind": "PNG"},
    ),
    "empty": ("%(name)s is empty.", {}),
    "larger": (
        "%(name)s is %(size)s; files may be at most %(max)s.",
        {
            "size": lambda: filesizeformat(len(too_big())),
            "max": lambda: filesizeformat(1024 * 1024),
        },
    ),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(
    ("name", "build", "reason"), REFUSED_FILES, ids=[r[0] for r in REFUSED_FILES]
)
def test_refused_file_says_why_and_stores_nothing(
    assessment, g1, official_client, settings, name, build, reason, htmx
):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    before = stored_files()
    upload = SimpleUploadedFile(name, build())
    headers = HTMX if htmx else {}
    reply = official_client.post(
        add_url(assessment, g1), {"kind": "file", "file": upload}, **headers
    )
    html = reply.content.decode()
    assert reply.status_code == 422
    message, params = MESSAGES[reason]
    assert in_indonesian(message, name=name, **params) in html
    assert 'class="alert alert-danger py-2 small evidence-error"' in html
    assert not Evidence.objects.filter(response=g1).exists()
    assert stored_files() == before
    g1.refresh_from_db()
    assert g1.version == 1


def test_upload_without_a_file_is_refused(assessment, g1, official_client):
    reply = official_client.post(add_url(assessment, g1), {"kind": "file"}, **HTMX)
    assert reply.status_code == 422
    assert "Pilih berkas yang akan diunggah." in reply.content.decode()


# --- Links ----------------------------------------------------------------------------------------
def test_link_is_added(assessment, g1, official_client):
    reply = official_client.post(
        add_url(assessment, g1),
        {"kind": "link", "url": "https://satudata.example.go.id/dataset/1", "description": "Data"},
    )
    assert reply.status_code == 302
    evidence = Evidence.objects.get(response=g1)
    assert (evidence.kind, evidence.url, evidence.file.name) == (
        "link",
        "https://satudata.example.go.id/dataset/1",
        "",
    )


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.cookie)", "ftp://files.example.go.id/sk.pdf", "jdih.example.go.id"],
)
def test_link_must_be_http_or_https(assessment, g1, official_client, url):
    reply = official_client.post(add_url(assessment, g1), {"kind": "link", "url": url}, **HTMX)
    html = reply.content.decode()
    assert reply.status_code == 422
    assert "Masukkan alamat web lengkap yang diawali http:// atau https://" in html
    assert not Evidence.objects.filter(response=g1).exists()


def test_overlong_link_is_refused(assessment, g1, official_client):
    url = "https://example.go.id/" + "a" * 1000
    reply = official_client.post(add_url(assessment, g1), {"kind": "link", "url": url})
    assert reply.status_code == 422
    assert "Alamat web paling banyak 1000 karakter." in reply.content.decode()
    assert not Evidence.objects.filter(response=g1).exists()


# --- Removing, and after submission ------------------------------------------------------------
def test_official_removes_evidence_and_another_region_cannot(
    assessment, g1, official_client, other_official
):
    upload = SimpleUploadedFile("SK.pdf", pdf_bytes())
    official_client.post(add_url(assessment, g1), {"kind": "file", "file": upload})
    evidence = Evidence.objects.get(response=g1)
    url = reverse("assessments:evidence_delete", args=[assessment.pk, evidence.pk])
    assert signed_in(other_official).post(url).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert official_client.get(url).status_code == 405  # only a POST removes

    reply = official_client.post(url, **HTMX)
    assert reply.status_code == 200
    assert "SK.pdf dihapus dari GOV.G1.1." in reply.content.decode()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert Evidence.history.filter(id=evidence.pk, history_type="-").exists()


def test_facilitator_cannot_add_or_remove_evidence(assessment, g1, facilitator):
    evidence = Evidence.objects.create(
        response=g1, kind=EvidenceKind.LINK, url="https://example.go.id/a"
    )
    client = signed_in(facilitator)
    added = client.post(add_url(assessment, g1), {"kind": "link", "url": "https://x.go.id/"})
    assert added.status_code == 403
    removed = client.post(
        reverse("assessments:evidence_delete", args=[assessment.pk, evidence.pk]), **HTMX
    )
    assert removed.status_code == 403
    assert list(Evidence.objects.filter(response=g1)) == [evidence]


def test_nothing_can_be_added_or_removed_after_submission(
    assessment, g1, official, official_client
):
    answer_everything(assessment, official)
    services.assessment_submit(assessment=assessment, user=official)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    before = stored_files()
    upload = SimpleUploadedFile("SK.pdf", pdf_bytes())
    reply = official_client.post(add_url(assessment, g1), {"kind": "file", "file": upload}, **HTMX)
    assert reply.status_code == 403
    assert (
        in_indonesian(
            "This assessment is %(status)s and can no longer be changed.",
            status=in_indonesian("Submitted").lower(),
        )
        in reply.content.decode()
    )
    assert stored_files() == before
    link = Evidence.objects.get(response=g1)
    removed = official_client.post(
        reverse("assessments:evidence_delete", args=[assessment.pk, link.pk])
    )
    assert removed.status_code == 403
    assert Evidence.objects.filter(pk=link.pk).exists()


def test_a_stored_link_that_is_not_http_is_never_clickable(assessment, g1, official_client):
    """Links from elsewhere (an old import, the admin) are shown as text unless http(s)."""
    Evidence.objects.create(response=g1, kind=EvidenceKind.LINK, url="javascript:alert(1)")
    html = official_client.get(
        reverse("assessments:element", args=[assessment.pk, "GOV.G1"])
    ).content.decode()
    assert "javascript:alert(1)" in html
    assert 'href="javascript:' not in html
