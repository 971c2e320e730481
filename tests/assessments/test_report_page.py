"""The report page: building it, following it, reading it as an official and as a facilitator,
its tables beside the charts, the downloads, and the refusals."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments import services
from assessments.models import AssessmentStatus, GapReport, ScoreSnapshot
from smartcity import jobs
from smartcity.models import Element
from tests.assessments.reports_helpers import fill
from tests.helpers import signed_in


def built(assessment, user=None):
    report = services.gap_report_queue(assessment=assessment, user=user)
    jobs.run_inline(job=report, work=services.gap_report_build)
    return report


@pytest.fixture
def report(assessment, other_assessment):
    fill(assessment, level=3)
    fill(other_assessment, level=1)
    built(other_assessment)
    return built(assessment)


def figures_of(html: str) -> dict[str, dict]:
    return {
        match[1]: json.loads(match[2])
        for match in re.finditer(
            r'<script type="application/json" id="([\w-]+)-figure">(.*?)</script>', html, re.S
        )
    }


@pytest.mark.django_db
def test_the_official_builds_a_preliminary_report_of_a_submitted_assessment(
    assessment, official, django_capture_on_commit_callbacks
):
    fill(assessment, status=AssessmentStatus.SUBMITTED)
    client = signed_in(official)
    page = client.get(reverse("assessments:assessment_report", args=[assessment.pk]))
    assert page.status_code == 200 and "Buat laporan awal" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("assessments:assessment_report", args=[assessment.pk]))
    report = GapReport.objects.get(assessment=assessment)
    assert answer.url == reverse("assessments:gap_report", args=[report.pk])
    html = client.get(answer.url).content.decode()
    assert "preliminary-mark" in html and "Laporan awal" in html
    assert client.get(
        reverse("assessments:assessment_report", args=[assessment.pk])
    ).url == reverse("assessments:gap_report", args=[report.pk])


@pytest.mark.django_db
def test_a_report_being_built_shows_its_polling_status(assessment, official):
    fill(assessment, status=AssessmentStatus.SUBMITTED)
    report = services.gap_report_queue(assessment=assessment, user=official)
    html = signed_in(official).get(reverse("assessments:gap_report", args=[report.pk]))
    text = html.content.decode()
    assert f'hx-get="{report.status_url}"' in text and "plotly-chart" not in text


@pytest.mark.django_db
def test_a_draft_cannot_have_a_report(assessment, official):
    client = signed_in(official)
    url = reverse("assessments:assessment_report", args=[assessment.pk])
    assert "build-report" not in client.get(url).content.decode()
    refused = client.post(url)
    assert refused.status_code == 403
    assert "setelah penilaian diajukan" in refused.content.decode()
    assert not GapReport.objects.exists()


@pytest.mark.django_db
def test_outside_the_scope_the_report_does_not_exist(report, other_official, outsider):
    for person in (other_official, outsider):
        client = signed_in(person)
        for url in (
            reverse("assessments:gap_report", args=[report.pk]),
            reverse("assessments:gap_report_csv", args=[report.pk, "scores"]),
            reverse("assessments:gap_report_xlsx", args=[report.pk]),
            reverse("assessments:gap_report_status", args=[report.pk]),
            reverse("assessments:assessment_report", args=[report.assessment_id]),
        ):
            assert client.get(url).status_code == 404, url
        assert (
            client.post(reverse("assessments:gap_report_retry", args=[report.pk])).status_code
            == 404
        )


@pytest.mark.django_db
def test_the_official_sees_charts_with_their_tables_and_no_other_region(
    report, official, django_assert_num_queries
):
    client = signed_in(official)
    url = reverse("assessments:gap_report", args=[report.pk])
    client.get(url)
    # The session, the user and their scope, the report, the framework's names, the assessment's
    # status for the build button, and the master plan's panel (a plan drafted from it, else
    # whether the official may draft one): nothing per chart, table or indicator.
    with django_assert_num_queries(8):
        html = client.get(url).content.decode()
    assert "Kota Semarang" not in html and "33.74" not in html
    assert "named-peers" not in html and "consistency-checks" not in html
    figures = figures_of(html)
    assert set(figures) == {
        "radar-dimensions", "radar-readiness", "gap-bars", "level-heatmap", "trend-lines",
        "peer-position",
    }  # fmt: skip
    # Every chart has its table beside it, readable without JavaScript.
    assert html.count('class="table table-sm report-table"') == 7  # and the priorities
    index = ScoreSnapshot.objects.get(assessment=report.assessment, scope="smart_city_index")
    assert f"<strong>{index.current:.2f}</strong>".replace(".", ",") in html
    assert "Terlalu sedikit daerah untuk dibandingkan" in html  # two regions, fewer than 5
    assert "Kesenjangan (level)" in json.dumps(figures["gap-bars"])


@pytest.mark.django_db
def test_charts_and_tables_speak_english_on_request(report, official):
    official.language = "en"
    official.save()
    html = signed_in(official).get(reverse("assessments:gap_report", args=[report.pk]))
    html = html.content.decode()
    figures = figures_of(html)
    assert "Gap (levels)" in json.dumps(figures["gap-bars"])
    assert "Gap per element" in html


@pytest.mark.django_db
def test_the_facilitator_sees_named_peers_in_scope_and_the_checks(
    report, facilitator, other_assessment
):
    html = (
        signed_in(facilitator)
        .get(reverse("assessments:gap_report", args=[report.pk]))
        .content.decode()
    )
    assert "named-peers" in html and "consistency-checks" in html
    assert "Kota Pangkal Pinang" in html
    assert "Kota Semarang" not in html  # approved, but in another province: outside the scope


@pytest.mark.django_db
def test_an_administrator_sees_every_region_named(report, administrator):
    national = administrator
    html = (
        signed_in(national)
        .get(reverse("assessments:gap_report", args=[report.pk]))
        .content.decode()
    )
    assert "Kota Semarang" in html


@pytest.mark.django_db
def test_the_tables_download_as_csv_and_xlsx_and_match_the_snapshot(report, official):
    client = signed_in(official)
    answer = client.get(reverse("assessments:gap_report_csv", args=[report.pk, "scores"]))
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0][:2] == ["Pilar", "Level saat ini"]
    pillar = ScoreSnapshot.objects.get(assessment=report.assessment, scope="pillar", code="GOV")
    gov = next(row for row in rows if row[0].startswith("GOV "))
    assert float(gov[1]) == round(pillar.current, 2)
    assert (
        client.get(reverse("assessments:gap_report_csv", args=[report.pk, "nothing"])).status_code
        == 404
    )

    workbook = load_workbook(
        io.BytesIO(client.get(reverse("assessments:gap_report_xlsx", args=[report.pk])).content)
    )
    assert workbook.sheetnames == [
        "scores", "readiness", "gaps", "levels", "trend", "peers", "priorities",
    ]  # fmt: skip
    assert workbook["levels"].max_row == 1 + 55


@pytest.mark.django_db
def test_downloads_never_carry_a_formula(report, official):
    Element.objects.filter(code="GOV.G1").update(name_id='=HYPERLINK("http://x","klik")')
    client = signed_in(official)
    text = client.get(reverse("assessments:gap_report_csv", args=[report.pk, "levels"]))
    rows = list(csv.reader(io.StringIO(text.content.decode())))
    assert rows[1 + 11][0] == '\'=HYPERLINK("http://x","klik")'  # GOV.G1's first indicator
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("assessments:gap_report_xlsx", args=[report.pk])).content)
    )
    cells = [cell.value for row in workbook["levels"].iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://x","klik")' in cells
    assert not any(isinstance(value, str) and value.startswith("=") for value in cells)
