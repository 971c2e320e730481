"""Who may use each page: the expectation table of the permission matrix, and what it runs on.

`tests/test_permission_matrix.py` sends a GET and an empty POST to every URL pattern of the project
as each persona, with the ids of region A's real objects, and compares the outcome with `EXPECTED`.
A pattern without an entry fails that test: a new page declares here who may use it.

Outcomes: "login" (302 to the sign-in page), "admin-login" (302 to the admin's sign-in page),
"404", "405", "403", "400", "409", or a status such as "200" / "302" for a page that answers.
403 appears only where a page refuses deliberately and says why: a person who may read an
assessment but not change it (a facilitator on the official's forms, plain or htmx), and the Django
admin on read-only models. Outside their scope people get 404, so that existence never leaks.

The world: region A (province 19) and region B (province 33), each with a submitted 2025
assessment (the review pages) and a draft 2026 one (the filling pages) on a small published
framework; on A's draft answer: a PDF and a link as evidence, and a comment; the 2026 cycle's
scores recomputed once.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments import services
from assessments.models import (
    Assessment,
    Cycle,
    CycleOpeningJob,
    CycleScoresJob,
    Evidence,
    GapReport,
    IndicatorResponse,
    ResponseComment,
)
from assessments.rules import Answer
from evaluations import services as evaluation_services
from evaluations.models import (
    EvaluationLetter,
    EvaluationRound,
    ProgressEvidence,
    RegionEvaluation,
)
from evaluations.scoring import DEFAULT_WEIGHTS
from masterplan.exports.models import ExportJob, ExportKind
from masterplan.models import (
    ActionItem,
    ActionItemComment,
    ActionLibrary,
    HorizonChoice,
    MasterPlan,
    MasterPlanDraftJob,
)
from smartcity import jobs
from smartcity.framework_files import read_framework_file
from smartcity.models import Framework, Region, Role, User
from smartcity.services import framework_load
from tests.factories import MembershipFactory, ProvinceFactory, RegionFactory
from tests.helpers import pdf_bytes

FRAMEWORK_FILE = Path(__file__).parent / "fixtures" / "frameworks" / "three-level.yaml"

PERSONAS = (
    "anonymous",
    "official_a",
    "official_b",
    "facilitator_a",  # facilitator of A's province
    "facilitator_b",  # facilitator of B's province only
    "administrator",
)
METHODS = ("GET", "POST")


Expectation = dict[str, dict[str, str]]  # method -> persona -> outcome


def everyone(outcome: str) -> dict[str, str]:
    return dict.fromkeys(PERSONAS, outcome)


def signed_in(outcome: str, anonymous: str = "login") -> dict[str, str]:
    """Every signed-in persona gets `outcome`; the anonymous visitor gets `anonymous`."""
    return {**everyone(outcome), "anonymous": anonymous}


def only(others: str = "404", **allowed: str) -> dict[str, str]:
    """The named personas get their outcome, the other signed-in ones `others` (404: outside
    their scope the page does not exist), the anonymous visitor the sign-in page."""
    return {**signed_in(others), **allowed}


def page(get: dict[str, str], post: dict[str, str]) -> Expectation:
    return {"GET": get, "POST": post}


def get_only(get: dict[str, str]) -> Expectation:
    """A page that only reads: POST is 405 for whoever is signed in."""
    return page(get, signed_in("405"))


def post_only(post: dict[str, str]) -> Expectation:
    """An action: GET is 405 for whoever is signed in."""
    return page(signed_in("405"), post)


# Region A's assessment is read by its official, the facilitator of its province and
# administrators; filled in by its official only; reviewed by the facilitator and administrators.
READ_A = {"official_a": "200", "facilitator_a": "200", "administrator": "200"}
REVIEW_A = {"facilitator_a": "200", "administrator": "200"}
# The deliberate 403s: a person who may read the assessment but not change it gets the page's
# own refusal with its reason (its existence is no secret to them); everyone else gets 404.
READ_ONLY_REFUSED = {"facilitator_a": "403", "administrator": "403"}
FACILITATORS_AND_ADMIN = {"facilitator_a": "200", "facilitator_b": "200", "administrator": "200"}

# url name (or route, for an unnamed pattern) -> method -> persona -> outcome.
# POSTs carry no data: what is checked is who gets in, not what a valid form does.
EXPECTED: dict[str, Expectation] = {
    # --- the core ---
    "home": page(signed_in("200"), signed_in("200")),
    "login": page(signed_in("302", anonymous="200"), signed_in("302", anonymous="200")),
    # a GET asks to confirm with a button (POST signs out)
    "logout": page(signed_in("200"), signed_in("302")),
    "switch_language": page(everyone("405"), everyone("302")),
    "healthz": page(everyone("200"), everyone("405")),
    "framework_list": get_only(signed_in("200")),
    "framework_detail": get_only(signed_in("200")),
    # an already published version: refused with a message, back to the framework
    "framework_publish": page(only(administrator="405"), only(administrator="302")),
    # --- filling in: region A's draft 2026 assessment ---
    "assessments:list": page(signed_in("200"), signed_in("200")),
    "assessments:overview": page(only(**READ_A), only(**READ_A)),
    "assessments:element": get_only(only(**READ_A)),
    # an empty answer is invalid (422) for the official
    "assessments:response_save": post_only(only(official_a="422", **READ_ONLY_REFUSED)),
    # incomplete: the official gets the list of gaps (422); readers are told they cannot submit
    "assessments:submit": post_only(
        only(official_a="422", facilitator_a="302", administrator="302")
    ),
    "assessments:comment_add": post_only(only(**dict.fromkeys(READ_A, "302"))),
    # the draft's answer is not flagged: the official is told so (409)
    "assessments:flag_address": post_only(only(official_a="409", **READ_ONLY_REFUSED)),
    "assessments:evidence_file": get_only(only(**READ_A)),
    "assessments:evidence_add": post_only(only(official_a="422", **READ_ONLY_REFUSED)),
    "assessments:evidence_delete": post_only(only(official_a="302", **READ_ONLY_REFUSED)),
    "assessments:response_history": get_only(only(**READ_A)),
    "assessments:excel_download": get_only(only(**READ_A)),
    "assessments:excel_upload": page(
        only(official_a="200", **READ_ONLY_REFUSED), only(official_a="200", **READ_ONLY_REFUSED)
    ),
    # --- review: region A's submitted 2025 assessment ---
    "assessments:review_queue": get_only(only(**FACILITATORS_AND_ADMIN)),
    "assessments:review": get_only(only(**REVIEW_A)),
    "assessments:verify": post_only(only(facilitator_a="422", administrator="422")),
    "assessments:return": page(only(**REVIEW_A), only(facilitator_a="422", administrator="422")),
    "assessments:approve": post_only(only(facilitator_a="302", administrator="302")),
    # --- cycles ---
    "assessments:cycle_list": get_only(only(**FACILITATORS_AND_ADMIN)),
    "assessments:cycle_open": page(only(administrator="200"), only(administrator="200")),
    "assessments:cycle_detail": get_only(only(**FACILITATORS_AND_ADMIN)),
    "assessments:cycle_opening_status": get_only(only(administrator="200")),
    # an empty POST lacks the confirmation: told so, back to the cycle
    "assessments:cycle_close": page(only(administrator="405"), only(administrator="302")),
    # the cycle's recomputation is queued, on to its page (404 for anyone else, as for closing)
    "assessments:cycle_recompute": page(only(administrator="405"), only(administrator="302")),
    "assessments:cycle_scores": get_only(only(administrator="200")),
    "assessments:cycle_scores_status": get_only(only(administrator="200")),
    # region A's draft: its reviewers are told the date is missing; its official gets 404
    "assessments:extend_deadline": post_only(only(facilitator_a="302", administrator="302")),
    # --- master plans: region A's draft plan (drafted from its submitted assessment) ---
    "masterplan:plan_list": get_only(signed_in("200")),
    "masterplan:plan_detail": get_only(only(**READ_A)),
    # an empty POST: no version (422); readers are told they cannot edit
    "masterplan:plan_sections": page(
        only(official_a="200", **READ_ONLY_REFUSED), only(official_a="422", **READ_ONLY_REFUSED)
    ),
    "masterplan:plan_submit": post_only(only(official_a="302", **READ_ONLY_REFUSED)),
    # a draft plan is not in review: the facilitator is told so, back on the plan
    "masterplan:plan_reviewed": post_only(
        only(official_a="403", facilitator_a="302", administrator="302")
    ),
    "masterplan:plan_finalise": post_only(only(official_a="302", **READ_ONLY_REFUSED)),
    # not final: the official is told so, back on the plan
    "masterplan:plan_new_version": post_only(only(official_a="302", **READ_ONLY_REFUSED)),
    # no approved assessment to regenerate from: the official is told so, back on the plan
    "masterplan:plan_regenerate": page(
        only(official_a="302", **READ_ONLY_REFUSED), only(official_a="302", **READ_ONLY_REFUSED)
    ),
    "masterplan:item_create": page(
        only(official_a="200", **READ_ONLY_REFUSED), only(official_a="422", **READ_ONLY_REFUSED)
    ),
    "masterplan:item_detail": page(only(**READ_A), only(official_a="422", **READ_ONLY_REFUSED)),
    # no version: the official is told the page is out of date, back on the item
    "masterplan:item_delete": post_only(only(official_a="302", **READ_ONLY_REFUSED)),
    # an empty comment (422)
    "masterplan:item_comment": post_only(only(**dict.fromkeys(READ_A, "422"))),
    # an empty draft form: the error is shown on the plan list
    "masterplan:draft_start": post_only(signed_in("302")),
    "masterplan:draft_job": get_only(only(**READ_A)),
    "masterplan:draft_job_status": get_only(only(**READ_A)),
    # the job has not failed: nothing to retry, back to its page
    "masterplan:draft_job_retry": post_only(only(**dict.fromkeys(READ_A, "302"))),
    "assessments:cycle_opening_retry": post_only(only(administrator="302")),
    "assessments:cycle_scores_retry": post_only(only(administrator="302")),
    # --- evaluations: region A's plan and its evaluation in the open 2026 round ---
    "evaluations:progress_list": get_only(signed_in("200")),
    "evaluations:progress_plan": get_only(only(**READ_A)),
    "evaluations:progress_evidence": get_only(only(**READ_A)),
    # an empty report is invalid (422) for the official; readers are told they cannot report
    "evaluations:progress_item": page(only(**READ_A), only(official_a="422", **READ_ONLY_REFUSED)),
    "evaluations:lagging": get_only(only(**FACILITATORS_AND_ADMIN)),
    "evaluations:round_list": get_only(only(**FACILITATORS_AND_ADMIN)),
    "evaluations:round_open": page(only(administrator="200"), only(administrator="200")),
    "evaluations:round_detail": get_only(only(**FACILITATORS_AND_ADMIN)),
    "evaluations:round_precompute": page(only(administrator="405"), only(administrator="302")),
    "evaluations:evaluation_detail": get_only(only(**READ_A)),
    # an empty score or recommendation is invalid (422) for the assessors; the official may read
    # the evaluation but not judge it (403)
    "evaluations:judge": post_only(
        only(facilitator_a="422", administrator="422", official_a="403")
    ),
    "evaluations:recommend": post_only(
        only(facilitator_a="422", administrator="422", official_a="403")
    ),
    # Impact is not judged yet: the assessors are told so, back on the evaluation
    "evaluations:finalise": post_only(
        only(facilitator_a="302", administrator="302", official_a="403")
    ),
    "evaluations:result": get_only(only(**READ_A)),
    # not final yet: told so, back on the result
    "evaluations:letter_request": post_only(only(**dict.fromkeys(READ_A, "302"))),
    "evaluations:letter_download": get_only(only(**READ_A)),
    "evaluations:letter_status": get_only(only(**READ_A)),
    "evaluations:letter_retry": post_only(only(**dict.fromkeys(READ_A, "302"))),
    # --- dashboards: facilitators over their scope, administrators over every region ---
    "dashboards:progress": get_only(only(**FACILITATORS_AND_ADMIN)),
    "dashboards:progress_export": get_only(only(**FACILITATORS_AND_ADMIN)),
    "dashboards:maturity": get_only(only(**FACILITATORS_AND_ADMIN)),
    "dashboards:map": get_only(only(**FACILITATORS_AND_ADMIN)),
    "dashboards:achievement": get_only(only(**FACILITATORS_AND_ADMIN)),
    # region A's page: its official, its province's facilitator and administrators
    "dashboards:region": get_only(only(**READ_A)),
    # exports of region A's plan: whoever reads the plan; an empty POST goes back to the plan
    "masterplan:export_start": post_only(only(**dict.fromkeys(READ_A, "302"))),
    "masterplan:export_detail": get_only(only(**READ_A)),
    "masterplan:export_download": get_only(only(**READ_A)),
    "masterplan:export_status": get_only(only(**READ_A)),
    # the export is done: nothing to retry, back to its page
    "masterplan:export_retry": post_only(only(**dict.fromkeys(READ_A, "302"))),
    # --- gap reports: the draft has none (a page saying so; building it is refused with the
    # reason), region A's submitted 2025 assessment has a finished preliminary report ---
    "assessments:assessment_report": page(only(**READ_A), only(**dict.fromkeys(READ_A, "403"))),
    "assessments:gap_report": get_only(only(**READ_A)),
    "assessments:gap_report_csv": get_only(only(**READ_A)),
    "assessments:gap_report_xlsx": get_only(only(**READ_A)),
    "assessments:gap_report_status": get_only(only(**READ_A)),
    # a finished report is not retried: back to the report
    "assessments:gap_report_retry": post_only(only(**dict.fromkeys(READ_A, "302"))),
}


# --- The Django admin ---------------------------------------------------------------------------
def admin_only(get: str, post: str) -> Expectation:
    """A page of the admin site itself: only the administrator (staff) gets in."""
    return page(
        {**everyone("admin-login"), "administrator": get},
        {**everyone("admin-login"), "administrator": post},
    )


ADMIN_SITE: dict[str, Expectation] = {
    "admin:index": admin_only("200", "200"),
    "admin:login": page(
        {**everyone("200"), "administrator": "302"}, everyone("200")
    ),  # a signed-in non-staff person is told they lack access
    "admin:logout": page(
        {**signed_in("302", anonymous="admin-login"), "administrator": "405"},
        signed_in("302", anonymous="admin-login"),
    ),
    "admin:password_change": admin_only("200", "200"),
    "admin:password_change_done": admin_only("200", "405"),
    "admin:autocomplete": admin_only("403", "405"),  # Django's own 403 without its parameters
    "admin:jsi18n": admin_only("200", "405"),
    "admin:view_on_site": admin_only("404", "404"),  # no model has a public page
    "admin:app_list": admin_only("200", "200"),
    "admin/(?P<url>.*)$": admin_only("404", "404"),
}

# Each model in the admin: what the administrator gets on its pages, "GET/POST". The pages not
# named answer "200/200" (list, history, field history) and "302/302" (the bare object address,
# which redirects to its change page). Read-only models answer Django's deliberate 403 to add,
# delete and saving a change: they change only through the app's own pages and services.
ADMIN_MODELS: dict[str, dict[str, str]] = {
    "auth.group": {"add": "200/200", "change": "200/200", "delete": "200/200"},
    # axes: an administrator unlocks a person by deleting their attempts
    "axes.accessattempt": {"add": "403/403", "change": "200/302", "delete": "200/200"},
    "axes.accesslog": {"add": "403/403", "change": "200/302", "delete": "200/200"},
    "axes.accessfailurelog": {"add": "403/403", "change": "200/302", "delete": "200/200"},
    "smartcity.user": {"add": "200/200", "change": "200/200", "delete": "200/200"},
    "smartcity.province": {"add": "200/200", "change": "200/200", "delete": "200/200"},
    "smartcity.region": {"add": "200/200", "change": "200/200", "delete": "200/200"},
    "smartcity.membership": {"add": "200/200", "change": "200/200", "delete": "200/200"},
    # the matrix's framework is published, hence frozen
    "smartcity.framework": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    "smartcity.pillar": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    "smartcity.element": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    "smartcity.indicator": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    # deadlines move in the admin; cycles open through the app
    "assessments.cycle": {"add": "403/403", "change": "200/200", "delete": "403/403"},
    "assessments.assessment": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    "assessments.indicatorresponse": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    "assessments.evidence": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    "assessments.responsecomment": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    # plans change only through the services; libraries only through load_action_library
    "masterplan.actionlibrary": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    "masterplan.masterplan": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    "masterplan.actionitem": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    "masterplan.actionitemcomment": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    "masterplan.masterplandraftjob": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    # rounds open, reports are made and evaluations judged only through the app
    "evaluations.evaluationround": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    "evaluations.regionevaluation": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    "evaluations.progressupdate": {"add": "403/403", "change": "200/403", "delete": "403/403"},
    "masterplan.exportjob": {"add": "403/403", "change": "200/403", "delete": "403/403"},
}
_ADMIN_ACTION = re.compile(
    r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z]+)_(?P<action>changelist|add|history|delete|change"
    r"|simple_history|password_change)$"
)


def _admin_model_expectation(label: str, action: str) -> Expectation | None:
    actions = ADMIN_MODELS.get(label)
    if actions is None:
        return None
    codes = actions.get(action, "302/302" if action == "object" else "200/200")
    get, post = codes.split("/")
    return page(
        {**signed_in("admin-login"), "administrator": get},
        {**signed_in("admin-login"), "administrator": post},
    )


def expectation_for(route: "Route") -> Expectation | None:
    """The declared outcomes of `route`, or None when nobody declared them."""
    if route.key in EXPECTED:
        return EXPECTED[route.key]
    if route.key in ADMIN_SITE:
        return ADMIN_SITE[route.key]
    if not route.route.startswith("admin/"):
        return None
    if route.key == "admin:auth_user_password_change":
        return _admin_model_expectation("smartcity.user", "password")
    match = _ADMIN_ACTION.match(route.key)
    if match:
        return _admin_model_expectation(f"{match['app']}.{match['model']}", match["action"])
    unnamed = re.fullmatch(r"admin/(\w+)/(\w+)/<path:object_id>/", route.route)
    if unnamed:
        return _admin_model_expectation(f"{unnamed[1]}.{unnamed[2]}", "object")
    return None


@dataclass
class World:
    """Region A's objects, whose ids fill the URL patterns, and the personas' users."""

    users: dict[str, User | None]
    framework: Framework
    cycle: Cycle
    draft: Assessment
    submitted: Assessment
    draft_response: IndicatorResponse
    submitted_response: IndicatorResponse
    evidence: Evidence
    comment: ResponseComment
    element_code: str


def _open(administrator: User, framework: Framework, year: int) -> Cycle:
    return services.cycle_open(
        user=administrator,
        year=year,
        title=f"Penilaian Mandiri {year}",
        framework=framework,
        opens_on=datetime.date(year, 3, 1),
        closes_on=datetime.date(year, 6, 30),
        regions=Region.objects.all(),
        run_now=True,
    ).cycle


def _answer_all(assessment: Assessment, user: User) -> None:
    for response in assessment.responses.select_related("indicator", "assessment"):
        services.response_save(
            response=response,
            user=user,
            expected_version=response.version,
            answer=Answer(
                self_level=2,
                not_applicable=False,
                na_reason="",
                narrative=f"Narasi {response.indicator.code}",
                target_level=None,
            ),
        )
        if response.indicator.needs_evidence_at(2):
            services.evidence_add_link(
                response=response, user=user, url="https://jdih.example.go.id/perwali"
            )


def build_world() -> World:
    """Two regions in two provinces, the six personas and region A's objects (see the module)."""
    region_a = RegionFactory(
        code="19.71", name="Kota Pangkal Pinang", province=ProvinceFactory(code="19")
    )
    region_b = RegionFactory(
        code="33.74", name="Kota Semarang", province=ProvinceFactory(code="33")
    )
    users: dict[str, User | None] = {
        "anonymous": None,
        "official_a": MembershipFactory(
            user__username="official-a", role=Role.OFFICIAL, region=region_a
        ).user,
        "official_b": MembershipFactory(
            user__username="official-b", role=Role.OFFICIAL, region=region_b
        ).user,
        "facilitator_a": MembershipFactory(
            user__username="facilitator-a",
            role=Role.FACILITATOR,
            region=None,
            province=region_a.province,
        ).user,
        "facilitator_b": MembershipFactory(
            user__username="facilitator-b",
            role=Role.FACILITATOR,
            region=None,
            province=region_b.province,
        ).user,
        "administrator": MembershipFactory(
            user__username="administrator",
            user__is_staff=True,
            user__is_superuser=True,
            role=Role.ADMIN,
            region=None,
        ).user,
    }
    administrator = users["administrator"]
    framework = framework_load(spec=read_framework_file(FRAMEWORK_FILE), publish=True).framework
    earlier = _open(administrator, framework, 2025)
    for region, official in ((region_a, users["official_a"]), (region_b, users["official_b"])):
        assessment = Assessment.objects.get(cycle=earlier, region=region)
        _answer_all(assessment, official)
        services.assessment_submit(assessment=assessment, user=official)
    cycle = _open(administrator, framework, 2026)
    draft = Assessment.objects.get(cycle=cycle, region=region_a)
    submitted = Assessment.objects.get(cycle=earlier, region=region_a)
    draft_response = draft.responses.select_related("indicator__element").order_by("pk").first()
    evidence = services.evidence_add_file(
        response=draft_response,
        user=users["official_a"],
        upload=SimpleUploadedFile("SK Walikota.pdf", pdf_bytes()),
    )
    comment = services.response_comment_add(
        response=draft_response, user=users["official_a"], body="Mohon dicek datanya."
    )
    report = services.gap_report_queue(assessment=submitted, user=users["facilitator_a"])
    jobs.run_inline(job=report, work=services.gap_report_build)
    recomputation = services.cycle_scores_request(cycle=cycle, user=administrator)
    jobs.run_inline(job=recomputation, work=services.cycle_scores_run)
    plan = MasterPlan.objects.create(
        region=region_a, assessment=submitted, start_year=2026, inputs_hash="matrix"
    )
    item = ActionItem.objects.create(
        plan=plan,
        title="Perwal Satu Data",
        horizon=HorizonChoice.QUICK_WIN,
        start_year=2026,
        end_year=2026,
    )
    ActionItemComment.objects.create(item=item, author=users["facilitator_a"], body="Cek pagu.")
    MasterPlanDraftJob.objects.create(assessment=submitted, requested_by=users["official_a"])
    export = ExportJob.objects.create(
        plan=plan,
        kind=ExportKind.PDF,
        language="id",
        plan_edition=1,
        plan_version=1,
        inputs_hash="matrix",
        status="done",
    )
    export.file.save("book.pdf", ContentFile(pdf_bytes()))
    ActionLibrary.objects.create(
        framework=framework,
        version=1,
        title_id="Pustaka aksi",
        title_en="Action library",
        content_hash="matrix",
        spec={},
        action_count=0,
    )
    evaluation_services.progress_report(
        item=ActionItem.objects.get(plan=plan),
        user=users["official_a"],
        period=evaluation_services.semester_periods(2026)[0],
        values=evaluation_services.Progress(status="in_progress", percent=40),
        upload=SimpleUploadedFile("Laporan kemajuan.pdf", pdf_bytes()),
    )
    evaluation_round = evaluation_services.round_open(
        user=administrator,
        year=2026,
        title="Evaluasi Smart City 2026",
        weights=DEFAULT_WEIGHTS,
        stages=[
            evaluation_services.Stage(
                "desk", datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)
            ),
            evaluation_services.Stage(
                "field", datetime.date(2026, 10, 1), datetime.date(2026, 11, 15)
            ),
        ],
        regions=Region.objects.all(),
    )
    letter = EvaluationLetter.objects.create(
        evaluation=evaluation_round.evaluations.get(region=region_a), status="done"
    )
    letter.file.save("letter.pdf", ContentFile(pdf_bytes()))
    # One row for each admin page that needs an object (axes' logs, groups).
    Group.objects.create(name="Tim verifikasi")
    AccessAttempt.objects.create(
        username="official-a", ip_address="10.0.0.1", user_agent="", failures_since_start=1
    )
    AccessFailureLog.objects.create(username="official-a", ip_address="10.0.0.1", user_agent="")
    AccessLog.objects.create(username="official-a", ip_address="10.0.0.1", user_agent="")
    return World(
        users=users,
        framework=framework,
        cycle=cycle,
        draft=draft,
        submitted=submitted,
        draft_response=draft_response,
        submitted_response=submitted.responses.order_by("pk").first(),
        evidence=evidence,
        comment=comment,
        element_code=draft_response.indicator.element.code,
    )


