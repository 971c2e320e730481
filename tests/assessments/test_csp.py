"""The strict Content-Security-Policy: the headers, and no page that breaks it.

Every URL pattern of the resolver is fetched by every persona with real object ids; the HTML that
comes back (pages, error pages, htmx fragments) may hold no inline script, inline style,
event-handler attribute or eval-needing htmx attribute. A pattern without ids below fails the test.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import plotly
import plotly.graph_objects as go
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments import services
from assessments.models import Assessment, CycleOpeningJob, CycleScoresJob, Evidence, GapReport
from smartcity import jobs
from smartcity.templatetags.progress import progress_width
from tests.assessments.conftest import answer_everything
from tests.assessments.test_evidence import pdf_bytes
from tests.conftest import PROJECT_ROOT
from tests.csp import inline_code_problems

PERSONAS = ("anonymous", "official", "other_official", "facilitator", "administrator", "outsider")


# --- The policy itself ---
def directives(header: str) -> dict[str, list[str]]:
    policy = {}
    for part in header.split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


@pytest.mark.django_db
def test_pages_send_the_strict_policy_and_the_permissions_policy(client):
    response = client.get(reverse("login"))
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    # Beside 'self', only hashes of the fixed <style> elements Plotly adds.
    assert policy["style-src"][0] == "'self'"
    assert all(source.startswith("'sha256-") for source in policy["style-src"][1:])
    assert not any("unsafe" in value for values in policy.values() for value in values)
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["font-src"] == ["'self'"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions.split(", ")


def test_the_empty_style_hash_is_the_hash_of_nothing():
    import base64
    import hashlib

    empty = "'sha256-" + base64.b64encode(hashlib.sha256(b"").digest()).decode() + "'"
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"][1] == empty


def test_evidence_download_keeps_its_sandboxing_policy(world):
    client = Client()
    client.force_login(world.official)
    response = client.get(reverse("assessments:evidence_file", args=[world.evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    policy = directives(response["Content-Security-Policy"])
    assert policy["sandbox"] == []
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]  # shown in our own evidence dialog only
    assert "camera=()" in response["Permissions-Policy"]


# --- Every page every persona reaches ---
@dataclass(frozen=True)
class World:
    official: object
    other_official: object
    facilitator: object
    administrator: object
    outsider: object
    assessments: tuple[Assessment, ...]
    evidence: Evidence


@pytest.fixture
def world(official, other_official, facilitator, administrator, outsider, assessment,
          other_assessment) -> World:  # fmt: skip
    """A PDF and a comment on both regions' assessments; the official's complete and submitted."""
    answer_everything(assessment, official)
    evidence = {}
    for person, case in ((official, assessment), (other_official, other_assessment)):
        response = case.responses.order_by("indicator__position").first()
        client = Client()
        client.force_login(person)
        pdf = SimpleUploadedFile("laporan.pdf", pdf_bytes(), content_type="application/pdf")
        client.post(reverse("assessments:evidence_add", args=[case.pk, response.pk]), {"file": pdf})
        client.post(
            reverse("assessments:comment_add", args=[case.pk, response.pk]),
            {"body": "Mohon dicek <b>lampiran</b>."},
        )
        evidence[case.pk] = Evidence.objects.get(response=response, kind="file")
    submitter = Client()
    submitter.force_login(official)
    assert submitter.post(reverse("assessments:submit", args=[assessment.pk])).status_code == 302
    return World(
        official, other_official, facilitator, administrator, outsider,
        (assessment, other_assessment), evidence[assessment.pk],
    )  # fmt: skip


def url_patterns(resolver=None, prefix="", namespace=""):
    """(name, pattern, its URLPattern) for every route of the site but the admin."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from url_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or ""), prefix + str(entry.pattern), entry


