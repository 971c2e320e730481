"""The small things of the second walk-through (issue 9, point 13): one date format, grouped
numbers, the keyboard shortcuts' title, English wording, the administrator's home card and the
admin's branding. (Role names in `seed_demo`: tests/smartcity/test_seed_demo.py.)"""

import datetime
import re

from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from assessments import services
from assessments.rules import Answer, Scale, answer_problems
from assessments.selectors import review_refusal
from tests.assessments.conftest import answer_everything
from tests.helpers import PROJECT_ROOT


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_page_writes_dates_in_the_one_format_of_its_language(framework, official):
    moment = datetime.datetime(2026, 12, 2, 14, 5, tzinfo=datetime.UTC)
    with translation.override("id"):
        assert date_format(moment.date()) == "2 Des 2026"
    with translation.override("en"):
        assert date_format(moment.date()) == "2 Dec 2026"
    framework.published_at = moment
    framework.save()
    page = signed_in(official).get(
        reverse("framework_detail", args=[framework.slug, framework.version])
    )
    assert "diterbitkan pada 2 Des 2026" in page.content.decode()
    # Beside the two formats people read, only machine formats: ISO 8601 ("c") and a date
    # input's value ("Y-m-d").
    literal = re.compile(r"""\|date:["'](?!DATE_FORMAT|DATETIME_FORMAT|c["']|Y-m-d["'])""")
    # The evaluation letter is an official letter, dated in full as such letters are
    # ("2 Desember 2026").
    letter = PROJECT_ROOT / "templates" / "evaluations" / "letter.html"
    templates = sorted(set((PROJECT_ROOT / "templates").rglob("*.html")) - {letter})
    assert [str(t) for t in templates if literal.search(t.read_text())] == []
    assert re.findall(r"""\|date:["']([^"']+)""", letter.read_text()) == ["j F Y"]


def test_the_narrative_limit_groups_its_thousands(framework):
    indicator = framework.pillars.first().elements.first().indicators.first()
    long = Answer(None, False, "", "x" * 10_001, None)
    with translation.override("id"):
        problems = answer_problems(long, indicator, Scale((0, 1, 2, 3, 4, 5)))
        assert problems["narrative"] == "Narasi paling banyak 10.000 karakter."
    with translation.override("en"):
        problems = answer_problems(long, indicator, Scale((0, 1, 2, 3, 4, 5)))
        assert problems["narrative"] == "Keep the narrative under 10,000 characters."


def test_review_page_names_its_keyboard_shortcuts(assessment, official, facilitator):
    answer_everything(assessment, official)
    services.assessment_submit(assessment=assessment, user=official)
    page = signed_in(facilitator).get(reverse("assessments:review", args=[assessment.pk]))
    assert "Pintasan papan ketik: <kbd>j</kbd>/<kbd>k</kbd>" in page.content.decode()


def test_english_speaks_of_rating_bands_and_of_an_assessments_status(
    assessment, framework, facilitator, english
):
    refusal = review_refusal(assessment, facilitator)
    assert refusal == (
        "This assessment has the status “draft”; only a submitted assessment can be reviewed."
    )
    facilitator.language = "en"
    facilitator.save()
    client = signed_in(facilitator)
    page = client.get(reverse("framework_detail", args=[framework.slug, framework.version]))
    html = page.content.decode()
    assert "Rating bands (predikat)" in html and "Predikat bands" not in html


def test_the_administrators_home_card_speaks_of_every_region(administrator, facilitator):
    admin_home = signed_in(administrator).get(reverse("home")).content.decode()
    assert "Penilaian yang diajukan semua daerah" in admin_home
    assert "diajukan daerah Anda" not in admin_home
    assert "diajukan daerah Anda" in signed_in(facilitator).get(reverse("home")).content.decode()


def test_the_django_admin_carries_the_products_name(administrator):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    page = signed_in(administrator).get(reverse("admin:index")).content.decode()
    assert "Kematangan Kota Cerdas · administrasi" in page
    assert "Django" not in page
