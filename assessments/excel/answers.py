"""An answer as the workbook carries it, and the checksum that tells an untouched row.

Each answer row carries the checksum of the answer as downloaded, so that a row the official did
not touch is never taken for a change (nor for a conflict with someone who saved the indicator
online in the meantime).
"""

import hashlib
import json

from assessments.rules import Answer, normalised
from assessments.selectors import SheetRow


def stored_answer(row: SheetRow) -> Answer:
    """The answer stored now for a row of the sheet."""
    response = row.response
    return Answer(
        self_level=response.self_level,
        not_applicable=response.not_applicable,
        na_reason=response.na_reason,
        narrative=response.narrative,
        target_level=response.stated_target,
    )


def checksum(answer: Answer) -> str:
    """A short fingerprint of the normalised answer, written to and read from the hidden column."""
    a = normalised(answer)
    payload = [a.self_level, a.not_applicable, a.na_reason, a.narrative, a.target_level]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:16]
