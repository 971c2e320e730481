"""The second round of the loop: after a return, each side sees what was asked and what changed.

The official sees the verified level, the facilitator's reason and the flag note on the card and
in the overview; answers a flag (by a reply or by changing the answer); is asked before
resubmitting with flags untouched. The facilitator sees the resubmission and its round in the
queue, filters to what changed or was flagged, and sees per indicator what changed since the
return, the flag's state and the reply, and the verification a change set aside.
"""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentStatus, EventKind
from assessments.rules import Answer
from tests.assessments.conftest import answer_everything
from tests.assessments.test_filling import HTMX, element_url, response_of, signed_in

REASON = "SK tim belum ditetapkan."
NOTE = "Sebutkan OPD yang sudah menjalankan layanan daring."
REPLY = "SK tim sudah diunggah; OPD pelaksana disebutkan dalam narasi."


@pytest.fixture
def returned(assessment, official, facilitator):
    """Submitted with every answer at 2; GOV.G1.1 adjusted to 1 with a reason and flagged with a
    note, GOV.G1.2 flagged without a note; returned."""
    answer_everything(assessment, official, level=2)
    services.assessment_submit(assessment=assessment, user=official)
    online, complaints = response_of(assessment, "GOV.G1.1"), response_of(assessment, "GOV.G1.2")
    services.response_verify(response=online, user=facilitator, verified_level=1, reason=REASON)
    services.assessment_return(
        assessment=assessment,
        user=facilitator,
        note="Perbaiki GOV.G1.",
        flags=[services.Flag(online.pk, NOTE), services.Flag(complaints.pk)],
    )
    assessment.refresh_from_db()
    return assessment


def flag_url(assessment, response) -> str:
    return reverse("assessments:flag_address", args=[assessment.pk, response.pk])


def submit_url(assessment) -> str:
    return reverse("assessments:submit", args=[assessment.pk])


def fix_narrative(response, official, text="Narasi baru") -> None:
    services.response_save(
        response=response,
        user=official,
        expected_version=response.version,
        answer=Answer(response.self_level, False, "", text, None),
    )


# --- 1 and 2: what the official sees of the verification -----------------------------------------
def test_card_shows_the_verified_level_reason_and_flag_note(returned, official, facilitator):
    html = signed_in(official).get(element_url(returned, "GOV.G1")).content.decode()
    card = html[html.index('id="indicator-GOV.G1.1"') : html.index('id="indicator-GOV.G1.2"')]
    assert "Level terverifikasi: 1 – Rintisan" in card
    assert f"Alasan fasilitator: {REASON}" in card
    assert f"Perlu diperbaiki</strong>: {NOTE}" in card
    assert f"Diverifikasi oleh {facilitator}" in card


def test_overview_lists_flagged_items_with_level_reason_and_note(returned, official):
    html = signed_in(official).get(reverse("assessments:overview", args=[returned.pk]))
    flagged = html.content.decode().split('class="list-unstyled mb-0 flagged-list"')[1]
    flagged = flagged.split("</ol>")[0]
    assert NOTE in flagged
    assert "Level terverifikasi: 1 – Rintisan" in flagged
    assert f"Alasan fasilitator: {REASON}" in flagged


def test_verifying_leaves_the_answers_last_editor(returned, official, facilitator):
    online = response_of(returned, "GOV.G1.1")
    assert online.updated_by == official
    assert online.reviewed_by == facilitator
    html = signed_in(official).get(element_url(returned, "GOV.G1")).content.decode()
    assert f"Terakhir disimpan oleh {official}" in html
    assert f"Terakhir disimpan oleh {facilitator}" not in html


# --- 3: addressing flags --------------------------------------------------------------------------
def test_official_marks_a_flag_addressed_with_a_reply(returned, official):
    online = response_of(returned, "GOV.G1.1")
    reply = signed_in(official).post(flag_url(returned, online), {"reply": REPLY}, **HTMX)
    assert reply.status_code == 200
    html = reply.content.decode()
    assert f'id="review-notes-{online.pk}"' in html
    assert "Ditandai sudah ditindaklanjuti." in html and REPLY in html
    online.refresh_from_db()
    assert (online.flag_addressed, online.flag_reply) == (True, REPLY)


