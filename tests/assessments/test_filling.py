"""The official's pages: list, overview, element page with autosave, submit, history.

Scope (404 outside it), read-only for facilitators, autosave over htmx and without JavaScript,
no lost updates between two people, answers refused for the right reasons, submission gaps,
returned assessments, history, and the number of queries of every page.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import AssessmentStatus, Evidence, EvidenceKind
from smartcity.models import Region, Role
from tests.assessments.conftest import answer_everything
from tests.factories import MembershipFactory, RegionFactory
from tests.helpers import HTMX, in_indonesian, response_of, signed_in


def answer(version, *, level="", narrative="", target="", na=False, reason="", **extra) -> dict:
    data = {
        "version": version,
        "self_level": level,
        "narrative": narrative,
        "target_level": target,
        "na_reason": reason,
        **extra,
    }
    if na:
        data["not_applicable"] = "on"
    return data


def save_url(assessment, response) -> str:
    return reverse("assessments:response_save", args=[assessment.pk, response.pk])


def element_url(assessment, code: str) -> str:
    return reverse("assessments:element", args=[assessment.pk, code])


@pytest.fixture
def far_facilitator(other_region):
    """A facilitator of another province: no business with `region`."""
    return MembershipFactory(
        role=Role.FACILITATOR, region=None, province=other_region.province
    ).user


# --- Scope ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["other_official", "outsider", "far_facilitator"])
def test_every_page_is_404_outside_scope(request, persona, assessment, g1):
    client = signed_in(request.getfixturevalue(persona))
    pages = [
        reverse("assessments:overview", args=[assessment.pk]),
        element_url(assessment, "GOV.G1"),
        reverse("assessments:response_history", args=[assessment.pk, g1.pk]),
    ]
    for page in pages:
        assert client.get(page).status_code == 404, page
    listing = client.get(reverse("assessments:list"))
    assert listing.status_code == 200
    assert "Kota Pangkal Pinang" not in listing.content.decode()


@pytest.mark.parametrize("persona", ["other_official", "outsider", "far_facilitator"])
def test_every_write_is_404_outside_scope_and_changes_nothing(request, persona, assessment, g1):
    evidence = Evidence.objects.create(
        response=g1, kind=EvidenceKind.LINK, url="https://jdih.example.go.id/a"
    )
    client = signed_in(request.getfixturevalue(persona))
    writes = [
        (save_url(assessment, g1), answer(g1.version, level=1, narrative="Bukan milikku")),
        (
            reverse("assessments:evidence_add", args=[assessment.pk, g1.pk]),
            {"kind": "link", "url": "https://example.go.id/x"},
        ),
        (reverse("assessments:evidence_delete", args=[assessment.pk, evidence.pk]), {}),
        (reverse("assessments:submit", args=[assessment.pk]), {}),
        (reverse("assessments:flag_address", args=[assessment.pk, g1.pk]), {"reply": "x"}),
    ]
    for url, data in writes:
        assert client.post(url, data).status_code == 404, url
        assert client.post(url, data, **HTMX).status_code == 404, url
    g1.refresh_from_db()
    assert (g1.self_level, g1.narrative, g1.version) == (None, "", 1)
    assert list(g1.evidence.values_list("url", flat=True)) == ["https://jdih.example.go.id/a"]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_evidence_of_another_assessment_cannot_be_removed_through_this_one(
    assessment, other_assessment, official, administrator
):
    """The evidence id must belong to the assessment in the URL, even for someone who sees both."""
    theirs = response_of(other_assessment, "GOV.G1.1")
    evidence = Evidence.objects.create(
        response=theirs, kind=EvidenceKind.LINK, url="https://example.go.id/b"
    )
    client = signed_in(administrator)
    url = reverse("assessments:evidence_delete", args=[assessment.pk, evidence.pk])
    assert client.post(url).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_facilitator_in_scope_reads_but_cannot_save(assessment, facilitator, g1):
    client = signed_in(facilitator)
    overview = client.get(reverse("assessments:overview", args=[assessment.pk]))
    assert overview.status_code == 200
    assert reverse("assessments:submit", args=[assessment.pk]) not in overview.content.decode()

    page = client.get(element_url(assessment, "GOV.G1"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "data-autosave" not in html
    assert '<fieldset class="mb-2" disabled>' in html
    assert reverse("assessments:evidence_add", args=[assessment.pk, g1.pk]) not in html

    refused = client.post(save_url(assessment, g1), answer(1, level=3), **HTMX)
    assert refused.status_code == 403
    assert refused["X-Autosave-State"] == "refused"
    assert in_indonesian("Only the region's officials can change this assessment.") in (
        refused.content.decode()
    )
    plain = client.post(save_url(assessment, g1), answer(1, level=3))
    assert plain.status_code == 403
    # Refused first, whatever was posted: a broken answer does not turn the 403 into a 422.
    broken = client.post(save_url(assessment, g1), answer("x", level="abc"), **HTMX)
    assert (broken.status_code, broken["X-Autosave-State"]) == (403, "refused")
    g1.refresh_from_db()
    assert (g1.self_level, g1.version) == (None, 1)


# --- Saving ---------------------------------------------------------------------------------------
def test_autosave_over_htmx_returns_the_state_and_the_new_version(assessment, official, g1):
    client = signed_in(official)
    reply = client.post(save_url(assessment, g1), answer(1, level=2, narrative="Ada SOP"), **HTMX)
    html = reply.content.decode()
    assert reply.status_code == 200
    assert reply["X-Autosave-State"] == "saved"
    assert re.search(r"Tersimpan pukul \d\d:\d\d", html)
    assert f'id="version-{g1.pk}" value="2" hx-swap-oob="true"' in html
    # The empty target became the cycle's default (level + 1): the select is updated too.
    assert f'id="target-{g1.pk}"' in html
    assert '<option value="" selected>Bawaan siklus: 3 – Terdefinisi</option>' in html
    assert "<!doctype" not in html.lower()  # a fragment, not a page
    g1.refresh_from_db()
    assert (g1.self_level, g1.narrative, g1.target_level, g1.version) == (2, "Ada SOP", 3, 2)
    assert g1.updated_by == official


def test_save_without_javascript_redirects_to_the_indicator(assessment, official, g1):
    client = signed_in(official)
    reply = client.post(save_url(assessment, g1), answer(1, level=1, narrative="Rintisan"))
    assert reply.status_code == 302
    assert reply["Location"] == element_url(assessment, "GOV.G1") + "#indicator-GOV.G1.1"
    page = client.get(reply["Location"])
    html = page.content.decode()
    assert "Jawaban GOV.G1.1 tersimpan." in html
    assert f'id="level-{g1.pk}-1" checked' in html
    assert "Rintisan</textarea>" in html
    assert f'id="version-{g1.pk}" value="2"' in html


def test_two_people_saving_the_same_version_never_overwrite_each_other(assessment, official, g1):
    colleague = MembershipFactory(role=Role.OFFICIAL, region=assessment.region).user
    first, second = signed_in(official), signed_in(colleague)
    versions = []
    for client in (first, second):
        page = client.get(element_url(assessment, "GOV.G1")).content.decode()
        versions.append(re.search(rf'id="version-{g1.pk}" value="(\d+)"', page).group(1))
    assert versions == ["1", "1"]

    saved = first.post(save_url(assessment, g1), answer(1, level=3, narrative="Versi A"), **HTMX)
    assert saved.status_code == 200
    stale = second.post(save_url(assessment, g1), answer(1, level=1, narrative="Versi B"), **HTMX)
    html = stale.content.decode()
    assert stale.status_code == 409
    assert stale["X-Autosave-State"] == "stale"
    assert "Versi A" in html and "Versi B" in html  # theirs beside mine
    assert "3 – Terdefinisi" in html and "pejabat" in html
    assert 'name="keep_mine" value="2"' in html
    assert "hx-swap-oob" not in html  # the stale version stays in the form
    g1.refresh_from_db()
    assert (g1.self_level, g1.narrative, g1.version) == (3, "Versi A", 2)

    # Without JavaScript the same refusal re-renders the page with the unsaved answer kept.
    again = second.post(save_url(assessment, g1), answer(1, level=1, narrative="Versi B"))
    assert again.status_code == 409
    assert "Versi B</textarea>" in again.content.decode()
    g1.refresh_from_db()
    assert g1.narrative == "Versi A"

    # "Keep mine" names the version they have now seen; only then is the answer replaced.
    kept = second.post(
        save_url(assessment, g1), answer(1, level=1, narrative="Versi B", keep_mine=2), **HTMX
    )
    assert kept.status_code == 200
    g1.refresh_from_db()
    assert (g1.self_level, g1.narrative, g1.version, g1.updated_by) == (1, "Versi B", 3, colleague)


@pytest.mark.parametrize("level", ["9", "-1", "abc"])
def test_level_outside_the_scale_is_refused(assessment, official, g1, level):
    client = signed_in(official)
    reply = client.post(save_url(assessment, g1), answer(1, level=level, narrative="x"), **HTMX)
    assert reply.status_code == 422
    assert reply["X-Autosave-State"] == "invalid"
    message = in_indonesian("Choose a level from %(low)d to %(high)d.", low=0, high=5)
    assert message in reply.content.decode()
    plain = client.post(save_url(assessment, g1), answer(1, level=level, narrative="x"))
    assert plain.status_code == 422
    assert message in plain.content.decode()
    g1.refresh_from_db()
    assert (g1.self_level, g1.narrative, g1.version) == (None, "", 1)


def test_a_version_of_thousands_of_digits_is_a_form_error_not_a_server_error(
    assessment, official, g1
):
    """int() refuses more than 4,300 digits with a ValueError; the reply is still a clean 422."""
    client = signed_in(official)
    huge = "9" * 5000
    message = in_indonesian("This page is out of date. Reload it and enter your answer again.")
    reply = client.post(save_url(assessment, g1), answer(huge, level=2, narrative="x"), **HTMX)
    assert (reply.status_code, reply["X-Autosave-State"]) == (422, "invalid")
    assert message in reply.content.decode()
    plain = client.post(save_url(assessment, g1), answer(huge, level=2, narrative="x"))
    assert plain.status_code == 422
    assert message in plain.content.decode()
    assert f'id="version-{g1.pk}" value="1"' in plain.content.decode()
    card = client.get(element_url(assessment, "GOV.G1"), {"card": huge}, **HTMX)
    assert card.status_code == 200
    g1.refresh_from_db()
    assert (g1.self_level, g1.narrative, g1.version) == (None, "", 1)


def test_not_applicable_needs_a_reason(assessment, official):
    allowed = response_of(assessment, "LIV.L3.2")
    client = signed_in(official)
    url = save_url(assessment, allowed)
    reply = client.post(url, answer(1, na=True, reason="  "), **HTMX)
    assert reply.status_code == 422
    assert in_indonesian("Explain why this indicator does not apply to your region.") in (
        reply.content.decode()
    )
    allowed.refresh_from_db()
    assert (allowed.not_applicable, allowed.version) == (False, 1)
    ok = client.post(url, answer(1, na=True, reason="Tidak ada pantai"), **HTMX)
    assert ok.status_code == 200
    allowed.refresh_from_db()
    assert (allowed.not_applicable, allowed.na_reason) == (True, "Tidak ada pantai")


def test_not_applicable_is_refused_where_the_framework_does_not_allow_it(assessment, official, g1):
    client = signed_in(official)
    reply = client.post(save_url(assessment, g1), answer(1, na=True, reason="Alasan"), **HTMX)
    assert reply.status_code == 422
    assert in_indonesian("This indicator cannot be marked not applicable.") in (
        reply.content.decode()
    )
    g1.refresh_from_db()
    assert (g1.not_applicable, g1.version) == (False, 1)


def test_an_untouched_target_follows_a_higher_level(assessment, official, g1):
    client = signed_in(official)
    client.post(save_url(assessment, g1), answer(1, level=1), **HTMX)
    g1.refresh_from_db()
    assert g1.target_level == 2  # the cycle's default: one level up
    reply = client.post(save_url(assessment, g1), answer(2, level=4, target=2), **HTMX)
    assert reply.status_code == 200
    g1.refresh_from_db()
    assert (g1.self_level, g1.target_level) == (4, 5)
    # A target the person changes themselves is checked, not moved.
    refused = client.post(save_url(assessment, g1), answer(3, level=4, target=3), **HTMX)
    assert refused.status_code == 422


def test_the_default_target_follows_the_level_until_the_official_chooses_one(
    assessment, official, g1
):
    client = signed_in(official)
    client.post(save_url(assessment, g1), answer(1, level=4), **HTMX)
    g1.refresh_from_db()
    assert (g1.target_level, g1.target_is_default) == (5, True)
    page = client.get(element_url(assessment, "GOV.G1")).content.decode()
    select = page[page.index(f'id="target-{g1.pk}"') :].split("</select>")[0]
    assert '<option value="" selected>Bawaan siklus: 5 – Optimum</option>' in select
    assert '<option value="5" selected>' not in select
    # Lowered from 4 to 1, the default follows: 2, not the 5 it was.
    client.post(save_url(assessment, g1), answer(2, level=1), **HTMX)
    g1.refresh_from_db()
    assert (g1.target_level, g1.target_is_default) == (2, True)
    # A chosen target stays when the level moves, down or up to it.
    client.post(save_url(assessment, g1), answer(3, level=1, target=4), **HTMX)
    client.post(save_url(assessment, g1), answer(4, level=3, target=4), **HTMX)
    g1.refresh_from_db()
    assert (g1.self_level, g1.target_level, g1.target_is_default) == (3, 4, False)
    page = client.get(element_url(assessment, "GOV.G1")).content.decode()
    select = page[page.index(f'id="target-{g1.pk}"') :].split("</select>")[0]
    assert '<option value="4" selected>4 – Terpadu dan Terukur</option>' in select
    assert '<option value="" selected>' not in select
    # A target set below the level is refused, as before; back to the default is a choice too.
    refused = client.post(save_url(assessment, g1), answer(5, level=4, target=3), **HTMX)
    assert refused.status_code == 422
    client.post(save_url(assessment, g1), answer(5, level=3), **HTMX)
    g1.refresh_from_db()
    assert (g1.target_level, g1.target_is_default) == (4, True)


# --- Element page ---------------------------------------------------------------------------------
def test_element_page_shows_descriptors_guidance_and_badges(assessment, official, g1):
    g1.carried_over = True
    g1.save()
    page = signed_in(official).get(element_url(assessment, "GOV.G1"))
    html = page.content.decode()
    assert page.status_code == 200
    for code in ("GOV.G1.1", "GOV.G1.2", "GOV.G1.3"):
        assert f'id="indicator-{code}"' in html
    assert html.count('type="radio" name="self_level"') == 3 * 6
    assert "0 – Belum ada" in html and "5 – Optimum" in html
    assert "dibawa dari penilaian sebelumnya" in html
    assert 'name="not_applicable"' not in html  # no indicator of GOV.G1 allows N/A
    assert 'accept=".docx,.gif,.jpeg,.jpg,.odp,' in html and ".doc," not in html  # no legacy Office
    assert reverse("assessments:response_history", args=[assessment.pk, g1.pk]) in html
    assert element_url(assessment, "GOV.G2") in html  # next element
    assert element_url(assessment, "SUP.P3") in html  # previous element (readiness comes first)


def test_unknown_element_is_404(assessment, official):
    assert signed_in(official).get(element_url(assessment, "NOPE.X1")).status_code == 404


def test_use_their_answer_reloads_one_card(assessment, official, g1):
    client = signed_in(official)
    client.post(save_url(assessment, g1), answer(1, level=2, narrative="Tersimpan di server"))
    card = client.get(element_url(assessment, "GOV.G1") + f"?card={g1.pk}", **HTMX)
    html = card.content.decode()
    assert html.startswith('\n<form id="answer-') or html.lstrip().startswith("<form")
    assert "Tersimpan di server</textarea>" in html
    assert f'id="version-{g1.pk}" value="2"' in html


# --- Submission -----------------------------------------------------------------------------------
def test_submit_is_refused_with_every_gap_linked(assessment, official, g1):
    client = signed_in(official)
    client.post(save_url(assessment, g1), answer(1, level=2))  # level 2 needs evidence
    reply = client.post(reverse("assessments:submit", args=[assessment.pk]))
    html = reply.content.decode()
    assert reply.status_code == 422
    assert "55 butir perlu dilengkapi lebih dulu." in html
    gov = element_url(assessment, "GOV.G1")
    assert f'href="{gov}#indicator-GOV.G1.1"' in html
    assert f'href="{gov}#indicator-GOV.G1.2"' in html
    assert f'href="{element_url(assessment, "ENV.V3")}#indicator-ENV.V3.2"' in html
    evidence_gap = in_indonesian(
        "Level %(level)d needs evidence: upload a file or add a link.", level=2
    )
    assert evidence_gap in html
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_submit_succeeds_when_complete_and_then_editing_is_refused(assessment, official, g1):
    answer_everything(assessment, official)
    client = signed_in(official)
    reply = client.post(reverse("assessments:submit", args=[assessment.pk]), follow=True)
    assert reply.redirect_chain[-1][0] == reverse("assessments:overview", args=[assessment.pk])
    assert "Penilaian telah diajukan kepada fasilitator." in reply.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    g1.refresh_from_db()
    refused = client.post(save_url(assessment, g1), answer(g1.version, level=5), **HTMX)
    assert refused.status_code == 403
    page = client.get(element_url(assessment, "GOV.G1")).content.decode()
    assert "data-autosave" not in page
    again = client.post(reverse("assessments:submit", args=[assessment.pk]), follow=True)
    assert "alert-danger" in again.content.decode()
    g1.refresh_from_db()
    assert g1.self_level == 2


def test_returned_assessment_shows_the_flagged_items_first(
    assessment, official, facilitator, django_capture_on_commit_callbacks
):
    answer_everything(assessment, official)
    services.assessment_submit(assessment=assessment, user=official)
    flagged = response_of(assessment, "ECO.E2.1")
    services.assessment_return(
        assessment=assessment,
        user=facilitator,
        note="Perbarui bukti dukung ekonomi.",
        flags=[services.Flag(flagged.pk, "Unggah laporan UMKM terbaru")],
    )
    client = signed_in(official)
    html = client.get(reverse("assessments:overview", args=[assessment.pk])).content.decode()
    assert "Perbarui bukti dukung ekonomi." in html
    note = html.index("Unggah laporan UMKM terbaru")
    assert note < html.index('class="list-group element-progress"')
    anchor = f"{element_url(assessment, 'ECO.E2')}#indicator-ECO.E2.1"
    assert html.index(anchor) < html.index('class="list-group element-progress"')
    assert reverse("assessments:submit", args=[assessment.pk]) in html  # editable again

    page = client.get(element_url(assessment, "ECO.E2")).content.decode()
    assert "Unggah laporan UMKM terbaru" in page and "data-autosave" in page


# --- History --------------------------------------------------------------------------------------
def test_history_shows_each_change_with_levels_by_name(assessment, official, g1):
    client = signed_in(official)
    client.post(save_url(assessment, g1), answer(1, level=1, narrative="Awal"))
    client.post(save_url(assessment, g1), answer(2, level=2, narrative="Awal", target=3))
    client.post(
        reverse("assessments:evidence_add", args=[assessment.pk, g1.pk]),
        {"kind": "link", "url": "https://jdih.example.go.id/sk-1"},
    )
    page = client.get(reverse("assessments:response_history", args=[assessment.pk, g1.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r"1 – Rintisan</del>.*?2 – Terkelola</ins>", html, re.S)
    assert "Bukti dukung ditambahkan" in html and "https://jdih.example.go.id/sk-1" in html
    assert html.index("Bukti dukung ditambahkan") < html.index("1 – Rintisan</del>")  # newest first
    assert "pejabat" in html


def test_history_names_the_previous_assessment_of_a_carried_over_answer(
    assessment, official, facilitator, administrator, region
):
    answer_everything(assessment, official, level=3)
    services.assessment_submit(assessment=assessment, user=official)
    services.assessment_approve(assessment=assessment, user=facilitator)
    opening = services.cycle_open(
        user=administrator,
        year=2027,
        title="Penilaian Mandiri 2027",
        framework=assessment.cycle.framework,
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 6, 30),
        regions=Region.objects.filter(pk=region.pk),
        run_now=True,
    )
    following = opening.cycle.assessments.get()
    carried = response_of(following, "GOV.G1.1")
    assert carried.carried_over
    page = signed_in(official).get(
        reverse("assessments:response_history", args=[following.pk, carried.pk])
    )
    html = page.content.decode()
    assert "Penilaian Mandiri 2026" in html and "3 – Terdefinisi" in html
    assert reverse("assessments:overview", args=[assessment.pk]) in html


# --- Query counts ---------------------------------------------------------------------------------
def full_assessment(assessment, official, facilitator):
    answer_everything(assessment, official)  # 55 answers, links where evidence is needed
    for response in assessment.responses.all()[:20]:
        services.response_comment_add(response=response, user=facilitator, body="Mohon dilengkapi")
        services.response_comment_add(response=response, user=official, body="Sudah")


LIST_QUERIES = 4
OVERVIEW_QUERIES = 9
ELEMENT_QUERIES = 13


def test_list_query_count_does_not_grow_with_assessments(
    assessment, administrator, django_assert_max_num_queries
):
    client = signed_in(administrator)
    with django_assert_max_num_queries(LIST_QUERIES):
        few = client.get(reverse("assessments:list"))
    assert (
        few.content.decode().count("of 55 answered")
        + few.content.decode().count("dari 55 terjawab")
        == 2
    )
    regions = RegionFactory.create_batch(4, province=assessment.region.province)
    services.cycle_open(
        user=administrator,
        year=2027,
        title="Penilaian Mandiri 2027",
        framework=assessment.cycle.framework,
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 6, 30),
        regions=Region.objects.filter(pk__in=[r.pk for r in regions]),
        run_now=True,
    )
    with django_assert_max_num_queries(LIST_QUERIES):
        many = client.get(reverse("assessments:list"))
    assert many.content.decode().count("dari 55 terjawab") == 6


def test_overview_and_element_queries_are_constant_on_a_full_assessment(
    assessment, official, facilitator, django_assert_max_num_queries
):
    full_assessment(assessment, official, facilitator)
    client = signed_in(official)
    with django_assert_max_num_queries(OVERVIEW_QUERIES):
        overview = client.get(reverse("assessments:overview", args=[assessment.pk]))
    assert "55 dari 55 terjawab" in overview.content.decode()
    for code in ("STR.S1", "GOV.G1", "ENV.V3"):
        with django_assert_max_num_queries(ELEMENT_QUERIES):
            page = client.get(element_url(assessment, code))
        assert page.status_code == 200
    assert "Mohon dilengkapi" in client.get(element_url(assessment, "STR.S1")).content.decode()


def test_pages_follow_the_language_the_person_chose(assessment, official, g1):
    official.language = "en"
    official.save()
    client = signed_in(official)
    saved = client.post(save_url(assessment, g1), answer(1, level=2), **HTMX)
    assert re.search(r"Saved at \d\d:\d\d", saved.content.decode())
    client.post(save_url(assessment, g1), answer(2, level=3, target=4))
    history = client.get(reverse("assessments:response_history", args=[assessment.pk, g1.pk]))
    assert re.search(r"2 – Managed</del>.*?3 – Defined</ins>", history.content.decode(), re.S)
    page = client.get(element_url(assessment, "GOV.G1")).content.decode()
    assert "Digital public services" in page and "How to reach level 4" in page


def test_deadline_shows_days_left_or_overdue_while_the_region_is_at_work(
    assessment, official, cycle
):
    client = signed_in(official)
    today = timezone.localdate()
    cycle.opens_on = today - datetime.timedelta(days=30)
    cases = [
        (today + datetime.timedelta(days=5), "5 hari lagi"),
        (today, "jatuh tempo hari ini"),
        (today - datetime.timedelta(days=3), "terlambat 3 hari"),
    ]
    pages = [reverse("assessments:list"), reverse("assessments:overview", args=[assessment.pk])]
    for closes_on, expected in cases:
        cycle.closes_on = closes_on
        cycle.save()
        for url in pages:
            assert expected in client.get(url).content.decode(), (url, expected)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save()
    overview = client.get(reverse("assessments:overview", args=[assessment.pk])).content.decode()
    assert "terlambat" not in overview and "Diajukan" in overview
