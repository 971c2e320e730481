"""Text that people typed, written into workbooks and CSV files so that it stays text.

A cell beginning with = + - @ (or a tab or carriage return) is taken by Excel and LibreOffice as a
formula: a narrative "=HYPERLINK(...)" typed online would come back live in every download, a
facilitator's included. Following OWASP's advice on CSV injection, such text is written with a
leading apostrophe. Every export (workbooks now, CSV and the master plan packs later) writes user
text through `safe_cell_text`; an upload reads it back through `unescaped_cell_text`, so a round
trip returns exactly what was typed.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text that would start a formula, or that already starts with apostrophes before such text
# (escaped too, so that reading back removes exactly the one apostrophe writing added).
_NEEDS_ESCAPE = re.compile(r"'*[=+\-@\t\r]")


def safe_cell_text(text: str) -> str:
    """The text as a spreadsheet cell that can never become a formula."""
    return f"'{text}" if _NEEDS_ESCAPE.match(text) else text


def unescaped_cell_text(text: str) -> str:
    """The text as it was before `safe_cell_text`."""
    if text.startswith("'") and _NEEDS_ESCAPE.match(text[1:]):
        return text[1:]
    return text


def safe_cell_value(value: object) -> object:
    """A value for a cell: text made safe, numbers, dates and empties unchanged."""
    return safe_cell_text(value) if isinstance(value, str) else value