def test_an_empty_reply_is_refused_and_changes_nothing(returned, official):
    online = response_of(returned, "GOV.G1.1")
    reply = signed_in(official).post(flag_url(returned, online), {"reply": "  "}, **HTMX)
    assert reply.status_code == 422
    assert "Tuliskan tindak lanjut Anda" in reply.content.decode()
    online.refresh_from_db()
    assert not online.flag_addressed


def test_changing_the_answer_or_its_evidence_marks_the_flag_addressed(returned, official):
    online, complaints = response_of(returned, "GOV.G1.1"), response_of(returned, "GOV.G1.2")
    fix_narrative(online, official)
    services.evidence_add_link(
        response=complaints, user=official, url="https://jdih.example.go.id/sop-pengaduan"
    )
    online.refresh_from_db()
    complaints.refresh_from_db()
    assert online.flag_addressed and complaints.flag_addressed
    assert online.flag_reply == ""


def test_resubmitting_with_flags_untouched_asks_first_and_names_them(returned, official):
    client = signed_in(official)
    fix_narrative(response_of(returned, "GOV.G1.1"), official)
    asked = client.post(submit_url(returned))
    assert asked.status_code == 409
    html = asked.content.decode()
    assert "Ajukan ulang dengan tanda yang belum ditindaklanjuti?" in html
    listed = html.split('class="list-group mb-3 unaddressed-list"')[1].split("</ul>")[0]
    assert "GOV.G1.2" in listed and "GOV.G1.1" not in listed
    returned.refresh_from_db()
    assert returned.status == AssessmentStatus.RETURNED

    confirmed = client.post(submit_url(returned), {"confirm_unaddressed": "1"})
    assert confirmed.status_code == 302
    returned.refresh_from_db()
    assert returned.status == AssessmentStatus.SUBMITTED
    assert returned.events.filter(kind=EventKind.RESUBMITTED).exists()


def test_addressed_flags_resubmit_without_asking(returned, official):
    for code in ("GOV.G1.1", "GOV.G1.2"):
        services.response_flag_address(
            response=response_of(returned, code), user=official, reply=REPLY
        )
    assert signed_in(official).post(submit_url(returned)).status_code == 302
    returned.refresh_from_db()
    assert returned.status == AssessmentStatus.SUBMITTED


def test_only_the_regions_officials_may_answer_a_flag(
    returned, facilitator, other_official, outsider
):
    online = response_of(returned, "GOV.G1.1")
    for persona in (other_official, outsider):
        assert (
            signed_in(persona).post(flag_url(returned, online), {"reply": "x"}).status_code == 404
        )
    refused = signed_in(facilitator).post(flag_url(returned, online), {"reply": "x"}, **HTMX)
    assert refused.status_code == 403
    online.refresh_from_db()
    assert not online.flag_addressed


def test_a_flag_cannot_be_answered_once_resubmitted(returned, official):
    online = response_of(returned, "GOV.G1.1")
    services.assessment_submit(assessment=returned, user=official, unaddressed_confirmed=True)
    with pytest.raises(services.WrongState):
        services.response_flag_address(response=online, user=official, reply=REPLY)


# --- 3 and 4: the facilitator's re-review ---------------------------------------------------------
@pytest.fixture
def resubmitted(returned, official):
    """GOV.G1.1 fixed (level 3, new narrative, a new link), GOV.G1.2 answered by a reply."""
    online, complaints = response_of(returned, "GOV.G1.1"), response_of(returned, "GOV.G1.2")
    services.response_save(
        response=online,
        user=official,
        expected_version=online.version,
        answer=Answer(3, False, "", "Layanan daring di DPMPTSP dan Disdukcapil.", None),
    )
    old_link = online.evidence.get()
    services.evidence_remove(evidence=old_link, user=official)
    services.evidence_add_link(
        response=online, user=official, url="https://jdih.example.go.id/sk-tim-2026"
    )
    services.response_flag_address(response=complaints, user=official, reply=REPLY)
    services.assessment_submit(assessment=returned, user=official)
    returned.refresh_from_db()
    return returned


