"""Fuzzing with Hypothesis: random input never causes a 500, a rejection never writes, and each
rejection says something.

- every POST endpoint of the permission matrix, as a persona allowed to use it, with random form
  fields (the app's own field names and others, odd values, with and without htmx);
- every GET page with random query-string filters, the admin's change lists included;
- random ids and codes in the URL patterns;
- the Excel upload: random bytes, and real workbooks with random cells;
- the importers: region files (CSV) and framework files (YAML), random and mutated.

Each request runs in a savepoint that is rolled back, so one world serves all examples. Bounded by
`max_examples` (the whole module takes a few minutes at most on CI); the request and 500 counts
are printed at the end of the module.
"""

import contextlib
import copy
import io
import os
import string
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import (
    Assessment,
    AssessmentEvent,
    Cycle,
    Evidence,
    IndicatorResponse,
    ResponseComment,
)
from smartcity.models import Element, Framework, Indicator, Membership, Pillar, Province, Region
from tests.permission_matrix import (
    FRAMEWORK_FILE,
    METHODS,
    all_routes,
    build_world,
    expectation_for,
    url_of,
)

# FUZZ_SCALE multiplies every budget below (e.g. 10 for a long run by hand; CI uses 1).
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))


def fuzz(examples: int):
    """Hypothesis settings for a bounded run: `examples` cases (times FUZZ_SCALE), no deadline
    (a loaded CI machine is slow, not wrong); the world fixture is shared on purpose."""
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


STATS: Counter = Counter()
ALLOWED = ("official_a", "facilitator_a", "administrator")  # who tries each endpoint, in order
HTMX = {"HTTP_HX_REQUEST": "true"}

# Field names the app's forms and views read, and a few they do not.
FIELD_NAMES = [
    "version", "self_level", "narrative", "target_level", "na_reason", "not_applicable",
    "body", "next", "url", "description", "kind", "level", "reason", "note", "flagged",
    "confirm", "language", "year", "title", "framework", "opens_on", "closes_on", "regions",
    "selection", "cohort_year", "province", "target_step", "target_cap", "confirmed",
    "username", "password", "show", "csrfmiddlewaretoken", "action", "_selected_action",
    "post", "index", "x", "",
]  # fmt: skip
QUERY_NAMES = [
    "show", "status", "q", "page", "p", "o", "e", "cycle", "region", "year", "next",
    "all", "_changelist_filters", "cycle__id__exact", "status__exact", "role__exact",
    "province__id__exact", "kind", "lang", "x",
]  # fmt: skip
ODD_VALUES = [
    "", " ", "0", "-1", "1", "2", "3", "5", "6", "99", "1.5", "1e3", "NaN", "-0",
    "99999999999999999999999999999999", "9" * 300, "on", "off", "yes", "true", "N/A", "null",
    "None", "[]", "{}", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd",
    "javascript:alert(1)", "//evil.example/", "https://evil.example/", "accept", "home",
    "assessments:list", "=HYPERLINK(\"http://evil.example\")", "\u202e\u0663", "ä" * 5000,
    "2026-02-30", "2026-13-01", "0000-00-00", "\x00", "a\x00b", "\r\n", "\ufeff",
]  # fmt: skip

values = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
form_data = st.dictionaries(
    st.one_of(st.sampled_from(FIELD_NAMES), st.text(string.ascii_letters + "_", max_size=12)),
    st.one_of(values, st.lists(values, min_size=2, max_size=3)),
    max_size=8,
)
query_data = st.dictionaries(
    st.one_of(st.sampled_from(QUERY_NAMES), st.text(string.ascii_letters + "_", max_size=12)),
    values,
    max_size=4,
)


