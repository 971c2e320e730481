"""Which evidence files we accept, decided by their content, not only by their name.

Accepted: PDF, PNG/JPEG/GIF/WebP images, Office documents (docx/xlsx/pptx, the older
doc/xls/ppt) and OpenDocument files. Anything else (executables, HTML, SVG, archives, macro
documents) is refused, as is a file whose content does not match its name.
"""

import io
import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
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
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# Names people give files that are the same type as the detected one.
SAME_TYPE = {"jpeg": "jpg", "jpe": "jpg"}
ACCEPTED_NAMES = "PDF, JPG, PNG, GIF, WebP, DOC(X), XLS(X), PPT(X), ODT, ODS, ODP"


class EvidenceRejected(Exception):
    """The file is not acceptable evidence; the message says why, in the user's language."""


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    original_name: str
    extension: str
    content_type: str


def max_upload_bytes() -> int:
    return settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return OPEN_DOCUMENT.get(
                    archive.read("mimetype").decode("ascii", "replace").strip()
                )
            if "[Content_Types].xml" in names:
                types = archive.read("[Content_Types].xml")
                if b"macroEnabled" in types:
                    return None  # .docm/.xlsm/.pptm: documents that carry code
                for prefix, kind in OPEN_XML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, KeyError, RuntimeError, ValueError):
        return None
    return None


def detect_kind(data: bytes, extension: str) -> str | None:
    """The file type by its first bytes (and, for Office containers, their inner structure)."""
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
        return _zip_kind(data)
    if data.startswith(OLE2_SIGNATURE):
        # The old binary Office formats share one container; trust the name among those three.
        return extension if extension in ("doc", "xls", "ppt") else None
    return None


def read_checked(upload: UploadedFile) -> CheckedFile:
    """Read an upload and return it with its real type; raises EvidenceRejected."""
    original_name = os.path.basename((upload.name or "").replace("\\", "/"))[:255] or "bukti"
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise EvidenceRejected(
            _("%(name)s is %(size)s; files may be at most %(max)s.")
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
    kind = detect_kind(data, named)
    if kind is None:
        raise EvidenceRejected(
            _("%(name)s is not a file type we accept as evidence. Accepted: %(types)s.")
            % {"name": original_name, "types": ACCEPTED_NAMES}
        )
    if named and named != kind:
        raise EvidenceRejected(
            _(
                "%(name)s is named .%(named)s but its content is a %(kind)s file. "
                "Rename or re-export it."
            )
            % {"name": original_name, "named": named, "kind": kind.upper()}
        )
    return CheckedFile(data, original_name, kind, CONTENT_TYPES[kind])