def test_queue_shows_a_resubmission_and_its_round(resubmitted, assessment, facilitator):
    html = signed_in(facilitator).get(reverse("assessments:review_queue")).content.decode()
    assert "diajukan ulang" in html
    assert "putaran 2" in html


def test_queue_shows_a_first_submission_as_submitted(assessment, official, facilitator):
    answer_everything(assessment, official)
    services.assessment_submit(assessment=assessment, user=official)
    html = signed_in(facilitator).get(reverse("assessments:review_queue")).content.decode()
    assert "diajukan ulang" not in html and "putaran" not in html


def test_review_filter_keeps_changed_and_flagged_items(resubmitted, facilitator):
    url = reverse("assessments:review", args=[resubmitted.pk])
    html = signed_in(facilitator).get(url, {"show": "changed"}).content.decode()
    assert "Berubah sejak dikembalikan / ditandai" in html
    shown = {
        code for code in ("GOV.G1.1", "GOV.G1.2", "GOV.G1.3") if f'id="indicator-{code}"' in html
    }
    assert shown == {"GOV.G1.1", "GOV.G1.2"}
    assert html.count('class="review-item card') == 2


def test_review_shows_what_changed_the_flag_state_reply_and_previous_verification(
    resubmitted, facilitator
):
    html = signed_in(facilitator).get(reverse("assessments:review", args=[resubmitted.pk]))
    html = html.content.decode()
    online = html[html.index('id="indicator-GOV.G1.1"') : html.index('id="indicator-GOV.G1.2"')]
    assert "Berubah sejak dikembalikan" in online
    assert "Level: 2 – Terkelola → 3 – Terdefinisi" in online
    assert "Narasi diubah." in online and "Narasi GOV.G1.1" in online
    assert "Bukti dukung ditambahkan: https://jdih.example.go.id/sk-tim-2026" in online
    assert "Bukti dukung dihapus: https://jdih.example.go.id/GOV.G1.1" in online
    assert "Sudah ditindaklanjuti" in online
    assert f"Verifikasi sebelumnya: 1 – Rintisan · {REASON}" in online
    complaints = html[html.index('id="indicator-GOV.G1.2"') : html.index('id="indicator-GOV.G1.3"')]
    assert f"Balasan daerah:</strong> {REPLY}" in complaints
    assert "Berubah sejak dikembalikan" not in complaints
    untouched = html[html.index('id="indicator-GOV.G1.3"') :][:3000]
    assert "Berubah sejak dikembalikan" not in untouched and "Ditandai" not in untouched


def test_official_sees_the_previous_verification_after_changing_the_answer(resubmitted, official):
    html = signed_in(official).get(element_url(resubmitted, "GOV.G1")).content.decode()
    card = html[html.index('id="indicator-GOV.G1.1"') : html.index('id="indicator-GOV.G1.2"')]
    assert "Verifikasi sebelumnya: 1 – Rintisan" in card and REASON in card
    assert "Level terverifikasi:" not in card


def test_approval_and_a_new_return_end_the_previous_flags(resubmitted, facilitator):
    services.assessment_approve(assessment=resubmitted, user=facilitator)
    assert not resubmitted.responses.filter(flagged=True).exists()
    assert not resubmitted.responses.exclude(flag_reply="").exists()


# --- 5: the discussion count ----------------------------------------------------------------------
def test_a_comment_on_the_review_page_updates_the_discussion_count(returned, facilitator):
    online = response_of(returned, "GOV.G1.1")
    services.assessment_submit(
        assessment=returned, user=online.updated_by, unaddressed_confirmed=True
    )
    url = reverse("assessments:comment_add", args=[returned.pk, online.pk])
    reply = signed_in(facilitator).post(url, {"body": "Mohon cek SK.", "count_oob": "1"}, **HTMX)
    html = reply.content.decode()
    count = f'<span id="comment-count-{online.pk}" class="badge text-bg-light border"'
    assert f'{count} hx-swap-oob="true">1</span>' in html
    # The element page has no such count outside its thread: nothing is swapped out of band.
    plain = signed_in(facilitator).post(url, {"body": "Kedua."}, **HTMX).content.decode()
    assert "hx-swap-oob" not in plain
