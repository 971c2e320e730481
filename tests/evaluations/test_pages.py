"""The evaluation pages as each persona: scope (404 outside), the deliberate refusals, the forms'
messages, strict CSP and pinned query counts; the letter's text read back through pdftotext."""

import subprocess

import pytest
from django.urls import reverse

from evaluations.models import EvaluationLetter, Judgement, ProgressUpdate, Recommendation
from masterplan.models import ActionItem
from tests.csp import inline_code_problems
from tests.evaluations.conftest import open_round
from tests.evaluations.urls import ids_of
from tests.helpers import in_indonesian, signed_in

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def evaluation(world, administrator):
    return open_round(administrator).evaluations.get()


def test_an_official_reports_progress_on_the_page(world, official):
    client = signed_in(official)
    url = reverse("evaluations:progress_item", args=[world.medium.pk])
    invalid = client.post(url, {"status": "delayed", "percent": 20})
    assert invalid.status_code == 422
    assert in_indonesian("Say why the item is delayed or cancelled.") in invalid.content.decode()
    assert not ProgressUpdate.objects.exists()
    saved = client.post(url, {"status": "delayed", "percent": 20, "reason": "Lelang ulang"})
    assert saved.status_code == 302
    page = client.get(reverse("evaluations:progress_plan", args=[world.plan.pk])).content.decode()
    assert (
        in_indonesian("delayed") in page and "Lelang ulang" not in page
    )  # the reason is on the item's page
    assert "Lelang ulang" in client.get(url).content.decode()


def test_the_progress_list_shows_the_plans_in_scope_only(world, official, other_official):
    url = reverse("evaluations:progress_list")
    assert world.plan.region.name in signed_in(official).get(url).content.decode()
    assert world.plan.region.name not in signed_in(other_official).get(url).content.decode()


def test_readers_may_not_report_and_outsiders_get_404(world, facilitator, other_official, outsider):
    url = reverse("evaluations:progress_item", args=[world.medium.pk])
    assert signed_in(facilitator).post(url, {"status": "done"}).status_code == 403
    for person in (other_official, outsider):
        assert signed_in(person).get(url).status_code == 404
        assert signed_in(person).post(url, {"status": "done"}).status_code == 404
        plan_url = reverse("evaluations:progress_plan", args=[world.plan.pk])
        assert signed_in(person).get(plan_url).status_code == 404
    assert not ProgressUpdate.objects.exists()


def test_an_assessor_judges_on_the_page_and_an_override_needs_a_reason(evaluation, facilitator):
    client = signed_in(facilitator)
    url = reverse("evaluations:judge", args=[evaluation.pk])
    refused = client.post(url, {"code": "BASELINE", "score": 2, "reason": ""})
    assert refused.status_code == 422
    assert (
        in_indonesian("Say why you override the pre-computed score %(score)s.", score="3,5")
        in refused.content.decode()
    )
    assert (
        client.post(url, {"code": "BASELINE", "score": 2, "reason": "Data ulang"}).status_code
        == 302
    )
    page = client.get(reverse("evaluations:evaluation_detail", args=[evaluation.pk]))
    assert in_indonesian("override") in page.content.decode()
    assert Judgement.objects.get().computed == 3.5


def test_the_official_reads_but_does_not_judge(evaluation, official, other_official):
    url = reverse("evaluations:judge", args=[evaluation.pk])
    assert (
        signed_in(official).post(url, {"code": "IMPACT", "score": 4, "reason": "x"}).status_code
        == 403
    )
    assert signed_in(other_official).post(url, {"code": "IMPACT"}).status_code == 404
    detail = reverse("evaluations:evaluation_detail", args=[evaluation.pk])
    assert signed_in(official).get(detail).status_code == 200
    assert signed_in(other_official).get(detail).status_code == 404
    assert not Judgement.objects.exists()


def test_a_recommendation_appears_on_the_plan(evaluation, facilitator, official):
    client = signed_in(facilitator)
    reply = client.post(
        reverse("evaluations:recommend", args=[evaluation.pk]), {"text": "Tetapkan Perwal"}
    )
    assert reply.status_code == 302
    item = ActionItem.objects.get(pk=Recommendation.objects.get().follow_up_id)
    plan_page = signed_in(official).get(reverse("masterplan:plan_detail", args=[item.plan_id]))
    assert "Tetapkan Perwal" in plan_page.content.decode()