def masterplan_objects(world: World):
    """A plan of the official's region with an item and a comment, and a drafting job (the
    world has no approved assessment: tests/masterplan drafts real plans)."""
    from masterplan.models import (
        ActionItem,
        ActionItemComment,
        HorizonChoice,
        MasterPlan,
        MasterPlanDraftJob,
    )

    assessment = world.assessments[0]
    plan = MasterPlan.objects.filter(region=assessment.region).first()
    if plan is None:
        plan = MasterPlan.objects.create(
            region=assessment.region, assessment=assessment, start_year=2027, inputs_hash="csp"
        )
        item = ActionItem.objects.create(
            plan=plan,
            title="Perwal <b>Satu Data</b>",
            horizon=HorizonChoice.QUICK_WIN,
            start_year=2027,
            end_year=2027,
            budget=50_000_000,
            funding_source="APBD",
        )
        ActionItemComment.objects.create(item=item, author=world.facilitator, body="<i>Cek</i>")
        MasterPlanDraftJob.objects.create(assessment=assessment, requested_by=world.official)
    return plan, plan.items.get(), MasterPlanDraftJob.objects.get(assessment__region=plan.region)


def _report_of(assessment: Assessment) -> GapReport:
    """The submitted assessment's preliminary report, built once."""
    report = GapReport.objects.filter(assessment=assessment).first()
    if report is None:
        report = services.gap_report_queue(assessment=assessment, user=None)
        jobs.run_inline(job=report, work=services.gap_report_build)
    return report


def _recomputation_of(cycle) -> CycleScoresJob:
    """The cycle's recomputation, queued once (the cycle page then shows it under way)."""
    return CycleScoresJob.objects.filter(cycle=cycle).first() or CycleScoresJob.objects.create(
        cycle=cycle
    )


def ids_for(name: str, arguments: set[str], world: World) -> list[dict]:
    """Real ids for a pattern's arguments; a pattern nobody gave ids for fails the test."""
    if not arguments:
        return [{}]
    if name.startswith("masterplan:export_") and name != "masterplan:export_start":
        from masterplan.exports.models import ExportJob

        return [{"pk": pk} for pk in ExportJob.objects.values_list("pk", flat=True)]
    if name.startswith("masterplan:"):
        plan, item, job = masterplan_objects(world)
        values = {
            "pk": job.pk if name.startswith("masterplan:draft_job") else plan.pk,
            "item_pk": item.pk,
        }
        return [{key: values[key] for key in arguments}]
        # The world has no approved assessment to draft from: tests/masterplan/test_plan_page.py
        # checks the plan page of a drafted plan as every persona.
        from masterplan.models import MasterPlan

        return [{"pk": pk} for pk in MasterPlan.objects.values_list("pk", flat=True)]
    if name.startswith("evaluations:"):
        # The world has no plan or round: tests/evaluations/test_pages.py walks the evaluation
        # pages of a world that has them, as every persona.
        from tests.evaluations.urls import ids_of

        return ids_of(name)
    if name == "dashboards:region":
        return [{"pk": case.region_id} for case in world.assessments]
    if name.startswith("assessments:gap_report"):
        ids = {"pk": _report_of(world.assessments[0]).pk, "table": "scores"}
        return [{key: ids[key] for key in arguments}]
    if name in (
        "assessments:cycle_detail",
        "assessments:cycle_close",
        "assessments:cycle_recompute",
    ):
        return [{"pk": world.assessments[0].cycle_id}]
    if name.startswith("assessments:cycle_scores"):
        return [{"pk": _recomputation_of(world.assessments[0].cycle).pk}]
    if name.startswith("assessments:cycle_opening_"):
        return [{"pk": CycleOpeningJob.objects.get(cycle=world.assessments[0].cycle_id).pk}]
    if arguments == {"slug", "version"}:
        framework = world.assessments[0].cycle.framework
        return [{"slug": framework.slug, "version": framework.version}]
    if arguments <= {"pk", "code", "response_pk", "evidence_pk"}:
        cases = []
        for case in world.assessments:
            evidence = Evidence.objects.select_related("response__indicator__element").get(
                response__assessment=case, kind="file"
            )
            values = {
                "pk": case.pk,
                "response_pk": evidence.response_id,
                "evidence_pk": evidence.pk,
                "code": evidence.response.indicator.element.code,
            }
            cases.append({key: values[key] for key in arguments})
        return cases
    pytest.fail(f"No ids for URL pattern {name} ({sorted(arguments)}): add them to ids_for().")