# --- The URL patterns, from the resolver --------------------------------------------------------
@dataclass(frozen=True)
class Route:
    key: str  # the URL name with its namespace, or the route itself for an unnamed pattern
    route: str
    pattern: URLPattern


def all_routes() -> list[Route]:
    """Every URL pattern of the project, admin included."""

    def walk(patterns, prefix: str, namespace: str | None):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or None
                if namespace and inner:
                    inner = f"{namespace}:{inner}"
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner or namespace)
            else:
                route = prefix + str(entry.pattern)
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                yield Route(key=name or route, route=route, pattern=entry)

    return list(walk(get_resolver().url_patterns, "", None))


_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def _admin_object(route: Route, world: World):
    """The object an admin URL of `route` is about: region A's, where the model has one."""
    app_label, model_name = route.route.split("/")[1:3]
    model = apps.get_model(app_label, model_name)
    preferred = {
        User: world.users["official_a"],
        Assessment: world.draft,
        IndicatorResponse: world.draft_response,
        Evidence: world.evidence,
        ResponseComment: world.comment,
        Cycle: world.cycle,
        Framework: world.framework,
    }
    return preferred.get(model) or model.objects.order_by("pk").first()


def _values(route: Route, world: World) -> dict[str, object]:
    reviewing = "/review/" in route.route
    values = {
        "slug": world.framework.slug,
        "version": world.framework.version,
        "pk": (world.submitted if reviewing else world.draft).pk,
        "response_pk": (world.submitted_response if reviewing else world.draft_response).pk,
        "code": world.element_code,
        "evidence_pk": world.evidence.pk,
        "id": world.users["official_a"].pk,
        "content_type_id": ContentType.objects.get_for_model(Region).pk,
    }
    if route.route.startswith("assessments/cycles/"):
        values["pk"] = world.cycle.pk
    if route.route.startswith("masterplan/"):
        plan = MasterPlan.objects.get(region=world.draft.region)
        values["pk"] = plan.pk
        values["item_pk"] = plan.items.get().pk
    if route.route.startswith("masterplan/drafts/"):
        values["pk"] = MasterPlanDraftJob.objects.get(assessment__region=world.draft.region).pk
    if route.route.startswith("evaluations/"):
        values["pk"] = _evaluation_pk(route, world)
    if route.route.startswith("dashboards/regions/"):
        values["pk"] = world.draft.region_id
    if route.route.startswith("masterplan/exports/"):
        values["pk"] = ExportJob.objects.get(plan__region=world.draft.region).pk
    if route.route.startswith("assessments/cycles/openings/"):
        values["pk"] = CycleOpeningJob.objects.get(cycle=world.cycle).pk
    if route.route.startswith("assessments/cycles/recomputations/"):
        values["pk"] = CycleScoresJob.objects.get(cycle=world.cycle).pk
    if route.route.startswith("assessments/reports/"):
        values["pk"] = GapReport.objects.get(assessment=world.submitted).pk
        values["table"] = "scores"
    if route.key == "admin:view_on_site":
        values["object_id"] = world.draft.region_id
    elif "<path:object_id>" in route.route:
        obj = _admin_object(route, world)
        values["object_id"] = obj.pk if obj is not None else 1
    return values


