"""Evidence of an answer: files (checked by content) and links; each change is a new version."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from assessments import evidence_types
from assessments.models import Evidence, EvidenceKind, IndicatorResponse
from assessments.services.errors import InvalidInput
from assessments.services.filling import (
    claim_version,
    mark_flag_addressed,
    reopen_review,
    require_editor,
)
from smartcity.models import User


@transaction.atomic
def evidence_add_file(
    *, response: IndicatorResponse, user: User, upload: UploadedFile, description: str = ""
) -> Evidence:
    """Store an uploaded evidence file after checking its size and its real type (by content)."""
    require_editor(response.assessment, user)
    try:
        content = evidence_types.read_checked(upload)
    except evidence_types.EvidenceRejected as rejected:
        raise InvalidInput({"file": str(rejected)}) from rejected
    digest = hashlib.sha256(content.data).hexdigest()
    evidence = Evidence(
        response=response,
        kind=EvidenceKind.FILE,
        original_name=content.original_name,
        content_type=content.content_type,
        size=len(content.data),
        sha256=digest,
        description=description.strip(),
        uploaded_by=user,
    )
    evidence.file.save(f"upload.{content.extension}", ContentFile(content.data), save=False)
    evidence.save()
    _touch(response, user)
    return evidence


@transaction.atomic
def evidence_add_link(
    *, response: IndicatorResponse, user: User, url: str, description: str = ""
) -> Evidence:
    """Record a link to evidence published elsewhere (a portal, a JDIH page, a drive)."""
    require_editor(response.assessment, user)
    evidence = Evidence.objects.create(
        response=response,
        kind=EvidenceKind.LINK,
        url=url,
        description=description.strip(),
        uploaded_by=user,
    )
    _touch(response, user)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: User) -> None:
    """Remove evidence from an answer; its history (and the stored file) are kept."""
    response = evidence.response
    require_editor(response.assessment, user)
    evidence.delete()
    _touch(response, user)


def _touch(response: IndicatorResponse, user: User) -> None:
    """Evidence changed: the answer moves to its next version, is no longer purely carried over,
    and needs a new review. Saved (not updated) so that the history records it."""
    claim_version(response, None)
    response.carried_over = False
    response.updated_by = user
    reopen_review(response)
    mark_flag_addressed(response)
    response.save()
