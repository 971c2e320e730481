"""In a real browser: an official's home page shows what was returned to them, with the
facilitator's note, and the latest comments on their answers, not only in an e-mail."""

import pytest
from playwright.sync_api import Page, expect

from assessments import services
from assessments.models import Assessment
from smartcity.models import Region
from tests.assessments.conftest import answer_everything, open_cycle
from tests.e2e.test_assessment_loop import REGION, sign_in
from tests.helpers import response_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTE = "Mohon lengkapi SK tim layanan digital pada GOV.G1.1."
COMMENT = "Lampiran SK belum terbaca, mohon unggah ulang."


def test_the_official_reads_the_return_note_and_recent_comments_at_home(
    page: Page, live_server, official, facilitator, administrator, region
):
    open_cycle(administrator, Region.objects.filter(pk=region.pk))
    assessment = Assessment.objects.get(region=region)
    answer_everything(assessment, official)
    services.assessment_submit(assessment=assessment, user=official)
    g1 = response_of(assessment, "GOV.G1.1")
    services.response_comment_add(response=g1, user=facilitator, body=COMMENT)
    services.response_comment_add(response=g1, user=official, body="Komentar sendiri.")
    services.assessment_return(
        assessment=assessment, user=facilitator, note=NOTE, flags=[services.Flag(g1.pk)]
    )

    sign_in(page, live_server, official.username)
    returned = page.get_by_role("region", name="Dikembalikan untuk perbaikan")
    expect(returned).to_contain_text(NOTE)
    comments = page.get_by_role("region", name="Komentar terbaru")
    expect(comments).to_contain_text(COMMENT)
    expect(comments).to_contain_text(facilitator.username)
    expect(comments).not_to_contain_text("Komentar sendiri.")
    comments.get_by_role("link", name="GOV.G1.1").click()
    expect(page).to_have_url(
        f"{live_server.url}/assessments/{assessment.pk}/elements/GOV.G1/#indicator-GOV.G1.1"
    )
    page.goto(f"{live_server.url}/")
    returned.get_by_role("link", name=REGION, exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REGION)
