"""The evaluation's achievement index on the dashboards: by province, cohort and region over the
user's scope only, in the region's drill-down, a fixed number of queries, and never stale."""

import pandas as pd
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse

from dashboards import analysis, charts
from evaluations.models import EvaluationLetter, EvaluationStage, RegionEvaluation
from evaluations.services import round_precompute
from smartcity.jobs import JobStatus
from smartcity.models import Region
from tests.dashboards.builders import evaluated, national
from tests.dashboards.test_dashboards import figure
from tests.helpers import signed_in

URL = reverse("dashboards:achievement")


@pytest.fixture
def rounds(facilitator, administrator):
    """Ten program regions and 19.71, in two provinces; the 2026 round over all eleven (19.*
    first by code: indices 2.0, 2.1, 2.2, none, 2.4, 2.5; 33.*: 2.6, none, 2.8, 2.9, 3.0) and a
    2025 round over 19.01 and 33.02 only."""
    national(10, cycles=1)
    regions = list(Region.objects.order_by("code"))
    older = evaluated(2025, [regions[0], regions[6]], administrator)
    return older, evaluated(2026, regions, administrator)


def test_a_facilitators_figures_count_only_their_province(rounds, facilitator, administrator):
    mine = signed_in(facilitator).get(URL)
    everything = signed_in(administrator).get(URL)
    assert mine.status_code == everything.status_code == 200
    data, all_data = mine.context["data"], everything.context["data"]
    assert (data.regions, data.evaluated) == (6, 5)
    assert data.mean == pytest.approx((2.0 + 2.1 + 2.2 + 2.4 + 2.5) / 5)
    assert (all_data.regions, all_data.evaluated) == (11, 9)
    assert all_data.mean == pytest.approx(22.5 / 9)
    assert [(row["name"], row["regions"], row["evaluated"]) for row in data.provinces] == [
        ("Kepulauan Bangka Belitung", 6, 5)
    ]
    assert sum(row["regions"] for row in data.cohorts) == 6
    assert sum(row["evaluated"] for row in data.cohorts) == 5
    assert {row["region_code"][:2] for row in data.rows} == {"19"}
    provinces = figure(mine, "achievement-province-chart")["data"][0]
    assert provinces["y"] == ["Kepulauan Bangka Belitung"]
    assert provinces["x"] == [2.24]
    cohorts = figure(mine, "achievement-cohort-chart")["data"][0]
    assert sum(int(text.removeprefix("n=")) for text in cohorts["text"]) == 5
    assert len(figure(everything, "achievement-province-chart")["data"][0]["y"]) == 2
    html = mine.content.decode()
    assert "Kota Uji 33" not in html
    assert f'href="/dashboards/regions/{data.rows[0]["region_id"]}/"' in html


def test_the_region_table_ranks_the_index_and_names_the_missing_ones(rounds, administrator):
    rows = signed_in(administrator).get(URL).context["data"].rows
    assert [row["achievement"] for row in rows[:2]] == [3.0, 2.9]
    assert [row["achievement"] for row in rows[-2:]] == [None, None]
    assert rows[0]["stage_label"] == str(EvaluationStage.FINAL.label)


def test_another_round_by_its_year_and_a_wrong_year_is_404(rounds, administrator):
    client = signed_in(administrator)
    older = client.get(URL, {"year": "2025"})
    assert older.context["evaluation_round"] == rounds[0]
    assert older.context["data"].regions == 2
    for value in ("2030", "tahun"):
        assert client.get(URL, {"year": value}).status_code == 404


def test_no_round_yet_shows_a_note(administrator):
    response = signed_in(administrator).get(URL)
    assert response.status_code == 200 and "data" not in response.context


def test_officials_get_404(rounds, official):
    assert signed_in(official).get(URL).status_code == 404


