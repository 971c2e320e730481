"""The official's home page: returned assessments with the note, recent comments by others;
nothing from regions outside their scope; a fixed number of queries. And `make run` prints the
e-mails in the console."""

import subprocess

from django.test import Client
from django.urls import reverse

from assessments import services
from tests.assessments.conftest import answer_everything
from tests.helpers import PROJECT_ROOT, response_of

NOTE = "Mohon lengkapi SK tim layanan digital."


def home_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_home_shows_the_return_note_and_others_comments_in_scope_only(
    assessment, other_assessment, official, other_official, facilitator,
    django_assert_num_queries,
):  # fmt: skip
    answer_everything(assessment, official)
    services.assessment_submit(assessment=assessment, user=official)
    for number in range(7):
        services.response_comment_add(
            response=response_of(assessment, "GOV.G1.1"), user=facilitator, body=f"Catatan {number}"
        )
    services.response_comment_add(
        response=response_of(other_assessment, "GOV.G1.1"), user=other_official, body="Lain daerah"
    )
    flag = services.Flag(response_of(assessment, "GOV.G1.1").pk)
    services.assessment_return(assessment=assessment, user=facilitator, note=NOTE, flags=[flag])
    client = Client()
    client.force_login(official)
    # The session and user, the memberships, the returned assessments, the comments.
    with django_assert_num_queries(5):
        html = client.get(reverse("home")).content.decode()
    assert NOTE in html
    assert "Catatan 6" in html and "Catatan 2" in html and "Catatan 1" not in html  # latest five
    assert "Lain daerah" not in html
    other = home_of(other_official)
    assert NOTE not in other and "Catatan" not in other
    assert "Komentar terbaru" not in home_of(facilitator)


def test_make_run_serves_with_the_console_email_backend():
    dry_run = subprocess.run(
        ["make", "-n", "run"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    serve = [line for line in dry_run.stdout.splitlines() if "runserver" in line]
    assert serve and "EMAIL_URL=consolemail://" in serve[0]
