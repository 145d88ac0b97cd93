"""等级保护 (level 3): every URL and API endpoint, walked as every role against records of its own
jurisdiction and of another; the answer is allowed, 403 or 404, never a 5xx and never another
jurisdiction's data. Guessing an id gets nothing.

The world (walk_world.py) has two jurisdictions, A = 长沙市 and B = 株洲市, whose records carry
markers. The URL patterns come from the resolver, so a new URL is walked without touching this file;
a new URL with a parameter fails `test_every_parameter_is_known` until RECORD or FIXED says what to put
in it. EXPECTED states the answer exactly for the important pages; the rest follow the generic rules:

- the status is one of ALLOWED, never 5xx;
- a user who does not reach a side gets 403, 404 or 405 (or, anonymous, a redirect to the login page)
  for a URL naming that side's record, and finds none of its markers in any answer: pages, JSON,
  xlsx (every part unzipped), PDFs (content streams decoded);
- data-changing POSTs against the other side's records are refused and change nothing.
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from eservices.models import Application

from .walk_world import PERSONAL, body_text, build, markers_in, snapshot

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "province_staff", "staff_a", "staff_b", "viewer_a", "liaison_a", "clerk_a", "reviewer_a",
         "admin", "security_admin", "audit_admin")
# The sides each role reaches. The security and audit administrators reach no business record at all.
REACH = {
    "anonymous": set(), "province_staff": {"A", "B"}, "staff_a": {"A"}, "staff_b": {"B"}, "viewer_a": {"A"},
    "liaison_a": {"A"}, "clerk_a": {"A"}, "reviewer_a": {"A"}, "admin": {"A", "B"}, "security_admin": set(),
    "audit_admin": set(),
}
ALLOWED = {200, 302, 400, 401, 403, 404, 405}  # 401: the API asks an anonymous caller for a token
REFUSED = {401, 403, 404, 405}

# Not walked: the admin site, language switching, static files, and the login flows (their own tests:
# accounts/tests/test_identity.py, test_registration.py).
SKIP_PREFIXES = ("admin/", "i18n/", "static/")
SKIP_NAMES = {"accounts:login", "accounts:logout", "accounts:register", "accounts:password_change",
              "accounts:otp_verify", "accounts:otp_setup"}

# URL name -> the records of a side whose id (or layer code) the parameter takes; the first is the one
# EXPECTED speaks of.
RECORD = {
    "accounts:user_action": ("staff",),
    "accounts:unit_activate": ("pending_unit",),
    "twinning:partnership_detail": ("partnership",),
    "twinning:partnership_edit": ("partnership",),
    "twinning:partnership_status": ("partnership",),
    "twinning:document_upload": ("partnership",),
    "twinning:document_download": ("document",),
    "twinning:project_detail": ("project",),
    "twinning:unplaced_place": ("partnership",),
    "twinning:unplaced_suggest": ("partnership",),
    "twinning:import_job": ("import_job",),
    "twinning:import_commit": ("import_job",),
    "twinning:import_mapping": ("import_job",),
    "atlas:item_detail": ("item",),
    "atlas:item_edit": ("item",),
    "atlas:item_delete": ("item",),
    "atlas:layer_detail": ("layer",),
    "atlas:layer_edit": ("layer",),
    "atlas:item_create": ("layer",),
    "atlas:layer_import": ("layer",),
    "atlas:layer_export": ("layer",),
    "trips:trip_detail": ("trip", "waiting"),
    "trips:trip_edit": ("trip", "waiting"),
    "trips:trip_act": ("trip", "waiting"),
    "trips:trip_report": ("trip", "waiting"),
    "trips:approval_pdf": ("trip", "waiting"),
    "trips:publicity": ("trip", "waiting"),
    "trips:passport_checkout": ("trip",),
    "trips:passport_return": ("loan",),
    "trips:person_detail": ("person",),
    "trips:person_export": ("person",),
    "trips:person_erase": ("person",),
    "eservices:mark_read": ("notification",),
    "partnership-detail": ("partnership",),
    "exchange-detail": ("exchange",),
    "layer-detail": ("layer",),
    "layer-items": ("layer",),
}
RECORD_PARAMS = {"pk", "code", "loan_pk"}
# Parameters that name no record of a jurisdiction.
FIXED = {"what": ("partnerships", "exchanges"), "name": ("world", "home"), "year": (date.today().year + 1,),
         "format": ("json",)}

# The exact answers for the important pages: "A/B" = the status for A's record / B's record; one code
# for a page without a record. Columns in the order of ROLES.
_P = "302/302  200/200  200/404  404/200  200/404  200/404  200/404  200/404  200/200  404/404  404/404"
EXPECTED_GRID = {
    #                              anonymous prov    staff_a  staff_b  viewer_a liaison_a clerk_a reviewer_a admin sec_adm audit_adm
    "twinning:partnership_detail": _P,
    "twinning:document_download": _P,
    "twinning:project_detail": _P,
    "twinning:partnership_edit": "302/302  200/200  200/404  404/200  404/404  404/404  404/404  404/404  200/200  404/404  404/404",
    "twinning:import_job":        "302/302  404/404  200/404  404/200  404/404  404/404  404/404  404/404  404/404  404/404  404/404",
    "atlas:layer_detail": _P,
    "atlas:layer_export": _P,
    "atlas:item_detail":          "404/404  200/200  200/404  404/200  200/404  200/404  200/404  200/404  200/200  404/404  404/404",
    "atlas:layer_edit":           "302/302  200/200  200/404  404/200  404/404  404/404  404/404  404/404  200/200  404/404  404/404",
    "atlas:item_edit":            "302/302  200/200  200/404  404/200  404/404  200/404  404/404  404/404  200/200  404/404  404/404",
    "trips:trip_detail": _P,
    "trips:approval_pdf": _P,
    "trips:publicity": _P,
    "trips:trip_edit":            "302/302  403/403  403/403  403/403  403/403  403/403  403/404  403/403  403/403  403/403  403/403",
    "trips:trip_report":          "302/302  403/403  403/404  404/403  403/404  403/404  200/404  403/404  403/403  404/404  404/404",
    "trips:person_detail": _P,
    "trips:person_export":        "302/302  200/200  200/404  404/200  403/404  403/404  200/404  403/404  403/403  404/404  404/404",
    "partnership-detail":         "401/401  200/200  200/404  404/200  200/404  200/404  200/404  200/404  200/200  404/404  404/404",
    "exchange-detail":            "401/401  200/200  200/404  404/200  200/404  200/404  200/404  200/404  200/200  404/404  404/404",
    "layer-detail":               "404/404  200/200  200/404  404/200  200/404  200/404  200/404  200/404  200/200  404/404  404/404",
    "layer-items":                "404/404  200/200  200/404  404/200  200/404  200/404  200/404  200/404  200/200  404/404  404/404",
    "accounts:audit_log":         "302      403      403      403      403      403      403      403      403      403      200",
    "accounts:audit_export":      "302      403      403      403      403      403      403      403      403      403      200",
    "accounts:user_list":         "302      403      403      403      403      403      403      403      403      200      403",
    "accounts:unit_list":         "302      200      200      200      403      403      403      403      200      403      403",
    "twinning:partnership_export": "302     200      200      200      200      200      200      200      200      200      200",
    "twinning:stats_export":      "302      200      200      200      200      200      200      200      200      200      200",
    "trips:stats_export":         "302      200      200      200      200      200      200      200      200      200      200",
    "trips:passport_list":        "302      403      403      403      403      403      200      200      403      403      403",
    "trips:people":               "302      403      403      403      403      403      200      200      403      403      403",
    "partnership-list":           "401      200      200      200      200      200      200      200      200      200      200",
    "layer-list":                 "200      200      200      200      200      200      200      200      200      200      200",
}


def _parse(grid):
    table = {}
    for name, row in grid.items():
        cells = row.split()
        assert len(cells) == len(ROLES), name
        table[name] = dict(zip(ROLES, cells, strict=True))
    return table


EXPECTED = _parse(EXPECTED_GRID)


# --- the world, once per module ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("walk-media")
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock():
        with transaction.atomic():
            built = build()
            yield built
            transaction.set_rollback(True)


def client_as(world, role):
    client = Client(raise_request_exception=False)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


# --- the URL patterns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str
    params: tuple


def url_patterns():
    def walk(patterns, prefix, namespace, params):
        for p in patterns:
            own = tuple(getattr(p.pattern, "converters", {}) or ()) or tuple(p.pattern.regex.groupindex)
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns, params + own)
            else:
                name = p.name and (f"{namespace}:{p.name}" if namespace else p.name)
                yield Pattern(prefix + str(p.pattern), name or "", tuple(dict.fromkeys(params + own)))

    found = []
    for pattern in walk(get_resolver().url_patterns, "", None, ()):
        if pattern.route.startswith(SKIP_PREFIXES) or pattern.name in SKIP_NAMES:
            continue
        found.append(pattern)
    return found


@dataclass(frozen=True)
class Case:
    url: str
    name: str
    side: str | None = None  # the side whose record the URL names
    primary: bool = True  # the record EXPECTED speaks of


def _reverse(pattern, kwargs):
    if not pattern.name:
        assert pattern.route == "", pattern
        return "/"
    return reverse(pattern.name, kwargs=kwargs)


def _fixed_combinations(params):
    combos = [{}]
    for param in params:
        combos = [dict(c, **{param: value}) for c in combos for value in FIXED[param]]
    return combos


def cases(world):
    found = []
    for pattern in url_patterns():
        record_params = [p for p in pattern.params if p in RECORD_PARAMS]
        fixed = _fixed_combinations([p for p in pattern.params if p not in RECORD_PARAMS])
        for kwargs in fixed:
            if not record_params:
                found.append(Case(_reverse(pattern, kwargs), pattern.name))
                continue
            (param,) = record_params
            for index, attr in enumerate(RECORD[pattern.name]):
                for side in ("A", "B"):
                    obj = getattr(getattr(world, side), attr)
                    value = obj.code if param == "code" else obj.pk
                    found.append(Case(_reverse(pattern, dict(kwargs, **{param: value})), pattern.name, side,
                                      index == 0))
    year = world.today.year
    a, b = world.A, world.B
    # Searches and filters that would find the other side's records (the query itself holds no marker),
    # with the side whose record the URL names, if any.
    for url, side in (
        ("/twinning/?q=沃伊", None), ("/twinning/?q=Navoiy", None), ("/twinning/?q=鹿儿", None),
        ("/twinning/?division=430200", None), ("/twinning/?division=430100", None),
        ("/twinning/export.xlsx?q=沃伊", None), ("/twinning/export.xlsx?division=430200", None),
        ("/twinning/?status=active&sort=-signed_on", None), ("/api/twinning/partnerships/?q=沃伊", None),
        ("/api/twinning/partnerships/?division=430200", None), ("/api/twinning/exchanges/?page=1", None),
        (f"/twinning/exchanges/new/?partnership={b.partnership.pk}", None),
        (f"/twinning/exchanges/new/?partnership={a.partnership.pk}", None),
        (f"/map/data.json?as_of={world.today}", None), ("/map/data.json?level=prefecture", None),
        ("/public/map/data.json?level=prefecture", None),
        (f"/map/layers/{a.layer.code}/?q=方标", "A"), (f"/map/layers/{b.layer.code}/?q=方标", "B"),
        ("/trips/?q=方标", None), ("/trips/?state=approved", None), ("/trips/?state=review", None),
        (f"/trips/stats/?from={year - 1}-01-01&to={year}-12-31", None),
        (f"/trips/stats/export.xlsx?from={year - 1}-01-01&to={year}-12-31", None),
        (f"/trips/stats.json?from={year - 1}-01-01&to={year}-12-31", None), ("/trips/stats/?from=bad", None),
        (f"/trips/people/{a.person.pk}/?show=1", "A"), (f"/trips/people/{b.person.pk}/?show=1", "B"),
        ("/accounts/audit/?from=2000-01-01", None), ("/accounts/audit/export.xlsx?from=2000-01-01", None),
        ("/twinning/stats/?as_of=2020-01-01", None), ("/twinning/places/suggest/?q=Paris", None),
    ):
        found.append(Case(url, "query", side, False))
    return found


def is_login_redirect(response):
    location = response.get("Location", "")
    return response.status_code == 302 and location.startswith(("/accounts/login/", "/accounts/otp/",
                                                                 "/accounts/password/"))


# --- judging one answer -----------------------------------------------------------------------------

WALKED = {}


def judge(role, case, response, problems):
    status = response.status_code
    label = f"{role} GET {case.url}"
    if status not in ALLOWED:
        problems.append(f"{label}: status {status}")
        return
    if role == "anonymous" and status == 302 and not is_login_redirect(response) and case.url != "/":
        problems.append(f"{label}: anonymous redirected to {response['Location']}")
    if case.side and case.side not in REACH[role]:
        if not (status in REFUSED or is_login_redirect(response)):
            problems.append(f"{label}: another jurisdiction's record answered {status}")
    if case.primary and case.name in EXPECTED:
        cell = EXPECTED[case.name][role]
        want = int(cell.split("/")[0 if case.side == "A" else 1]) if case.side else int(cell)
        if status != want:
            problems.append(f"{label}: expected {want}, got {status}")
    text = body_text(response)
    # The security administrator's accounts and the audit administrator's audit name records of both
    # sides (that is their work), but never personal data in clear.
    path = case.url.split("?")[0]
    oversight = (role == "security_admin" and path == "/accounts/users/") or (
        role == "audit_admin" and path in {"/accounts/audit/", "/accounts/audit/export.xlsx"})
    for side in ("A", "B"):
        if side not in REACH[role]:
            found = markers_in(text, side)
            if oversight:
                found = [m for m in found if m in PERSONAL[side]]
            if found:
                problems.append(f"{label}: shows {side}'s data {found}")


def walk_get(world, role):
    client = client_as(world, role)
    problems = []
    walked = 0
    for case in cases(world):
        response = client.get(case.url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        judge(role, case, response, problems)
        walked += 1
    return walked, problems


# --- the tests --------------------------------------------------------------------------------------


def test_every_parameter_is_known():
    for pattern in url_patterns():
        for param in pattern.params:
            if param in RECORD_PARAMS:
                assert pattern.name in RECORD, f"{pattern.route}: say in RECORD which record {param} names"
            else:
                assert param in FIXED, f"{pattern.route}: say in FIXED what to put in {param}"
    names = {p.name for p in url_patterns()}
    assert set(EXPECTED) <= names, set(EXPECTED) - names


@pytest.mark.parametrize("role", ROLES)
def test_walk_every_url(world, role):
    walked, problems = walk_get(world, role)
    WALKED[(role, "GET")] = walked
    assert not problems, f"{len(problems)} problems in {walked} URLs as {role}:\n" + "\n".join(problems[:60])


# --- guessing ids -----------------------------------------------------------------------------------

GUESSES = {"pk": (0, 987654321, 2**63), "loan_pk": (0, 987654321, 2**63), "code": ("no-such-layer", "walk-c")}


@pytest.mark.parametrize("role", ROLES)
def test_guessing_an_id_gets_nothing(world, role):
    """Ids and codes that do not exist (0, far too large, not a number) answer 404 where the role opens
    such a page at all, and a refusal otherwise; never a page, never a 5xx."""
    client = client_as(world, role)
    problems = []
    walked = 0
    for pattern in url_patterns():
        record_params = [p for p in pattern.params if p in RECORD_PARAMS]
        if not record_params:
            continue
        (param,) = record_params
        guesses = GUESSES[param] + (("abc", "-1", "1 or 1=1") if pattern.route.startswith("api/") else ())
        opens = "200" in EXPECTED.get(pattern.name, {}).get(role, "")
        for kwargs in _fixed_combinations([p for p in pattern.params if p not in RECORD_PARAMS]):
            for guess in guesses:
                try:
                    url = _reverse(pattern, dict(kwargs, **{param: guess}))
                except NoReverseMatch:
                    continue  # the route itself refuses such a value: no request can reach a view with it
                # POST with the first two guesses only: the id is looked up before the form is read.
                for method in ("get", "post") if guess in guesses[:2] else ("get",):
                    response = getattr(client, method)(url)
                    walked += 1
                    status = response.status_code
                    if method == "get" and opens:
                        ok = status == 404
                    else:
                        ok = status in REFUSED or is_login_redirect(response)
                    if not ok:
                        problems.append(f"{role} {method.upper()} {url}: {status}")
    WALKED[(role, "guess")] = walked
    assert not problems, "\n".join(problems)


# --- changing the other side's records --------------------------------------------------------------


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("walk.pdf", b"%PDF-1.4 walk\n%%EOF\n", content_type="application/pdf")


def post_cases(world, side):
    """(label, url, data, permitted roles, kind): POSTs against `side`'s records. "record" POSTs name the record
    in the URL and are refused with 403/404/405; "create" POSTs name it in the form and are refused by the form
    (200, the form again with its errors) or with 403."""
    s = getattr(world, side)
    application = Application.objects.get(pk=s.waiting.application.pk)
    office = {"province_staff", "admin"}
    yield "user deactivate", f"/accounts/users/{s.staff.pk}/", {"action": "deactivate"}, {"security_admin"}, "record"
    yield "user role", f"/accounts/users/{s.clerk.pk}/", {"action": "role", "role": "admin"}, {"security_admin"}, "record"
    yield "user password", f"/accounts/users/{s.clerk.pk}/", {"action": "issue_password"}, {"security_admin"}, "record"
    yield "unit activate", f"/accounts/units/{s.pending_unit.pk}/activate/", {}, office, "record"
    yield "partnership edit", f"/twinning/{s.partnership.pk}/edit/", {"notes": "changed"}, office, "record"
    yield ("partnership status", f"/twinning/{s.partnership.pk}/status/",
           {"status": "ended", "changed_on": "2024-01-02", "reason": "walk"}, office, "record")
    yield ("document upload", f"/twinning/{s.partnership.pk}/documents/",
           {"title": "walk", "doc_kind": "agreement", "file": _pdf()}, office, "record")
    yield ("project stage", f"/twinning/projects/{s.project.pk}/",
           {"stage": "tracked", "on": "2024-07-01", "note": "walk"}, office, "record")
    yield "import commit", f"/twinning/import/{s.import_job.pk}/commit/", {}, set(), "record"
    yield ("exchange create", "/twinning/exchanges/new/",
           {"partnerships": [s.partnership.pk], "kind": "visit_in", "title": "walk", "occurred_on": "2024-01-01"},
           office, "create")
    yield ("project create", "/twinning/projects/new/",
           {"partnerships": [s.partnership.pk], "title": "walk", "proposed_on": "2024-01-01"}, office, "create")
    yield ("layer create", "/map/layers/new/",
           {"code": "walk-new", "name_zh": "walk", "map": "world", "owner": s.code, "visibility": "internal",
            "color": "#123456"}, office, "create")
    yield ("layer edit", f"/map/layers/{s.layer.code}/edit/",
           {"code": s.layer.code, "name_zh": "changed", "map": "home", "owner": s.code, "visibility": "public",
            "color": "#123456"}, office, "record")
    item = {"name_zh": "changed", "lat": "27.9", "lon": "113.0", "country": "CN", "division": s.code}
    yield "item create", f"/map/layers/{s.layer.code}/items/new/", item, office, "record"
    yield "item edit", f"/map/items/{s.item.pk}/edit/", item, office, "record"
    yield "layer import confirm", f"/map/layers/{s.layer.code}/import/", {"confirm": "1", "token": "x"}, office, "record"
    yield "item delete", f"/map/items/{s.item.pk}/delete/", {}, office, "record"
    yield ("trip change", f"/trips/{s.trip.pk}/act/",
           {"action": "change", "version": s.trip.application.version, "comment": "walk"}, set(), "record")
    yield ("trip approve", f"/trips/{s.waiting.pk}/act/",
           {"action": "approve", "version": application.version, "comment": "walk"}, office, "record")
    yield ("trip reject", f"/trips/{s.waiting.pk}/act/",
           {"action": "reject", "version": application.version, "comment": "walk"}, office, "record")
    yield "trip edit", f"/trips/{s.waiting.pk}/edit/", {"title": "changed"}, set(), "record"
    yield "trip report", f"/trips/{s.trip.pk}/report/", {"report": "changed", "disclosure": "changed"}, set(), "record"
    yield "trip check", "/trips/check/", {"trip": s.trip.pk}, set(), "record"
    yield "passport checkout", f"/trips/{s.trip.pk}/passports/checkout/", {}, set(), "record"
    yield "passport return", f"/trips/passports/loans/{s.loan.pk}/return/", {"next": "/"}, set(), "record"
    yield "person erase", f"/trips/people/{s.person.pk}/erase/", {}, {"province_staff"}, "record"
    yield "notification read", f"/services/notifications/{s.notification.pk}/read/", {}, set(), "record"


OTHER_SIDE = {"staff_b": "A"}  # everyone else acts against B's records


@pytest.mark.parametrize("role", ROLES)
def test_changing_the_other_sides_records_is_refused(world, role):
    client = client_as(world, role)
    side = OTHER_SIDE.get(role, "B")
    problems = []
    walked = 0
    for label, url, data, permitted, kind in post_cases(world, side):
        before = snapshot(world)
        response = client.post(url, data)
        walked += 1
        status = response.status_code
        where = f"{role} POST {label} {url}"
        if status not in ALLOWED:
            problems.append(f"{where}: status {status}")
            continue
        if role in permitted:
            continue
        refused = {200, 403} if kind == "create" else REFUSED
        if not (status in refused or is_login_redirect(response)):
            problems.append(f"{where}: answered {status}, expected a refusal")
        after = snapshot(world)
        changed = {k for k in before if before[k] != after[k]}
        # Logging in and being refused touch nothing but the session and the audit trail.
        if changed:
            problems.append(f"{where}: changed {sorted(changed)}")
        for other in ("A", "B"):
            if other not in REACH[role] and markers_in(body_text(response), other):
                problems.append(f"{where}: shows {other}'s data")
    WALKED[(role, "POST")] = walked
    assert not problems, "\n".join(problems)


def test_the_posts_that_are_permitted_do_change(world):
    """The refusals above mean something: the same POSTs made by a role that may make them do change."""
    office = client_as(world, "province_staff")
    b = world.B
    assert office.post(f"/accounts/units/{b.pending_unit.pk}/activate/").status_code == 302
    assert type(b.pending_unit).objects.get(pk=b.pending_unit.pk).active
    # B's unit is locked (a passport overdue), the waiting trip's member has no passport, it is a day
    # too long and outside the plan without a written reason: no approval until all four are put right.
    response = office.post(f"/trips/{b.waiting.pk}/act/", {"action": "approve",
                                                             "version": b.waiting.application.version})
    assert response.status_code == 302
    assert Application.objects.get(pk=b.waiting.application.pk).state == "review"
    type(b.loan).objects.filter(pk=b.loan.pk).update(returned_on=world.today)
    b.waiting.members.update(passport=b.passport)
    type(b.waiting).objects.filter(pk=b.waiting.pk).update(returns_on=b.waiting.departs_on + timedelta(days=4),
                                                           reasons={"in_plan": "外方临时邀请，在年度总量内"})
    response = office.post(f"/trips/{b.waiting.pk}/act/", {"action": "approve",
                                                             "version": b.waiting.application.version}, follow=True)
    assert response.status_code == 200, [str(m) for m in response.context["messages"]]
    assert Application.objects.get(pk=b.waiting.application.pk).state == "approved", [
        str(m) for m in response.context["messages"]]
    assert office.post(f"/map/items/{b.item.pk}/delete/").status_code == 302
    assert not type(b.item).objects.filter(pk=b.item.pk).exists()
    security = client_as(world, "security_admin")
    assert security.post(f"/accounts/users/{b.staff.pk}/", {"action": "deactivate"}).status_code == 302
    assert not type(b.staff).objects.get(pk=b.staff.pk).is_active
    WALKED[("province_staff", "control")] = 4


def test_the_trip_check_api_ignores_people_one_may_not_see(world):
    payload = {"kind": "abroad", "purpose": "friendship", "departs_on": "2027-03-01", "returns_on": "2027-03-05",
               "jurisdiction": "430100", "members": [{"name": "王五", "person": world.B.person.pk}],
               "stops": [{"country": "UZ"}]}
    for role in ROLES:
        response = client_as(world, role).post("/api/trips/check", json.dumps(payload), content_type="application/json")
        assert response.status_code in {200, 401, 403}, (role, response.status_code)
        for side in ("A", "B"):
            if side not in REACH[role]:
                assert not markers_in(body_text(response), side), role
        WALKED[(role, "api-post")] = 1


def test_the_marker_search_reads_every_kind_of_answer(world):
    """The "no marker" checks mean something: where a role may see a side, its markers are found, in
    pages, JSON, xlsx, generated PDFs and downloaded files alike."""
    a, b, year = world.A, world.B, world.today.year
    seen = [
        ("province_staff", f"/twinning/{b.partnership.pk}/", "B"),
        ("province_staff", "/twinning/export.xlsx", "B"),
        ("province_staff", f"/map/layers/{b.layer.code}/export.xlsx", "B"),
        ("province_staff", f"/trips/{b.trip.pk}/approval.pdf", "B"),
        ("province_staff", f"/twinning/documents/{b.document.pk}/", "B"),
        ("province_staff", f"/trips/people/{b.person.pk}/export.json", "B"),
        ("province_staff", "/map/data.json", "B"),
        ("province_staff", f"/trips/stats.json?from={year - 1}-01-01&to={year}-12-31", "B"),
        ("province_staff", f"/trips/stats/export.xlsx?from={year - 1}-01-01&to={year}-12-31", "B"),
        ("province_staff", f"/api/atlas/layers/{b.layer.code}/items/", "B"),
        ("province_staff", "/api/twinning/exchanges/", "B"),
        ("security_admin", "/accounts/users/", "B"),
        ("staff_a", "/services/", "A"),
        ("staff_a", "/accounts/units/", "A"),
        ("staff_a", "/twinning/export.xlsx", "A"),
        ("clerk_a", "/services/", "A"),
        ("clerk_a", "/trips/passports/", "A"),
        ("clerk_a", "/trips/people/", "A"),
        ("clerk_a", f"/trips/people/{a.person.pk}/?show=1", "A"),
        ("staff_b", f"/trips/{b.trip.pk}/approval.pdf", "B"),
    ]
    for role, url, side in seen:
        response = client_as(world, role).get(url)
        assert response.status_code == 200, (role, url, response.status_code)
        assert markers_in(body_text(response), side), (role, url)


def test_walk_summary(capsys):
    """How much was walked (printed even under -q)."""
    total = sum(WALKED.values())
    by_role, by_kind = {}, {}
    for (role, kind), n in WALKED.items():
        by_role[role] = by_role.get(role, 0) + n
        by_kind[kind] = by_kind.get(kind, 0) + n
    with capsys.disabled():
        print(f"\nURL walk: {total} (role, request) pairs over {len(by_role)} roles; "
              + ", ".join(f"{k} {n}" for k, n in by_kind.items()) + "; "
              + ", ".join(f"{r} {n}" for r, n in sorted(by_role.items())))
    if WALKED:
        assert total > 0
