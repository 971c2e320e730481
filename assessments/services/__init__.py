"""Writes of the assessment workflow. Keyword-only, typed, atomic; permissions checked here too.

Views check scope first (404 outside it); these functions still refuse a user or a state that may
not act, so no caller (web form, Excel upload, command) can skip a rule. One module per area:
`cycles`, `filling`, `evidence`, `review`, `imports`, `reports`; `errors` holds the refusals and
`events` the timeline. The public names are re-exported here (`services.response_save(...)`).
"""

from assessments.services.cycles import (
    assessment_extend_deadline,
    cycle_close,
    cycle_open,
    cycle_opening_run,
)
from assessments.services.errors import (
    AssessmentError,
    InvalidInput,
    StaleResponse,
    SubmissionRefused,
    UnaddressedFlags,
    WrongState,
)
from assessments.services.evidence import evidence_add_file, evidence_add_link, evidence_remove
from assessments.services.filling import (
    SaveOutcome,
    SaveState,
    assessment_submit,
    response_autosave,
    response_flag_address,
    response_save,
)
from assessments.services.imports import AnswerChange, ImportSummary, assessment_import_answers
from assessments.services.reports import (
    CycleSummary,
    cycle_scores_compute,
    cycle_scores_request,
    cycle_scores_run,
    cycle_scores_write,
    gap_report_build,
    gap_report_queue,
    gap_report_request,
    latest_report,
    report_refusal,
    summary_of,
)
from assessments.services.review import (
    COMMENT_MAX_LENGTH,
    Flag,
    assessment_approve,
    assessment_return,
    response_comment_add,
    response_verify,
)

__all__ = [
    "COMMENT_MAX_LENGTH",
    "AnswerChange",
    "AssessmentError",
    "CycleSummary",
    "Flag",
    "ImportSummary",
    "InvalidInput",
    "SaveOutcome",
    "SaveState",
    "StaleResponse",
    "SubmissionRefused",
    "UnaddressedFlags",
    "WrongState",
    "assessment_approve",
    "assessment_extend_deadline",
    "assessment_import_answers",
    "assessment_return",
    "assessment_submit",
    "cycle_close",
    "cycle_open",
    "cycle_scores_compute",
    "cycle_scores_request",
    "cycle_scores_run",
    "cycle_scores_write",
    "cycle_opening_run",
    "evidence_add_file",
    "evidence_add_link",
    "evidence_remove",
    "gap_report_build",
    "gap_report_queue",
    "gap_report_request",
    "latest_report",
    "report_refusal",
    "response_autosave",
    "response_comment_add",
    "response_flag_address",
    "response_save",
    "response_verify",
    "summary_of",
]