def _finalise(evaluation, facilitator):
    client = signed_in(facilitator)
    for code, score in (("IMPACT", 3.5), ("QUICK_WIN_QUALITY", 4)):
        client.post(
            reverse("evaluations:judge", args=[evaluation.pk]),
            {"code": code, "score": score, "reason": "Paparan dan survei warga"},
        )
    client.post(
        reverse("evaluations:recommend", args=[evaluation.pk]), {"text": "Perkuat Dewan Smart City"}
    )
    assert client.post(reverse("evaluations:finalise", args=[evaluation.pk])).status_code == 302
    return client


def pdf_text(letter: EvaluationLetter) -> str:
    with letter.file.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"%PDF")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.parametrize(
    "language, expected",
    [
        ("id", ["Hasil evaluasi smart city 2026", "Indeks pencapaian", "Perkuat Dewan Smart City"]),
        ("en", ["Result of the 2026 smart city evaluation", "Achievement index", "Perkuat Dewan"]),
    ],
)
def test_the_letter_is_a_pdf_in_the_asked_language(
    evaluation, facilitator, official, language, expected, django_capture_on_commit_callbacks
):
    _finalise(evaluation, facilitator)
    client = signed_in(official)
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(
            reverse("evaluations:letter_request", args=[evaluation.pk]), {"language": language}
        )
    assert reply.status_code == 302
    letter = EvaluationLetter.objects.get()
    assert letter.is_done, letter.error
    text = pdf_text(letter)
    for words in expected:
        assert words.lower() in " ".join(text.split()).lower()
    assert "Kota Pangkal Pinang" in text
    download = client.get(reverse("evaluations:letter_download", args=[letter.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    # A file gone from the storage (a database restored without its media) is a 404, not a 500.
    letter.file.storage.delete(letter.file.name)
    assert client.get(download.request["PATH_INFO"]).status_code == 404


def test_no_letter_before_the_evaluation_is_final(evaluation, official):
    client = signed_in(official)
    client.post(reverse("evaluations:letter_request", args=[evaluation.pk]))
    assert not EvaluationLetter.objects.exists()


def test_an_administrator_opens_a_round_on_the_page(world, administrator, facilitator):
    data = {
        "year": 2026, "title": "Evaluasi 2026", "scale_min": 1, "scale_max": 5,
        "desk_starts_on": "2026-06-01", "desk_ends_on": "2026-06-30",
        "field_starts_on": "2026-10-01", "field_ends_on": "2026-11-15",
        "weight_BASELINE": 10, "weight_OUTPUT": 20, "weight_OUTCOME": 30, "weight_IMPACT": 30,
        "weight_QUICK_WIN": 20,
    }  # fmt: skip
    client = signed_in(administrator)
    refused = client.post(reverse("evaluations:round_open"), data)
    assert "jumlahnya harus 100" in refused.content.decode()
    reply = client.post(reverse("evaluations:round_open"), {**data, "weight_QUICK_WIN": 10})
    assert reply.status_code == 302
    assert signed_in(facilitator).post(reverse("evaluations:round_open"), data).status_code == 404


def test_every_evaluation_page_is_free_of_inline_code_for_every_persona(
    evaluation, facilitator, official, other_official, administrator
):
    _finalise(evaluation, facilitator)
    signed_in(official).post(reverse("evaluations:letter_request", args=[evaluation.pk]))
    from django.urls import get_resolver

    names = [
        f"evaluations:{name}"
        for name in get_resolver().namespace_dict["evaluations"][1].reverse_dict
        if isinstance(name, str)
    ]
    for person in (official, facilitator, administrator, other_official):
        client = signed_in(person)
        for name in names:
            for kwargs in ids_of(name):
                reply = client.get(reverse(name, kwargs=kwargs))
                if reply.get("Content-Type", "").startswith("text/html"):
                    assert inline_code_problems(reply.content.decode()) == [], name


def test_the_pages_read_a_fixed_number_of_queries(
    evaluation, facilitator, django_assert_num_queries
):
    client = signed_in(facilitator)
    # Pinned exactly, as elsewhere (these were upper bounds), on SQLite and PostgreSQL alike.
    with django_assert_num_queries(10):
        assert (
            client.get(reverse("evaluations:evaluation_detail", args=[evaluation.pk])).status_code
            == 200
        )
    with django_assert_num_queries(11):
        assert client.get(reverse("evaluations:result", args=[evaluation.pk])).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(reverse("evaluations:lagging")).status_code == 200
