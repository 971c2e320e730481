"""The answer rows of an upload, one by one: which indicator, what answer, and what to do with it.

A row is unchanged (as downloaded, or equal to what is stored now), a change to save, or a
problem: a broken identity, a value that is not a choice, a broken rule, or a conflict with a save
made online since the download.
"""

from dataclasses import replace

from django.utils.translation import gettext as _

from assessments.excel.answers import checksum
from assessments.excel.cells import (
    EXAMPLE,
    INVALID,
    NA,
    cell_choice,
    cell_text,
    cell_user_text,
    cell_whole,
    level_choices,
)
from assessments.excel.context import CurrentAnswer, RowChange, UploadContext, UploadResult
from assessments.excel.problems import cell_problem, conflict_problem
from assessments.rules import Answer, answer_problems, default_target, normalised

# Which column a rule's field name (from rules.answer_problems) points at.
FIELD_COLUMN = {
    "self_level": "level",
    "not_applicable": "level",
    "na_reason": "na_reason",
    "narrative": "narrative",
    "target_level": "target",
}

Refusal = tuple[str, str]  # the key of the column at fault, and the message


class RowReader:
    """Reads the answer rows one by one, collecting changes, unchanged rows and problems."""

    def __init__(self, sheet_title: str, context: UploadContext) -> None:
        self.sheet_title = sheet_title
        self.context = context
        self.choices = level_choices(context.levels)
        self.seen_codes: dict[str, int] = {}
        self.seen_ids: dict[int, int] = {}
        self.result = UploadResult()

    def refuse(self, number: int, key: str, message: str) -> None:
        """Record a problem in the column `key` of row `number`."""
        self.result.problems.append(cell_problem(self.sheet_title, number, key, message))

    def read(self, number: int, cells: dict) -> None:
        """Read row `number`, given as column key -> cell value."""
        current = self._identify(number, cells)
        if current is None:
            return
        answer = self._answer(number, cells)
        if answer is None:
            return
        if cell_text(cells["checksum"]) == checksum(answer):
            self.result.unchanged += 1  # as downloaded: never a change, never a conflict
            return
        rule_problems = answer_problems(answer, current.indicator, self.context.scale)
        for field_name, message in rule_problems.items():
            self.refuse(number, FIELD_COLUMN.get(field_name, "level"), message)
        if not rule_problems:
            self._classify(number, answer, cell_whole(cells["version"]), current)

    def _identify(self, number: int, cells: dict) -> CurrentAnswer | None:
        """The stored answer this row is about, if its code and hidden id are intact."""
        code = cell_text(cells["code"])
        current = self.context.current.get(code)
        response_id, version = cell_whole(cells["response_id"]), cell_whole(cells["version"])
        # Every row is recorded before it is judged, so that a repeat names the first row.
        code_row = self.seen_codes.setdefault(code, number) if code else number
        id_row = self.seen_ids.setdefault(response_id, number) if response_id else number
        refusal = _code_refusal(code, current, first_row=code_row, number=number)
        if refusal is None and current is not None:
            refusal = _hidden_refusal(
                current, code, response_id, version, first_row=id_row, number=number
            )
        if refusal is not None:
            self.refuse(number, *refusal)
            return None
        return current

    def _answer(self, number: int, cells: dict) -> Answer | None:
        """The answer the row states, or None when its level or target is not a choice."""
        level = cell_choice(cells["level"], self.choices)
        target = cell_choice(cells["target"], self.choices)
        if level is INVALID:
            self.refuse(
                number,
                "level",
                _(
                    "“%(value)s” is not one of the choices. Pick a level from the drop-down list "
                    "(for example “%(example)s”), type its number, or N/A."
                )
                % {"value": cell_text(cells["level"]), "example": self.choices[EXAMPLE]},
            )
        target_refusal = _target_refusal(target, cells["target"])
        if target_refusal:
            self.refuse(number, "target", target_refusal)
        if level is INVALID or target_refusal:
            return None
        reason = cell_user_text(cells["na_reason"])
        return Answer(
            self_level=None if level is NA else level,
            # A reason means the row is meant as N/A; the rules then refuse a level beside it.
            not_applicable=level is NA or bool(reason),
            na_reason=reason,
            narrative=cell_user_text(cells["narrative"]),
            target_level=target,
        )

    def _classify(self, number: int, answer: Answer, version: int, current: CurrentAnswer) -> None:
        """Equal to what is stored now, a change, or a conflict with a save made online."""
        wanted = _effective(answer, self.context)
        stored = _effective(current.answer, self.context)
        if wanted == stored:
            self.result.unchanged += 1
        elif version != current.version:
            key = _first_difference(wanted, stored)
            self.result.problems.append(
                conflict_problem(
                    self.sheet_title, number, key, current.updated_by, current.updated_at
                )
            )
        else:
            change = RowChange(number, current.indicator.code, current.response_id, version, answer)
            self.result.changes.append(change)


def _code_refusal(
    code: str, current: CurrentAnswer | None, *, first_row: int, number: int
) -> Refusal | None:
    """What is wrong with the indicator code, if anything."""
    if not code:
        return "code", _("The indicator code is missing. Do not change it.")
    if current is None:
        return "code", _("“%(code)s” is not an indicator of this assessment.") % {"code": code}
    if first_row != number:
        return "code", _("Indicator %(code)s appears more than once (also in row %(row)d).") % {
            "code": code,
            "row": first_row,
        }
    return None


def _hidden_refusal(
    current: CurrentAnswer,
    code: str,
    response_id: int | None,
    version: int | None,
    *,
    first_row: int,
    number: int,
) -> Refusal | None:
    """What is wrong with the hidden row id and version, if anything."""
    if first_row != number:
        return "response_id", _(
            "The hidden row id appears more than once (also in row %(row)d). Do not "
            "copy rows; download the workbook again."
        ) % {"row": first_row}
    if response_id != current.response_id:
        return "response_id", _(
            "The hidden row id does not match indicator %(code)s. Do not copy or move "
            "rows between files; download the workbook again."
        ) % {"code": code}
    if version is None or version < 1:
        return "version", _(
            "The hidden version number is missing or changed. Download the workbook again."
        )
    return None


def _target_refusal(target: object, value: object) -> str | None:
    if target is INVALID:
        return _(
            "“%(value)s” is not one of the choices. Pick a target level from the "
            "drop-down list, type its number, or leave it empty."
        ) % {"value": cell_text(value)}
    if target is NA:
        return _("The target level cannot be N/A; choose a level or leave it empty.")
    return None


def _effective(answer: Answer, context: UploadContext) -> Answer:
    """The answer as saving would store it, with the cycle's default target for an empty one."""
    answer = normalised(answer)
    if answer.target_level is None and answer.self_level is not None:
        target = default_target(
            answer.self_level, context.scale, step=context.target_step, cap=context.target_cap
        )
        answer = replace(answer, target_level=target)
    return answer


def _first_difference(wanted: Answer, stored: Answer) -> str:
    """The key of the first column where the row differs from what is stored."""
    if (wanted.self_level, wanted.not_applicable) != (stored.self_level, stored.not_applicable):
        return "level"
    if wanted.na_reason != stored.na_reason:
        return "na_reason"
    if wanted.narrative != stored.narrative:
        return "narrative"
    return "target"
