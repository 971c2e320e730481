"""One element order everywhere: readiness first, then the dimensions, whatever order the
framework file lists its pillars in (`smartcity.selectors.pillar_order`)."""

import dataclasses
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from assessments.selectors import assessment_sheet, submission_gaps
from smartcity.framework_files import read_framework_file
from smartcity.models import Region
from smartcity.selectors import framework_tree
from smartcity.services import framework_load
from tests.assessments.conftest import open_cycle

SMALL = Path(__file__).parents[1] / "fixtures" / "frameworks" / "small.yaml"
IN_ORDER = ["KES.K1", "KES.K2", "LAY.L1", "LAY.L2"]


@pytest.fixture
def dimensions_first_file(administrator, region) -> Assessment:
    """The small framework with its dimension listed before its readiness pillar."""
    spec = read_framework_file(SMALL)
    spec = dataclasses.replace(spec, pillars=tuple(reversed(spec.pillars)))
    assert [pillar.kind for pillar in spec.pillars] == ["dimension", "readiness"]
    framework = framework_load(spec=spec, publish=True).framework
    open_cycle(administrator, Region.objects.filter(pk=region.pk), framework)
    return Assessment.objects.get(region=region)


def test_sheet_gaps_and_framework_page_put_readiness_first(dimensions_first_file, administrator):
    sheet = assessment_sheet(dimensions_first_file, details=False)
    assert [e.element.code for p in sheet.pillars for e in p.elements] == IN_ORDER
    gaps = submission_gaps(dimensions_first_file)
    assert [gap.indicator_code for gap in gaps][:1] == ["KES.K1.1"]
    assert gaps[-1].indicator_code == "LAY.L2.2"
    framework = dimensions_first_file.cycle.framework
    tree = framework_tree(slug=framework.slug, version=framework.version, user=administrator)
    assert [group.kind for group in tree.pillar_groups] == ["readiness", "dimension"]


def test_overview_numbering_neighbours_and_excel_follow_the_same_order(
    dimensions_first_file, official
):
    client = Client()
    client.force_login(official)
    pk = dimensions_first_file.pk
    overview = client.get(reverse("assessments:overview", args=[pk])).content.decode()
    assert overview.index("Kesiapan") < overview.index("Dimensi")
    links = re.findall(rf'href="/assessments/{pk}/elements/([A-Z.0-9]+)/"', overview)
    assert list(dict.fromkeys(links)) == IN_ORDER

    first_dimension = client.get(reverse("assessments:element", args=[pk, "LAY.L1"]))
    page = first_dimension.content.decode()
    assert "elemen 3 dari 4" in page
    assert f"/assessments/{pk}/elements/KES.K2/" in page  # the element before it
    assert f"/assessments/{pk}/elements/LAY.L2/" in page  # and after it

    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("assessments:excel_download", args=[pk])).content)
    )
    codes = [row[2] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert [code for code in codes if code][:1] == ["KES.K1.1"]
    assert codes[-1] == "LAY.L2.2"