def urls_to_fetch(world: World) -> list[tuple[str, dict]]:
    """Every URL with ids, plus the htmx fragments a GET can return."""
    urls = []
    for name, _pattern, entry in url_patterns():
        arguments = set(entry.pattern.converters)
        for kwargs in ids_for(name, arguments, world):
            url = reverse(name, kwargs=kwargs)
            urls.append((url, {}))
            if name == "assessments:element":
                card = f"{url}?card={kwargs and world.evidence.response_id}"
                urls.append((card, {"HTTP_HX_REQUEST": "true"}))
    return urls


def test_no_page_any_persona_reaches_has_inline_code(world):
    urls = urls_to_fetch(world)
    problems, pages_seen = [], 0
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(getattr(world, persona))
        for url, headers in urls:
            response = client.get(url, **headers)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            html = b"".join(
                response.streaming_content if response.streaming else [response.content]
            )
            if response.status_code == 200:
                pages_seen += 1
            problems += [
                f"{persona} GET {url}: {found}" for found in inline_code_problems(html.decode())
            ]
    assert not problems, "\n".join(problems)
    # The walk really reached the pages: every persona but the anonymous one sees several.
    assert pages_seen > 40, pages_seen


# --- The pieces the pages use ---
@pytest.mark.parametrize(
    ("done", "total", "expected"),
    [(0, 10, "w-pct-0"), (1, 55, "w-pct-5"), (27, 55, "w-pct-50"), (54, 55, "w-pct-95"),
     (55, 55, "w-pct-100"), (0, 0, "w-pct-0"), (3, 4, "w-pct-75")],
)  # fmt: skip
def test_progress_width_rounds_to_a_class_that_exists(done, total, expected):
    assert progress_width(done, total) == expected
    css = (PROJECT_ROOT / "static" / "css" / "app.css").read_text()
    assert f".{expected} {{ width: {expected.removeprefix('w-pct-')}%; }}" in css


def test_plotly_figure_tag_writes_the_figure_as_json_data_not_code():
    figure = go.Figure(go.Bar(x=["GOV", "ECO"], y=[2.4, 3.1], name="</script><script>alert(1)"))
    html = Template('{% load charts %}{% plotly_figure figure "gap" "Kesenjangan" %}').render(
        Context({"figure": figure})
    )
    assert inline_code_problems(html) == []
    assert html.count("<script") == 1 and html.count("</script>") == 1  # the name cannot close it
    assert '<div class="plotly-chart" id="gap" data-plotly-figure="gap-figure" role="img"' in html
    data = re.search(r'<script type="application/json" id="gap-figure">(.*)</script>', html)
    assert plotly.io.from_json(data.group(1)).data[0].name == "</script><script>alert(1)"


def test_vendored_plotly_is_the_strict_bundle_of_the_python_packages_version():
    bundle = Path(settings.BASE_DIR) / "static" / "vendor" / "plotly" / "plotly.min.js"
    header = bundle.read_text(errors="replace")[:200]
    assert f"plotly.js (strict - minified) v{plotly.offline.get_plotlyjs_version()}" in header


def admin_urls(world: World) -> list[str]:
    """The admin's index, and each registered model's list, add page, one object and its history."""
    from django.contrib import admin

    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        some = model._default_manager.order_by("pk").first()
        if some is not None:
            for page in ("change", "history"):
                urls.append(
                    reverse(f"admin:{meta.app_label}_{meta.model_name}_{page}", args=[some.pk])
                )
    return urls


# django-simple-history's history page writes one style attribute; the browser refuses it, which
# only leaves a border above the paginator. Named here so nothing else slips through.
ADMIN_THIRD_PARTY = {"style attribute on <p>: 'border-top: 0'"}


def test_no_admin_page_has_inline_code(world):
    world.administrator.is_staff = world.administrator.is_superuser = (
        True  # as seed_demo makes them
    )
    world.administrator.save()
    client = Client()
    client.force_login(world.administrator)
    problems = []
    for url in admin_urls(world):
        response = client.get(url)
        assert response.status_code in (200, 403), url  # 403: a read-only model's add page
        problems += [
            f"GET {url}: {found}"
            for found in inline_code_problems(response.content.decode())
            if found.split(": ", 1)[1] not in ADMIN_THIRD_PARTY
        ]
    assert not problems, "\n".join(problems)
