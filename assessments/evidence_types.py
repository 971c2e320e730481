"""Which evidence files we accept, decided by their content and structure, not only by their name.

Accepted: PDF, PNG/JPEG/GIF/WebP images, Office Open XML documents (docx/xlsx/pptx) and
OpenDocument files (odt/ods/odp). Each is opened the way its reader would open it: a PDF by pypdf
(refused when it carries JavaScript, launch or other automatic actions, or embedded files), an
image by Pillow (verified and decoded), an Office or OpenDocument file as a zip through
`smartcity.containers` (capped, so a zip bomb is refused before it is unpacked) and refused when it
carries macros, embedded programs, web pages or objects, or loads parts from outside the file.
Legacy binary Office files (.doc/.xls/.ppt) are refused: their macros cannot be checked.
Anything else (executables, HTML, SVG, archives) is refused, and so is a file whose content does
not match its name.
"""

import io
import os
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from smartcity import containers

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LEGACY_OFFICE = {"doc", "dot", "xls", "xlt", "ppt", "pot", "pps"}
OPEN_XML = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
OPEN_DOCUMENT = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# Names people give files that are the same type as the detected one.
SAME_TYPE = {"jpeg": "jpg", "jpe": "jpg"}
ACCEPTED_NAMES = "PDF, JPG, PNG, GIF, WebP, DOCX, XLSX, PPTX, ODT, ODS, ODP"

# Parts of an Office or OpenDocument file that run, or hold what runs: never in evidence.
RUNNABLE_PARTS = {
    "exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf",
    "wsh", "hta", "htm", "html", "xhtml", "mht", "mhtml", "jar", "lnk", "sh", "php", "py",
    "zip", "rar", "7z", "docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppam",
}  # fmt: skip
CODE_FOLDERS = ("basic/", "scripts/")  # OpenDocument macro modules and scripts
PDF_ACTIVE_KEYS = {"/JavaScript", "/JS", "/Launch", "/AA", "/EmbeddedFile", "/EmbeddedFiles",
                   "/EF", "/RichMedia", "/XFA"}  # fmt: skip
PDF_ACTIVE_TYPES = {"/EmbeddedFile", "/FileAttachment", "/RichMedia", "/Movie", "/Sound"}
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/Rendition", "/GoToE",
                      "/SubmitForm", "/RichMediaExecute"}  # fmt: skip
PDF_MAX_OBJECTS = 200_000
HTML_IN_FILE = re.compile(rb"<\s*(?:script|html|body|iframe)\b", re.IGNORECASE)
IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "gif": "GIF", "webp": "WEBP"}
MAX_IMAGE_PIXELS = 50_000_000  # a 50-megapixel photo; more is a decompression bomb or a poster
RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>", re.IGNORECASE)
EXTERNAL = re.compile(rb"TargetMode\s*=\s*[\"']External", re.IGNORECASE)
HYPERLINK = re.compile(rb"Type\s*=\s*[\"'][^\"']*/hyperlink[\"']", re.IGNORECASE)
TARGET = re.compile(rb"Target\s*=\s*[\"']([^\"']*)", re.IGNORECASE)


class EvidenceRejected(Exception):
    """The file is not acceptable evidence; the message says why, in the user's language."""


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    original_name: str
    extension: str
    content_type: str


# Also the browser's message (static/js/upload_limit.js fills in the placeholders).
TOO_LARGE = gettext_lazy("%(name)s is %(size)s; files may be at most %(max)s.")


def max_upload_bytes() -> int:
    return settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024


