"""Cycle pages: the list with status counts, opening a cycle in two steps, one cycle."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, AssessmentStatus, Cycle
from smartcity.models import Framework, FrameworkStatus, Region
from tests.assessments.conftest import answer_everything
from tests.factories import ProvinceFactory, RegionFactory

LIST = reverse("assessments:cycle_list")
NEW = reverse("assessments:cycle_open")


def detail_url(cycle) -> str:
    return reverse("assessments:cycle_detail", args=[cycle.pk])


def open_cycle(user, framework, regions, *, year=2026, title="Penilaian Mandiri 2026"):
    return services.cycle_open(
        user=user,
        year=year,
        title=title,
        framework=framework,
        opens_on=datetime.date(year, 3, 1),
        closes_on=datetime.date(year, 6, 30),
        regions=Region.objects.filter(pk__in=[r.pk for r in regions]),
        run_now=True,
    ).cycle


def form_data(chosen: Framework, **changes) -> dict:
    data = {
        "year": "2027",
        "title": "Penilaian Mandiri 2027",
        "framework": str(chosen.pk),
        "opens_on": "2027-03-01",
        "closes_on": "2027-06-30",
        "target_step": "1",
        "target_cap": "",
        "selection": "all",
        "cohort_year": "",
        "province": "",
        "regions": [],
    }
    data.update(changes)
    return data


# --- Who may see what --------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["official", "other_official", "outsider"])
def test_cycle_pages_are_404_for_officials_and_outsiders(client, request, cycle, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 404
    assert client.get(detail_url(cycle)).status_code == 404


@pytest.mark.parametrize("persona", ["official", "facilitator", "outsider"])
def test_opening_a_cycle_is_404_for_everyone_but_administrators(
    client, request, framework, region, persona
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(NEW).status_code == 404
    response = client.post(NEW, form_data(framework, confirm="yes"))
    assert response.status_code == 404
    assert not Cycle.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, cycle):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_administrator_sees_every_cycle_with_its_counts(
    client, administrator, framework, cycle, other_region
):
    other = open_cycle(administrator, framework, [other_region], title="Khusus Semarang")
    Assessment.objects.filter(cycle=cycle, region=other_region).update(
        status=AssessmentStatus.SUBMITTED
    )
    client.force_login(administrator)
    response = client.get(LIST)
    assert response.status_code == 200
    counts = {c.title: (c.total, c.n_draft, c.n_submitted) for c in response.context["cycles"]}
    assert counts == {"Penilaian Mandiri 2026": (2, 1, 1), "Khusus Semarang": (1, 1, 0)}
    html = response.content.decode()
    assert "Siklus penilaian" in html
    assert f'href="{NEW}"' in html
    assert f'href="{detail_url(other)}"' in html


def test_facilitator_sees_only_cycles_and_counts_of_their_regions(
    client, facilitator, administrator, framework, cycle, other_region
):
    open_cycle(administrator, framework, [other_region], title="Khusus Semarang")
    Assessment.objects.filter(cycle=cycle, region=other_region).update(
        status=AssessmentStatus.APPROVED
    )
    client.force_login(facilitator)
    response = client.get(LIST)
    assert response.status_code == 200
    [only] = response.context["cycles"]
    assert only.pk == cycle.pk
    assert (only.total, only.n_draft, only.n_approved) == (1, 1, 0)
    html = response.content.decode()
    assert "Khusus Semarang" not in html
    assert f'href="{NEW}"' not in html


def test_the_list_is_one_aggregate_query_however_many_cycles(
    client, administrator, framework, region, other_region
):
    client.force_login(administrator)
    open_cycle(administrator, framework, [region, other_region], year=2024, title="Siklus 2024")
    client.get(LIST)  # warm up: session and scope lookups are the same on every request
    with CaptureQueriesContext(connection) as one_cycle:
        client.get(LIST)
    for year in (2025, 2026, 2027):
        cycle = open_cycle(administrator, framework, [region, other_region], year=year)
        Assessment.objects.filter(cycle=cycle, region=region).update(
            status=AssessmentStatus.RETURNED
        )
    with CaptureQueriesContext(connection) as four_cycles:
        response = client.get(LIST)
    assert len(response.context["cycles"]) == 4
    assert len(four_cycles) == len(one_cycle)
    with_counts = [q for q in four_cycles.captured_queries if "assessments_cycle" in q["sql"]]
    assert len(with_counts) == 1


def test_list_query_count_is_pinned(
    client, administrator, facilitator, framework, region, django_assert_max_num_queries
):
    other = RegionFactory(code="19.03", name="Kabupaten Bangka Selatan", province=region.province)
    for year in (2024, 2025, 2026):
        open_cycle(administrator, framework, [region, other], year=year)
    for user in (administrator, facilitator):
        client.force_login(user)
        with django_assert_max_num_queries(4):  # session, user, memberships, cycles
            response = client.get(LIST)
        assert response.status_code == 200
        assert len(response.context["cycles"]) == 3


# --- One cycle -----------------------------------------------------------------------------------
def test_detail_shows_the_assessments_in_scope_with_progress(
    client, facilitator, administrator, official, cycle, region, other_region
):
    assessment = Assessment.objects.get(cycle=cycle, region=region)
    answer_everything(assessment, official, level=2)
    client.force_login(facilitator)
    response = client.get(detail_url(cycle))
    assert response.status_code == 200
    [row] = response.context["assessments"]
    assert row.region == region
    assert (row.answered, row.total) == (55, 55)
    html = response.content.decode()
    assert "Kota Pangkal Pinang" in html and "Kota Semarang" not in html
    assert "55/55 terjawab" in html
    assert f'href="{reverse("assessments:overview", args=[assessment.pk])}"' in html

    client.force_login(administrator)
    rows = client.get(detail_url(cycle)).context["assessments"]
    assert {(r.region.code, r.answered) for r in rows} == {("19.71", 55), ("33.74", 0)}


def test_detail_is_404_for_a_facilitator_without_a_region_in_the_cycle(
    client, facilitator, administrator, framework, other_region
):
    semarang_only = open_cycle(administrator, framework, [other_region], title="Khusus Semarang")
    client.force_login(facilitator)
    assert client.get(detail_url(semarang_only)).status_code == 404
    assert client.get(reverse("assessments:cycle_detail", args=[99999])).status_code == 404


def test_detail_filters_by_status(client, administrator, cycle, region):
    Assessment.objects.filter(cycle=cycle, region=region).update(status=AssessmentStatus.SUBMITTED)
    client.force_login(administrator)
    response = client.get(detail_url(cycle), {"status": "submitted"})
    assert [a.region.code for a in response.context["assessments"]] == ["19.71"]
    response = client.get(detail_url(cycle), {"status": "nonsense"})
    assert len(response.context["assessments"]) == 2


def test_detail_links_reviewers_to_the_review_page_once_submitted(
    client, facilitator, administrator, official, cycle, region, other_region
):
    assessment = Assessment.objects.select_related("region", "cycle").get(
        cycle=cycle, region=region
    )
    draft = Assessment.objects.get(cycle=cycle, region=other_region)
    answer_everything(assessment, official, level=2)
    services.assessment_submit(assessment=assessment, user=official)
    client.force_login(facilitator)
    html = client.get(detail_url(cycle)).content.decode()
    assert f'href="{reverse("assessments:review", args=[assessment.pk])}"' in html
    client.force_login(administrator)
    html = client.get(detail_url(cycle)).content.decode()
    assert f'href="{reverse("assessments:review", args=[assessment.pk])}"' in html
    assert f'href="{reverse("assessments:review", args=[draft.pk])}"' not in html
    assert f'href="{reverse("assessments:overview", args=[draft.pk])}"' in html


def test_detail_query_count_is_pinned_for_many_regions(
    client, administrator, facilitator, framework, region, django_assert_num_queries
):
    regions = [region] + [
        RegionFactory(code=f"19.{n:02d}", name=f"Kabupaten Contoh {n}", province=region.province)
        for n in range(1, 12)
    ]
    cycle = open_cycle(administrator, framework, regions)
    # session, user, memberships, cycle, rows; administrators: the opening, the recomputation
    for user, queries in ((administrator, 7), (facilitator, 5)):
        client.force_login(user)
        client.get(detail_url(cycle))
        with django_assert_num_queries(queries):
            response = client.get(detail_url(cycle))
        assert len(response.context["assessments"]) == 12


# --- Opening a cycle -----------------------------------------------------------------------------
@pytest.fixture
def program(db):
    """Two provinces with program regions of different cohorts, and one region outside it."""
    west = ProvinceFactory(code="61", name="Kalimantan Barat")
    east = ProvinceFactory(code="64", name="Kalimantan Timur")
    return {
        "61.01": RegionFactory(code="61.01", name="Kabupaten Sambas", province=west),
        "61.71": RegionFactory(code="61.71", name="Kota Pontianak", province=west),
        "61.02": RegionFactory(
            code="61.02", name="Kabupaten Bengkayang", province=west, cohort_year=None
        ),
        "64.71": RegionFactory(
            code="64.71", name="Kota Balikpapan", province=east, cohort_year=2023
        ),
        "64.09": RegionFactory(
            code="64.09", name="Kabupaten Penajam Paser Utara", province=east, cohort_year=2023
        ),
    }


def test_the_form_offers_only_published_frameworks(client, administrator, framework, program):
    draft = Framework.objects.create(
        slug="draf", version=1, title_id="Draf", title_en="Draft", content_hash="x"
    )
    assert draft.status == FrameworkStatus.DRAFT
    client.force_login(administrator)
    response = client.get(NEW)
    assert response.status_code == 200
    choices = list(response.context["form"].fields["framework"].queryset)
    assert choices == [framework]
    html = response.content.decode()
    assert 'name="selection"' in html and 'type="radio"' in html
    assert '<select name="regions"' in html and "multiple" in html
    assert '<optgroup label="Kalimantan Barat">' in html
    # Cohort years come from the regions that exist.
    assert [c[0] for c in response.context["form"].fields["cohort_year"].choices] == [
        "",
        2022,
        2023,
    ]
    response = client.post(NEW, form_data(framework, framework=str(draft.pk)))
    assert "framework" in response.context["form"].errors
    assert not Cycle.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"closes_on": "2027-02-28"},
            "closes_on",
            "Tanggal tutup tidak boleh sebelum tanggal buka.",
        ),
        (
            {"year": "2026", "title": "Penilaian Mandiri 2026"},
            "title",
            "Siklus bernama “Penilaian Mandiri 2026” sudah ada pada tahun 2026. Pilih judul lain.",
        ),
        (
            {"selection": "regions", "regions": []},
            "regions",
            "Pilih sedikitnya satu daerah.",
        ),
        (
            {"selection": "cohort", "cohort_year": ""},
            "cohort_year",
            "Pilih tahun angkatan.",
        ),
        (
            {"selection": "province", "province": ""},
            "province",
            "Pilih provinsi.",
        ),
        (
            {"target_cap": "6"},
            "target_cap",
            "Pilih level pada skala kerangka ini, dari 0 sampai 5.",
        ),
        (
            {"target_step": "4"},
            "target_step",
            "Masukkan pilihan yang valid.",
        ),
    ],
)
def test_invalid_choices_are_refused_in_indonesian(
    client, administrator, framework, cycle, changes, field, message
):
    client.force_login(administrator)
    cycles_before = Cycle.objects.count()
    for step in ({}, {"confirm": "yes"}):
        response = client.post(NEW, form_data(framework, **changes, **step))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert message in response.content.decode()
        assert "preview" not in response.context
    assert Cycle.objects.count() == cycles_before


def test_a_selection_without_regions_is_refused(client, administrator, framework):
    empty = ProvinceFactory(code="65", name="Kalimantan Utara")
    client.force_login(administrator)
    response = client.post(
        NEW, form_data(framework, selection="province", province=str(empty.pk), confirm="yes")
    )
    assert "Tidak ada daerah yang cocok dengan pilihan ini." in response.content.decode()
    assert not Cycle.objects.exists()


def test_the_confirmation_step_counts_and_writes_nothing(
    client, administrator, framework, cycle, region, other_region
):
    Assessment.objects.filter(cycle=cycle, region=region).update(status=AssessmentStatus.APPROVED)
    client.force_login(administrator)
    data = form_data(
        framework,
        year="2026",
        title="Penilaian Ulang 2026",
        selection="regions",
        regions=[str(region.pk), str(other_region.pk)],
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.post(NEW, data)
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    preview = response.context["preview"]
    assert (preview.assessments, preview.prefilled, preview.duplicate_count) == (2, 1, 2)
    html = response.content.decode()
    assert (
        "Ini akan membuka 2 penilaian; 1 di antaranya akan terisi dari penilaian terakhir yang "
        "disetujui." in html
    )
    assert "2 daerah sudah memiliki penilaian dalam siklus tahun 2026" in html
    assert 'name="confirm"' in html
    assert f'<input type="hidden" name="regions" value="{region.pk}"' in html
    assert Cycle.objects.count() == 1
    assert Assessment.objects.count() == 2

    # "Change the choices" goes back to the filled-in form, still writing nothing.
    response = client.post(NEW, {**data, "edit": "yes"})
    assert "preview" not in response.context
    assert response.context["form"]["title"].value() == "Penilaian Ulang 2026"
    assert Cycle.objects.count() == 1


ALL = {"61.01", "61.71", "64.71", "64.09"}


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"selection": "all"}, ALL),
        ({"selection": "cohort", "cohort_year": "2023"}, {"64.71", "64.09"}),
        ({"selection": "province", "province": "61"}, {"61.01", "61.71", "61.02"}),
        ({"selection": "regions", "regions": ["61.02", "64.09"]}, {"61.02", "64.09"}),
    ],
)
def test_each_selection_opens_exactly_its_regions(
    client,
    administrator,
    framework,
    program,
    selection,
    expected,
    django_capture_on_commit_callbacks,
):
    if "province" in selection:
        selection = {**selection, "province": str(program["61.01"].province_id)}
    if "regions" in selection:
        selection = {**selection, "regions": [str(program[c].pk) for c in selection["regions"]]}
    client.force_login(administrator)
    data = form_data(framework, target_step="2", target_cap="4", **selection)
    preview = client.post(NEW, data).context["preview"]
    assert (preview.assessments, preview.prefilled) == (len(expected), 0)

    # Without a broker the opening job runs in-process when the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, {**data, "confirm": "yes"}, follow=True)
    cycle = Cycle.objects.get()
    assert cycle.opening.status == "done"
    assert response.redirect_chain == [(detail_url(cycle), 302)]
    assert set(cycle.assessments.values_list("region__code", flat=True)) == expected
    assert (cycle.year, cycle.title, cycle.target_step, cycle.target_cap) == (
        2027,
        "Penilaian Mandiri 2027",
        2,
        4,
    )
    assert (cycle.opens_on, cycle.closes_on) == (
        datetime.date(2027, 3, 1),
        datetime.date(2027, 6, 30),
    )
    assert cycle.created_by == administrator
    assert f"Siklus “Penilaian Mandiri 2027” sedang dibuka untuk {len(expected)} wilayah" in (
        response.content.decode()
    )
