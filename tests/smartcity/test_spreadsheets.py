"""The one helper every export writes user text through (OWASP CSV-injection advice)."""

import csv
import io

import pytest

from smartcity.spreadsheets import safe_cell_text, safe_cell_value, unescaped_cell_text


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("'=x", "''=x"),  # already quoted: quoted again, so reading back is exact
        ("Ada SK", "Ada SK"),
        ("'kutipan'", "'kutipan'"),
        ("", ""),
    ],
)
def test_text_that_would_be_a_formula_is_escaped_and_reads_back_exactly(typed, written):
    assert safe_cell_text(typed) == written
    assert unescaped_cell_text(written) == typed


def test_values_other_than_text_are_written_unchanged():
    assert [safe_cell_value(v) for v in (3, None, 2.5, "=A1")] == [3, None, 2.5, "'=A1"]


def test_a_csv_row_written_through_the_helper_starts_no_cell_with_a_formula():
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell_value(v) for v in ("=HYPERLINK(1)", "-1", 5)])
    first_characters = [cell[:1] for cell in next(csv.reader(io.StringIO(buffer.getvalue())))]
    assert first_characters == ["'", "'", "5"]
