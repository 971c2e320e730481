"""Set-based writes (`smartcity.bulk`) put every value back exactly as given, on SQLite and on
PostgreSQL (where rows go through COPY's text format, so its escapes are tested here)."""

import pytest

from smartcity.bulk import insert_rows, insert_rows_returning_ids
from smartcity.models import Province, Region

pytestmark = pytest.mark.django_db

AWKWARD_NAMES = (
    "Tab\there",
    "Line\nbreak\r\nand return",
    "Back\\slash \\N \\t",
    "",
    "Ñusa ‘quoted’",
)


@pytest.fixture
def province() -> Province:
    return Province.objects.create(code="99", name="Uji")


def test_text_round_trips_with_escapes_and_empty_text_stays_apart_from_null(province):
    rows = [
        (f"99{index:02d}", name, "kota", province.pk, None if index % 2 else 2022)
        for index, name in enumerate(AWKWARD_NAMES)
    ]

    written = insert_rows(
        Region, fields=("code", "name", "kind", "province_id", "cohort_year"), rows=rows
    )

    assert written == len(rows)
    stored = list(
        Region.objects.filter(province=province)
        .order_by("code")
        .values_list("code", "name", "kind", "province_id", "cohort_year")
    )
    assert stored == rows


def test_returned_ids_belong_to_their_rows_in_order(province):
    rows = [(f"99{index:02d}", f"Kota {index}", "kota", province.pk) for index in range(25)]

    ids = insert_rows_returning_ids(
        Region, fields=("code", "name", "kind", "province_id"), rows=rows
    )

    assert len(set(ids)) == len(rows)
    assert dict(Region.objects.filter(pk__in=ids).values_list("pk", "code")) == {
        pk: row[0] for pk, row in zip(ids, rows, strict=True)
    }
    # The sequence moved past the drawn ids: an ordinary save gets a fresh one.
    later = Region.objects.create(code="9990", name="Sesudah", kind="kota", province=province)
    assert later.pk not in ids


def test_nothing_to_insert_writes_nothing(province):
    assert insert_rows(Region, fields=("code",), rows=[]) == 0
    assert insert_rows_returning_ids(Region, fields=("code",), rows=[]) == []