def _evaluation_pk(route: Route, world: World) -> int:
    """Region A's object the evaluation page is about."""
    region = world.draft.region
    if route.route.startswith("evaluations/progress/evidence/"):
        return ProgressEvidence.objects.get(update__item__plan__region=region).pk
    if route.route.startswith("evaluations/progress/item/"):
        return ActionItem.objects.get(plan__region=region).pk
    if route.route.startswith("evaluations/progress/"):
        return MasterPlan.objects.get(region=region).pk
    if route.route.startswith("evaluations/rounds/"):
        return EvaluationRound.objects.get().pk
    if route.route.startswith("evaluations/letters/"):
        return EvaluationLetter.objects.get(evaluation__region=region).pk
    return RegionEvaluation.objects.get(region=region).pk


def url_of(route: Route, world: World) -> str:
    """The path of `route` filled with ids of region A's objects."""
    if route.key == "admin:app_list":
        return reverse(route.key, kwargs={"app_label": "assessments"})
    if route.route.endswith("(?P<url>.*)$"):  # the admin's catch-all
        return "/admin/no-such-page/"
    if route.key.endswith("_simple_history"):
        obj = _admin_object(route, world)
        record = obj.history.order_by("history_id").first()
        return reverse(route.key, args=[obj.pk, record.history_id])
    values = _values(route, world)
    return "/" + _PARAMETER.sub(lambda match: str(values[match.group(1)]), route.route)