@pytest.mark.parametrize("size", [3, 60])
def test_a_fixed_number_of_queries_whatever_the_number_of_regions(
    size, facilitator, administrator, django_assert_num_queries
):
    national(size, cycles=1)
    evaluated(2026, list(Region.objects.all()), administrator)
    for user in (facilitator, administrator):
        client = signed_in(user)
        cache.clear()
        # session, user, scope, the rounds, the achievement frame
        with django_assert_num_queries(5):
            assert client.get(URL).status_code == 200


# --- Never stale ---------------------------------------------------------------------------------
def test_a_saved_result_shows_at_once(rounds, facilitator):
    client = signed_in(facilitator)
    assert client.get(URL).context["data"].evaluated == 5
    evaluation = RegionEvaluation.objects.get(round=rounds[1], region__code="19.07")
    evaluation.achievement = 4.0
    evaluation.save(update_fields=["achievement"])
    data = client.get(URL).context["data"]
    assert data.evaluated == 6
    assert data.mean == pytest.approx((11.2 + 4.0) / 6)


def test_a_round_computed_again_shows_at_once(rounds, facilitator):
    """`round_precompute` writes with one bulk update (no post_save): its signal forgets the
    figures. Without score rows, every evaluation that is not final loses its index."""
    client = signed_in(facilitator)
    assert client.get(URL).context["data"].evaluated == 5
    round_precompute(evaluation_round=rounds[1])
    # Final ones kept theirs: 19.01 (2.0), 19.05 (2.2), 19.09 (2.4).
    assert client.get(URL).context["data"].evaluated == 3


# --- The region's drill-down ---------------------------------------------------------------------
def test_the_region_page_lists_its_results_and_a_finished_letter(rounds, official, region):
    evaluation = RegionEvaluation.objects.get(round=rounds[1], region=region)
    EvaluationLetter.objects.create(evaluation=evaluation, status=JobStatus.FAILED)
    client = signed_in(official)
    [row] = client.get(reverse("dashboards:region", args=[region.pk])).context["data"].evaluations
    assert (row["year"], row["achievement"], row["stage"]) == (2026, 2.5, EvaluationStage.DESK)
    assert row["result_url"] == reverse("evaluations:result", kwargs={"pk": evaluation.pk})
    assert row["letter_url"] is None  # a failed letter is nothing to download
    letter = EvaluationLetter.objects.create(evaluation=evaluation, status=JobStatus.DONE)
    letter.file.save("letter.pdf", ContentFile(b"%PDF-1.4"), save=True)
    response = client.get(reverse("dashboards:region", args=[region.pk]))
    [row] = response.context["data"].evaluations
    assert row["letter_url"] == reverse("evaluations:letter_download", kwargs={"pk": letter.pk})
    assert row["letter_url"] in response.content.decode()
    assert client.get(row["result_url"]).status_code == 200


def test_the_region_page_shows_only_the_regions_own_results(rounds, facilitator):
    first = Region.objects.get(code="19.01")
    data = signed_in(facilitator).get(reverse("dashboards:region", args=[first.pk])).context["data"]
    assert [(row["year"], row["achievement"]) for row in data.evaluations] == [
        (2025, 2.0),
        (2026, 2.0),
    ]


# --- Pure parts ----------------------------------------------------------------------------------
def test_a_group_without_any_index_has_no_mean_and_no_bar():
    frame = pd.DataFrame(
        {
            "region_id": [1, 2, 3],
            "province_code": ["19", "19", "33"],
            "province_name": ["A", "A", "B"],
            "achievement": [2.0, None, None],
        }
    ).astype({"achievement": "float64"})
    groups = analysis.achievement_groups(frame, "province_code", "province_name")
    assert groups[["regions", "evaluated"]].to_numpy().tolist() == [[2, 1], [1, 0]]
    assert groups["mean"].isna().tolist() == [False, True]  # missing is never 0
    bars = charts.achievement_bar(groups, 5.0, "t")["data"][0]
    assert bars["y"] == ["A"] and bars["x"] == [2.0]
