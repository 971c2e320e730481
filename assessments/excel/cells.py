"""Cell values of an uploaded workbook, read leniently: numbers, texts and the level choices.

An official may type a choice in either language, with any case, spacing or kind of dash, or only
the level's number; Excel may hand back a typed number as a float.
"""

import re
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.utils import translation

from assessments.excel.layout import DASH, NA_TOKEN, level_choice, na_choice, na_label
from smartcity.models import ScaleLevel
from smartcity.spreadsheets import unescaped_cell_text

NA = object()  # the cell says "not applicable"
INVALID = object()  # the cell says something that is not one of the choices
EXAMPLE = "\x00example"  # a choice text to quote in messages; never a key of a real choice


def in_each_language(text: Callable[[], str]) -> set[str]:
    """The text in every language of the application, as a user may have downloaded it."""
    texts = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts.add(text())
    return texts


def comparable(text: str) -> str:
    """Choices and headings compare without case, spaces or the kind of dash."""
    return re.sub(r"\s+", "", text.casefold().replace(DASH, "-").replace("\u2014", "-"))


def level_choices(levels: list[ScaleLevel]) -> dict[str, object]:
    """Comparable text -> level number or NA, for every way of writing a choice; and EXAMPLE."""
    choices: dict[str, object] = {}
    for level in levels:
        for label in (level.label_id, level.label_en):
            choices[comparable(f"{level.value}-{label}")] = level.value
    for text in in_each_language(na_choice) | {NA_TOKEN, "NA", "N.A."}:
        choices[comparable(text)] = NA
    for text in in_each_language(na_label):
        choices[comparable(text)] = NA
    choices[EXAMPLE] = level_choice(levels[min(2, len(levels) - 1)])
    return choices


def cell_choice(value: object, choices: dict[str, object]) -> object:
    """None (empty), a level number, NA, or INVALID."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float):
        number = _integral(value)
        return INVALID if number is None else number
    key = comparable(cell_text(value))
    if key in choices:
        return choices[key]
    if re.fullmatch(r"[+-]?\d+", key):
        return int(key)
    return INVALID


def cell_whole(value: object) -> int | None:
    """A whole number written as a number or as digits; None for anything else."""
    if isinstance(value, str):
        digits = value.strip()
        # isascii: "²".isdigit() is true, and int("²") would raise.
        return int(digits) if digits.isascii() and digits.isdigit() else None
    return _integral(value)


def cell_text(value: object) -> str:
    """The cell as text, trimmed; a whole number without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip() if isinstance(value, str) else str(value)


def cell_user_text(value: object) -> str:
    """Text a person typed (a narrative, a reason): trimmed, without the apostrophe the download
    put before text that would otherwise be a formula."""
    return unescaped_cell_text(cell_text(value))


def _integral(value: object) -> int | None:
    """An int, or a float without a fraction, as an int; never a bool (TRUE is not a level)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None