# --- What every request must satisfy -------------------------------------------------------------
def fingerprint() -> tuple:
    """What a rejected request must leave as it was."""
    return (
        tuple(
            Assessment.objects.order_by("pk").values_list("status", "submitted_at", "return_note")
        ),
        tuple(
            IndicatorResponse.objects.order_by("pk").values_list(
                "version", "self_level", "narrative", "target_level", "verified_level"
            )
        ),
        tuple(Evidence.objects.order_by("pk").values_list("pk", flat=True)),
        ResponseComment.objects.count(),
        AssessmentEvent.objects.count(),
        tuple(Cycle.objects.order_by("pk").values_list("pk", "closes_on")),
        tuple(Framework.objects.order_by("pk").values_list("pk", "status")),
        Membership.objects.count(),
    )


def send(client: Client, method: str, url: str, data=None, **extra):
    """One request in a rolled-back savepoint; a 500 or a write by a rejection fails the test."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        before = fingerprint()
        if method == "GET":
            reply = client.get(url, data or {}, **extra)
        else:
            reply = client.post(url, data or {}, **extra)
        after = fingerprint() if reply.status_code >= 400 else before
        transaction.set_rollback(True)
    client.cookies = cookies
    STATS["requests"] += 1
    STATS[f"{reply.status_code // 100}xx"] += 1
    if reply.status_code >= 500:
        STATS["500s"] += 1
    assert reply.status_code < 500, f"{method} {url} {data!r} -> {reply.status_code}"
    assert after == before, f"{method} {url} {data!r} was refused ({reply.status_code}) but wrote"
    if reply.status_code in (400, 403, 409, 422):
        assert reply.content.strip(), f"{method} {url}: a {reply.status_code} without a message"
    return reply


@pytest.fixture(scope="module", autouse=True)
def report_counts(request):
    yield
    summary = ", ".join(f"{key} {count}" for key, count in sorted(STATS.items()))
    line = f"\nfuzz: {STATS['requests']} requests, {STATS['500s']} answered 500 ({summary})"
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(line)


@pytest.fixture
def world(db):
    return build_world()


def _clients(world) -> dict[str, Client]:
    clients = {}
    for persona in ALLOWED:
        client = Client(raise_request_exception=False)
        client.force_login(world.users[persona])
        clients[persona] = client
    return clients


def _usable(method: str) -> list[tuple[str, str]]:
    """(route key, persona) of every app page that persona may use with `method`."""
    found = []
    for route in all_routes():
        expectation = expectation_for(route)
        if route.route.startswith("admin/") and not route.key.endswith("changelist"):
            continue  # Django's own admin forms; its change lists' filters are fuzzed below
        allowed = [
            persona
            for persona in ALLOWED
            if expectation[method][persona] not in ("404", "405", "login", "admin-login")
        ]
        if allowed:
            found.append((route.key, allowed[0]))
    return found


POST_ENDPOINTS = [entry for entry in _usable("POST") if not entry[0].startswith("admin:")]
GET_PAGES = _usable("GET")
ROUTES = {route.key: route for route in all_routes()}


# --- Forms and POST endpoints --------------------------------------------------------------------
@fuzz(150)
@given(data=st.data())
def test_random_form_posts_never_fail_or_write_when_refused(world, data):
    clients = _clients_cache(world)
    key, persona = data.draw(st.sampled_from(POST_ENDPOINTS), label="endpoint")
    fields = data.draw(form_data, label="fields")
    extra = HTMX if data.draw(st.booleans(), label="htmx") else {}
    send(clients[persona], "POST", url_of(ROUTES[key], world), fields, **extra)


# --- Query-string filters ------------------------------------------------------------------------
@fuzz(100)
@given(data=st.data())
def test_random_query_strings_never_fail(world, data):
    clients = _clients_cache(world)
    key, persona = data.draw(st.sampled_from(GET_PAGES), label="page")
    query = data.draw(query_data, label="query")
    extra = HTMX if data.draw(st.booleans(), label="htmx") else {}
    send(clients[persona], "GET", url_of(ROUTES[key], world), query, **extra)


# --- Ids and codes in the URL --------------------------------------------------------------------
path_parts = st.one_of(
    st.integers(min_value=0, max_value=10**30).map(str),
    st.text(string.ascii_letters + string.digits + ".-_~%", min_size=1, max_size=30),
    st.sampled_from(["LAY.A1", "lay.a1", "LAY.A1.1", "..", "%2e%2e", "%00", "%ff", "%c0%af"]),
)


@fuzz(40)
@given(pk=path_parts, code=path_parts, second=path_parts, method=st.sampled_from(METHODS))
def test_random_ids_and_codes_in_urls_never_fail(world, pk, code, second, method):
    clients = _clients_cache(world)
    for url in (
        f"/assessments/{pk}/",
        f"/assessments/{world.draft.pk}/elements/{code}/",
        f"/assessments/{pk}/responses/{second}/",
        f"/assessments/{world.draft.pk}/responses/{second}/history/",
        f"/assessments/evidence/{second}/",
        f"/framework/{code}/{pk}/",
        f"/admin/assessments/indicatorresponse/{code}/history/{second}/",
        f"/admin/assessments/assessment/{code}/change/",
    ):
        send(clients["official_a" if "admin" not in url else "administrator"], method, url)


# --- The Excel upload ----------------------------------------------------------------------------
def _workbook_bytes(client: Client, world) -> bytes:
    reply = client.get(f"/assessments/{world.draft.pk}/excel/")
    assert reply.status_code == 200
    return b"".join(reply.streaming_content) if reply.streaming else reply.content


_EXCEL_CACHE: dict[int, bytes] = {}
cell_values = st.one_of(
    st.sampled_from(ODD_VALUES[:-6]),  # openpyxl refuses control characters in cells
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=False),
    st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"]), max_size=60),
    st.none(),
)


@fuzz(40)
@given(
    edits=st.lists(
        st.tuples(st.integers(1, 30), st.integers(1, 16), cell_values), min_size=1, max_size=8
    ),
    raw=st.one_of(st.none(), st.binary(max_size=2000)),
    truncate=st.one_of(st.none(), st.integers(min_value=0, max_value=20000)),
)
def test_random_workbooks_never_fail_and_never_half_save(world, edits, raw, truncate):
    clients = _clients_cache(world)
    official = clients["official_a"]
    original = _EXCEL_CACHE.setdefault(world.draft.pk, _workbook_bytes(official, world))
    if raw is not None:
        content = raw
    else:
        book = openpyxl.load_workbook(io.BytesIO(original))
        sheet = book.worksheets[0]
        for row, column, value in edits:
            sheet.cell(row=row, column=column).value = value
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
        if truncate is not None:
            content = content[:truncate]
    upload = SimpleUploadedFile("penilaian.xlsx", content)
    reply = send(
        official, "POST", f"/assessments/{world.draft.pk}/excel/upload/", {"workbook": upload}
    )
    # Saved (302) or refused with the problems listed on the page (200); all or nothing is
    # held by the service (one atomic import), checked in tests/assessments/test_excel.py.
    assert reply.status_code in (200, 302)
    if reply.status_code == 200:
        assert "alert" in reply.content.decode() or "invalid" in reply.content.decode()


# --- The importers -------------------------------------------------------------------------------
def _stored() -> tuple:
    return (
        tuple(Province.objects.order_by("code").values_list("code", "name")),
        tuple(Region.objects.order_by("code").values_list("code", "name", "kind", "cohort_year")),
        tuple(Framework.objects.order_by("pk").values_list("slug", "version", "status")),
        Pillar.objects.count(),
        Element.objects.count(),
        Indicator.objects.count(),
    )


def _run_command(*args) -> bool:
    """True when the command ran; a refusal must be a CommandError that names the problem and
    leaves everything stored as it was."""
    STATS["imports"] += 1
    with transaction.atomic():
        before = _stored()
        try:
            call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
        except CommandError as refused:
            STATS["imports refused"] += 1
            assert str(refused).strip()
            assert _stored() == before, f"{args}: refused, yet something was written"
            ran = False
        else:
            ran = True
        transaction.set_rollback(True)
    return ran


csv_cell = st.one_of(
    st.sampled_from(["19", "19.71", "33", "33.74", "99.99", "1", "19.7", "", "Kota X", "kota"]),
    st.text(max_size=12),
)
random_row = st.lists(csv_cell, min_size=0, max_size=7).map(",".join)
province_rows = st.lists(
    st.one_of(st.sampled_from(["19,Kepulauan Bangka Belitung", "61,Kalimantan Barat"]), random_row),
    max_size=6,
).map("\n".join)
region_rows = st.lists(
    st.one_of(
        st.sampled_from(
            ["19.71,19,Kota Pangkal Pinang", "19.03,19,Kabupaten Bangka", "61.71,61,Kota Pontianak"]
        ),
        random_row,
    ),
    max_size=6,
).map("\n".join)


@fuzz(60)
@given(
    provinces=st.one_of(province_rows.map(lambda t: "code,name\n" + t), province_rows),
    regencies=st.one_of(region_rows.map(lambda t: "code,province_code,name\n" + t), region_rows),
    encoding=st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1"]),
    junk=st.one_of(st.none(), st.none(), st.binary(max_size=200)),
)
def test_random_region_files_import_or_are_refused_cleanly(
    world, tmp_path_factory, provinces, regencies, encoding, junk
):
    folder = tmp_path_factory.mktemp("regions")
    province_file, region_file = folder / "provinces.csv", folder / "regencies.csv"
    province_file.write_bytes(provinces.encode(encoding, errors="replace"))
    region_file.write_bytes(junk if junk is not None else regencies.encode(encoding, "replace"))
    _run_command(
        "import_regions", "--provinces", str(province_file), "--regencies", str(region_file)
    )


FRAMEWORK = yaml.safe_load(Path(FRAMEWORK_FILE).read_text(encoding="utf-8"))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


FRAMEWORK_PATHS = [path for path in _paths(FRAMEWORK) if path]
yaml_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["", "LAY", "LAY.A1", "LAY.A1.1", "dimension", "readiness", {}, [], [1]]),
)


def _mutate(document, path, action, value):
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    else:
        parent[last] = value


@fuzz(60)
@given(
    mutations=st.lists(
        st.tuples(
            st.sampled_from(FRAMEWORK_PATHS),
            st.sampled_from(["replace", "delete", "duplicate"]),
            yaml_values,
        ),
        max_size=4,
    ),
    raw=st.one_of(st.none(), st.none(), st.text(max_size=300), st.binary(max_size=300)),
    publish=st.booleans(),
)
def test_random_framework_files_load_or_are_refused_cleanly(
    world, tmp_path_factory, mutations, raw, publish
):
    path = tmp_path_factory.mktemp("framework") / "framework.yaml"
    if raw is not None:
        path.write_bytes(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
    else:
        document = copy.deepcopy(FRAMEWORK)
        document["slug"] = "kerangka-uji"  # a new framework, so a harmless mutation really loads
        for target, action, value in mutations:
            # An earlier mutation may have removed or replaced this part.
            with contextlib.suppress(KeyError, IndexError, TypeError):
                _mutate(document, target, action, value)
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    _run_command("load_framework", str(path), *(["--publish"] if publish else []))


# --- Clients, once per test ----------------------------------------------------------------------
_CLIENTS: dict[int, dict[str, Client]] = {}


def _clients_cache(world) -> dict[str, Client]:
    """The signed-in clients of this test's world (Hypothesis calls the test body many times)."""
    key = id(world)
    if key not in _CLIENTS:
        _CLIENTS.clear()
        _CLIENTS[key] = _clients(world)
    return _CLIENTS[key]