def read_checked(upload: UploadedFile) -> CheckedFile:
    """Read an upload and return it with its real type; raises EvidenceRejected."""
    original_name = os.path.basename((upload.name or "").replace("\\", "/"))[:255] or "bukti"
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise EvidenceRejected(
            str(TOO_LARGE)
            % {
                "name": original_name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(limit),
            }
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise EvidenceRejected(
            _("%(name)s is larger than %(max)s.")
            % {"name": original_name, "max": filesizeformat(limit)}
        )
    if not data:
        raise EvidenceRejected(_("%(name)s is empty.") % {"name": original_name})
    named = original_name.rsplit(".", 1)[-1].lower() if "." in original_name else ""
    named = SAME_TYPE.get(named, named)
    kind = _checked_kind(data, named, original_name)
    return CheckedFile(data, original_name, kind, CONTENT_TYPES[kind])


def _checked_kind(data: bytes, named: str, name: str) -> str:
    """The file's kind once its whole structure passed; raises EvidenceRejected."""
    if named in LEGACY_OFFICE or data.startswith(OLE2_SIGNATURE):
        raise EvidenceRejected(
            _(
                "%(name)s is in an old Office format (.doc, .xls or .ppt), which can carry "
                "macros we cannot check. Save it as .docx, .xlsx or .pptx, or as PDF, and "
                "upload that file."
            )
            % {"name": name}
        )
    kind = detect_kind(data, name)
    if kind is None:
        if named in CONTENT_TYPES:
            raise _not_a(name, named)
        raise EvidenceRejected(
            _("%(name)s is not a file type we accept as evidence. Accepted: %(types)s.")
            % {"name": name, "types": ACCEPTED_NAMES}
        )
    if named and named != kind:
        raise EvidenceRejected(
            _(
                "%(name)s is named .%(named)s but its content is a %(kind)s file. "
                "Rename or re-export it."
            )
            % {"name": name, "named": named, "kind": kind.upper()}
        )
    if kind == "pdf":
        _check_pdf(data, name)
    elif kind in IMAGE_FORMATS:
        _check_image(data, kind, name)
    return kind


def detect_kind(data: bytes, name: str = "") -> str | None:
    """The file type by its first bytes; Office and OpenDocument files by their inner structure
    (raises EvidenceRejected when such a file carries code or would unpack to too much)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"PK\x03\x04"):
        try:
            with containers.open_zip(data) as archive:
                return _zip_kind(archive, name)
        except containers.ContainerDamaged:
            return None
        except containers.ContainerRefused as refused:
            raise EvidenceRejected(
                _("%(name)s: %(reason)s") % {"name": name, "reason": refused}
            ) from refused
    return None


def _not_a(name: str, kind: str) -> EvidenceRejected:
    return EvidenceRejected(
        _(
            "The contents of %(name)s are not a %(kind)s, although it is named .%(named)s. "
            "Upload the real %(kind)s file, or export it again."
        )
        % {"name": name, "kind": kind.upper(), "named": kind}
    )


# --- Office Open XML and OpenDocument --------------------------------------------------------
def _zip_kind(archive: containers.SafeZip, name: str) -> str | None:
    lowered = [member.lower() for member in archive.names]
    if "mimetype" in archive.names:
        mimetype = archive.read("mimetype", limit=200).decode("ascii", "replace").strip()
        kind = OPEN_DOCUMENT.get(mimetype)
        if kind and any(member.startswith(CODE_FOLDERS) for member in lowered):
            raise _macros(name)
    elif "[Content_Types].xml" in archive.names:
        types = archive.read("[Content_Types].xml").lower()
        if b"macroenabled" in types or b"vbaproject" in types:
            raise _macros(name)  # .docm/.xlsm/.pptm, whatever the file is called
        kind = next(
            (k for prefix, k in OPEN_XML.items() if any(m.startswith(prefix) for m in lowered)),
            None,
        )
    else:
        return None
    if kind is not None:
        archive.verify()
        _refuse_runnable_parts(archive.names, name)
        if kind in ("docx", "xlsx", "pptx"):
            _refuse_external_parts(archive, name)
    return kind


def _macros(name: str) -> EvidenceRejected:
    return EvidenceRejected(
        _(
            "%(name)s contains macros (program code), which we do not accept as evidence. Save "
            "it without macros as .docx, .xlsx, .pptx or an OpenDocument file, or as PDF, and "
            "upload that copy."
        )
        % {"name": name}
    )


def _refuse_runnable_parts(members: list[str], name: str) -> None:
    for member in members:
        lowered = member.lower()
        extension = lowered.rsplit(".", 1)[-1] if "." in lowered.rsplit("/", 1)[-1] else ""
        binary = extension == "bin" and "printersettings" not in lowered
        if lowered.startswith(CODE_FOLDERS) or "vbaproject" in lowered or "vbadata" in lowered:
            raise _macros(name)
        if extension in RUNNABLE_PARTS or binary or "/activex/" in f"/{lowered}":
            raise EvidenceRejected(
                _(
                    "%(name)s contains an embedded program, web page or object (%(part)s) that "
                    "we cannot check. Save a copy without it, or as PDF, and upload that."
                )
                % {"name": name, "part": member[:80]}
            )


def _refuse_external_parts(archive: containers.SafeZip, name: str) -> None:
    """Links are fine; a template, object or frame fetched from elsewhere when opened is not."""
    for member in archive.names:
        if not member.lower().endswith(".rels"):
            continue
        for tag in RELATIONSHIP.findall(archive.read(member)):
            if EXTERNAL.search(tag) and not HYPERLINK.search(tag):
                target = TARGET.search(tag)
                shown = target.group(1).decode("utf-8", "replace")[:80] if target else "?"
                raise EvidenceRejected(
                    _(
                        "%(name)s loads a part from outside the file when opened (%(target)s), "
                        "for example a remote template. Save a copy without it, or as PDF, and "
                        "upload that."
                    )
                    % {"name": name, "target": shown}
                )


# --- PDF -----------------------------------------------------------------------------------
def _check_pdf(data: bytes, name: str) -> None:
    """The file must open as a PDF with pages, and carry no scripts, actions or attachments."""
    if HTML_IN_FILE.search(data):
        raise _active_pdf(name)  # a PDF that is also a web page to a browser
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise EvidenceRejected(
                _(
                    "%(name)s is protected by a password, so it cannot be checked. Save a copy "
                    "without a password and upload that."
                )
                % {"name": name}
            )
        if len(reader.pages) < 1:
            raise _not_a(name, "pdf")
        active = _pdf_has_active_content(reader)
    except EvidenceRejected:
        raise
    # pypdf fails in many ways on a damaged or fake PDF; each means it is not a readable PDF.
    except Exception as error:
        raise _not_a(name, "pdf") from error
    if active:
        raise _active_pdf(name)


def _pdf_has_active_content(reader: PdfReader) -> bool:
    """Walk every object reachable from the trailer (each once) looking for active content."""
    stack: list[object] = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            return True  # too many objects to check is not a document we accept
        if isinstance(item, DictionaryObject):
            if PDF_ACTIVE_KEYS.intersection(item.keys()):
                return True
            if item.get("/S") in PDF_ACTIVE_ACTIONS:
                return True
            if PDF_ACTIVE_TYPES.intersection((item.get("/Type"), item.get("/Subtype"))):
                return True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def _active_pdf(name: str) -> EvidenceRejected:
    return EvidenceRejected(
        _(
            "%(name)s contains scripts, automatic actions or embedded files, which we do not "
            "accept in evidence. Print or save it as a new PDF (for example with “Print to PDF”) "
            "and upload that."
        )
        % {"name": name}
    )


# --- Images --------------------------------------------------------------------------------
def _check_image(data: bytes, kind: str, name: str) -> None:
    """Pillow must recognise the image as its kind, verify it, and decode it."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != IMAGE_FORMATS[kind]:
                raise _not_a(name, kind)
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise _too_many_pixels(name)
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            # A JPEG decodes at an eighth of its size: every block is still read, in less memory.
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(name) from error
    except EvidenceRejected:
        raise
    # Pillow raises many kinds of errors on a damaged or fake image; each means "not an image".
    except Exception as error:
        raise _not_a(name, kind) from error


def _too_many_pixels(name: str) -> EvidenceRejected:
    return EvidenceRejected(
        _(
            "%(name)s has more than %(max)d megapixels. Scale it down (for example to 4000 "
            "pixels wide) and upload it again."
        )
        % {"name": name, "max": MAX_IMAGE_PIXELS // 1_000_000}
    )
