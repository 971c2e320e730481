"""Offline Excel: build an assessment's workbook, and read a filled-in one back.

Pure: no database access and no writes. The view hands in the loaded `selectors.Sheet`; reading
returns the answers to save and every problem found (sheet, row, column and message, in the active
language). The caller saves nothing while any problem exists.

The workbook has three sheets: the answers (one row per indicator, in framework order), the
instructions, and a hidden sheet with the identity of the assessment and the drop-down choices.
Each answer row carries hidden columns: the response id, its version at download, and a checksum
of the answer as downloaded, so that a row the official did not touch is never taken for a change
(nor for a conflict with someone who saved the indicator online in the meantime).

Modules: `layout` (columns, sheet names, choices: shared by both directions), `answers` (the
checksum), `build` with `instructions` and `styles` (writing), `read` with `rows` and `cells`
(parsing and checking an upload), `context` and `problems` (what reading is given and returns),
`forms` (the upload form).
"""

from assessments.excel.answers import stored_answer
from assessments.excel.build import build_workbook, file_name
from assessments.excel.context import (
    CurrentAnswer,
    RowChange,
    UploadContext,
    UploadResult,
    upload_context,
)
from assessments.excel.layout import (
    CONTENT_TYPE,
    FORMAT,
    answers_sheet_title,
    instructions_sheet_title,
)
from assessments.excel.problems import Problem, conflict_problem, file_problem, saved_by
from assessments.excel.read import read_upload

__all__ = [
    "CONTENT_TYPE",
    "FORMAT",
    "CurrentAnswer",
    "Problem",
    "RowChange",
    "UploadContext",
    "UploadResult",
    "answers_sheet_title",
    "build_workbook",
    "conflict_problem",
    "file_name",
    "file_problem",
    "instructions_sheet_title",
    "read_upload",
    "saved_by",
    "stored_answer",
    "upload_context",
]
