"""The whole life of a trip through the pages: plan, filing with live rule
checks, review along the chain, approval document, passports, publicity,
report, archive; the overdue lock; who sees which trip."""


from datetime import date, timedelta

import pytest

from eservices.models import Application
from trips.models import AnnualPlan, PassportLoan, Trip

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules_loaded(db):
    from trips.loaders import load_rules

    load_rules()


def login(client, user):
    client.logout()
    client.force_login(user)
    return client


def trip_post(people, departs, **overrides):
    data = {
        "title": "湖南大学赴法国学术交流团", "kind": "abroad", "purpose": "academic", "tasks": "出席学术会议并作报告",
        "departs_on": departs.isoformat(), "returns_on": (departs + timedelta(days=4)).isoformat(),
        "invitation_issuer": "巴黎大学", "invitation_issuer_kind": "university", "planned": "",
        "members-TOTAL_FORMS": "2", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-person": str(people[0].pk), "members-0-group_role": "leader",
        "members-0-passport": str(people[0].passports.first().pk),
        "members-1-person": str(people[1].pk), "members-1-group_role": "interpreter",
        "members-1-passport": str(people[1].passports.first().pk),
        "stops-TOTAL_FORMS": "1", "stops-INITIAL_FORMS": "0", "stops-MIN_NUM_FORMS": "1", "stops-MAX_NUM_FORMS": "1000",
        "stops-0-country": "FR", "stops-0-city": "巴黎",
        "budget-TOTAL_FORMS": "1", "budget-INITIAL_FORMS": "0", "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "1000", "budget-0-item": "travel", "budget-0-amount": "36000",
    }
    data.update(overrides)
    return data


def act(client, trip, action, comment=""):
    trip.application.refresh_from_db()
    return client.post(f"/trips/{trip.pk}/act/", {"action": action, "version": trip.application.version,
                                                  "comment": comment})


def test_the_whole_life_of_a_trip(client, actors, people, units, rules_loaded):
    # The unit files its plan for next year.
    login(client, actors["clerk"])
    year = date.today().year + 1
    response = client.post(f"/trips/plan/{year}/", {
        "note": "", "planned-TOTAL_FORMS": "1", "planned-INITIAL_FORMS": "0", "planned-MIN_NUM_FORMS": "0",
        "planned-MAX_NUM_FORMS": "1000", "planned-0-title": "赴法国学术交流", "planned-0-kind": "abroad",
        "planned-0-countries": ["FR"], "planned-0-month": "3", "planned-0-size": "2",
        "planned-0-purpose": "academic", "file": "1",
    })
    assert response.status_code == 302
    plan = AnnualPlan.objects.get(unit=units["university"], year=year)
    assert plan.filed_at is not None
    planned = plan.trips.get()

    # It files a trip in the plan, far enough ahead.
    departs = date.today() + timedelta(days=90)
    response = client.post("/trips/new/", trip_post(people, departs, planned=str(planned.pk)))
    assert response.status_code == 302, response.content.decode()[:2000]
    trip = Trip.objects.get()
    assert trip.members.count() == 2 and trip.stops.get().country_id == "FR"
    assert trip.application.state == "draft" and trip.application.number.startswith("CG-")
    assert act(client, trip, "submit").status_code == 302
    trip.application.refresh_from_db()
    assert trip.application.state == "review", [m.message for m in response.wsgi_request._messages] \
        if hasattr(response, "wsgi_request") else trip.application.state

    # Unit, competent department and office approve in turn; each sees the rules and earlier trips.
    for reviewer in ("unit_reviewer", "department_reviewer", "fao"):
        login(client, actors[reviewer])
        page = client.get(f"/trips/{trip.pk}/").content.decode()
        assert "规则检查" in page and "以往出访" in page
        assert act(client, trip, "approve").status_code == 302
    trip.refresh_from_db()
    assert trip.application.state == "approved" and trip.approval_number

    # The approval document, the publicity, the passports.
    pdf = client.get(f"/trips/{trip.pk}/approval.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    login(client, actors["clerk"])
    assert "张教授" in client.get(f"/trips/{trip.pk}/publicity/").content.decode()
    client.post(f"/trips/{trip.pk}/passports/checkout/")
    loans = PassportLoan.objects.filter(trip=trip)
    assert loans.count() == 2 and all(loan.due_on == trip.returns_on + timedelta(days=7) for loan in loans)

    # After the trip: the report, the passports back, the archive.
    Trip.objects.filter(pk=trip.pk).update(departs_on=date.today() - timedelta(days=6),
                                           returns_on=date.today() - timedelta(days=2))
    client.post(f"/trips/{trip.pk}/report/", {"report": "交流成果：签署合作备忘录。", "disclosure": "已完成出访任务。"})
    assert act(client, trip, "submit_report").status_code == 302
    for loan in loans:
        client.post(f"/trips/passports/loans/{loan.pk}/return/")
    assert not PassportLoan.objects.filter(trip=trip, returned_on__isnull=True).exists()
    login(client, actors["fao"])
    act(client, trip, "archive")
    trip.application.refresh_from_db()
    assert trip.application.state == "archived"
    assert list(trip.application.moves.values_list("action", flat=True)) == [
        "submit", "approve", "approve", "approve", "submit_report", "archive"]


def test_a_breach_blocks_submission_and_says_why(client, actors, people, rules_loaded):
    login(client, actors["clerk"])
    departs = date.today() + timedelta(days=90)
    client.post("/trips/new/", trip_post(people, departs, returns_on=(departs + timedelta(days=9)).isoformat()))
    trip = Trip.objects.get()
    response = act(client, trip, "submit")
    trip.application.refresh_from_db()
    assert trip.application.state == "draft"
    page = client.get(response["Location"]).content.decode()
    assert "天" in page  # the days-abroad rule names the days and the limit


def test_the_form_checks_the_rules_as_it_is_filled(client, actors, people, rules_loaded):
    login(client, actors["clerk"])
    departs = date.today() + timedelta(days=90)
    response = client.post("/trips/check/", trip_post(people, departs, **{"stops-0-country": "FR"}),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-rule="group_size"' in body and "rule-ok" in body
    assert Application.objects.count() == 0  # nothing saved


def test_a_form_with_errors_keeps_what_was_typed(client, actors, people):
    login(client, actors["clerk"])
    departs = date.today() + timedelta(days=90)
    data = trip_post(people, departs, returns_on=(departs - timedelta(days=1)).isoformat(), tasks="保留这段文字")
    body = client.post("/trips/new/", data).content.decode()
    assert "返回日期早于出发日期" in body and "保留这段文字" in body
    assert Application.objects.count() == 0


def test_a_unit_with_a_passport_overdue_over_30_days_cannot_file(client, actors, trip, people):
    trip.application.state = "approved"
    trip.application.save()
    passport = people[0].passports.first()
    loan = PassportLoan.objects.create(passport=passport, trip=trip, lent_on=date.today() - timedelta(days=60),
                                       due_on=date.today() - timedelta(days=30))
    login(client, actors["clerk"])
    assert client.get("/trips/new/").status_code == 200  # 30 days overdue: not yet locked
    loan.due_on = date.today() - timedelta(days=31)
    loan.save()
    response = client.get("/trips/new/")
    assert response.status_code == 302
    assert "逾期" in client.get("/trips/").content.decode()
    # An application in draft cannot be submitted either.
    from eservices.services import new_application
    from trips.models import Member, Stop

    draft = Trip.objects.create(
        application=new_application(service="trip", unit=trip.application.unit, title="另一团组",
                                    user=actors["clerk"]),
        kind="abroad", purpose="talks", tasks="会谈", departs_on=date.today() + timedelta(days=90),
        returns_on=date.today() + timedelta(days=93), invitation_issuer="x", invitation_issuer_kind="government",
        reasons={"in_plan": "外方临时邀请"})
    Member.objects.create(trip=draft, person=people[1], passport=people[1].passports.first())
    Stop.objects.create(trip=draft, country_id="DE")
    draft.budget.create(item="travel", amount=20000)
    act(client, draft, "submit")
    draft.application.refresh_from_db()
    assert draft.application.state == "draft"
    loan.returned_on = date.today()
    loan.save()
    act(client, draft, "submit")
    draft.application.refresh_from_db()
    assert draft.application.state == "review"


@pytest.mark.parametrize(("role", "sees"), [
    ("clerk", True), ("other_clerk", False), ("unit_reviewer", True), ("department_reviewer", True),
    ("fao", True), ("prefecture_staff", False), ("viewer", True),
])
def test_who_sees_a_trip(client, actors, trip, role, sees):
    login(client, actors[role])
    assert client.get(f"/trips/{trip.pk}/").status_code == (200 if sees else 404)
    assert (trip.application.number in client.get("/trips/").content.decode()) == sees


def test_only_the_clerk_edits_and_only_before_review(client, actors, trip):
    for role in ("unit_reviewer", "fao", "viewer"):
        login(client, actors[role])
        assert client.get(f"/trips/{trip.pk}/edit/").status_code == 403
    login(client, actors["clerk"])
    assert client.get(f"/trips/{trip.pk}/edit/").status_code == 200
    act(client, trip, "submit")
    assert client.get(f"/trips/{trip.pk}/edit/").status_code == 403


def test_a_second_reviewer_gets_a_clear_message(client, actors, trip, make_user):
    from trips.workflow import WORKFLOW

    WORKFLOW.perform(trip.application, "submit", actors["clerk"], version=trip.application.version)
    trip.application.refresh_from_db()
    stale = trip.application.version
    WORKFLOW.perform(trip.application, "approve", actors["unit_reviewer"], version=stale)
    login(client, actors["unit_reviewer"])
    response = client.post(f"/trips/{trip.pk}/act/", {"action": "return", "version": stale, "comment": "x"},
                           follow=True)
    assert "在此期间已有他人处理" in response.content.decode()




def test_statistics_as_page_excel_and_json_follow_visibility(client, actors, trip):
    from io import BytesIO

    from openpyxl import load_workbook

    trip.application.state = "approved"
    trip.application.save()
    year = trip.departs_on.year
    period = {"from": f"{year}-01-01", "to": f"{year}-12-31"}
    login(client, actors["fao"])
    data = client.get("/trips/stats.json", period).json()
    assert data["trips"] == 1 and data["person_times"] == 2 and data["by_country"] == {"FR": 1}
    page = client.get("/trips/stats/", period).content.decode()
    assert 'data-figure="trips"' in page and "人次" in page
    wb = load_workbook(BytesIO(client.get("/trips/stats/export.xlsx", period).content))
    assert len(wb.worksheets) > 3
    login(client, actors["prefecture_staff"])
    assert client.get("/trips/stats.json", period).json()["trips"] == 0
    assert client.get("/trips/stats.json", {"from": "2026-13-01"}).status_code == 400


def test_a_member_without_a_valid_passport_blocks_submission(client, actors, trip, people):
    from trips.models import Member

    Member.objects.filter(trip=trip, person=people[1]).update(passport=None)
    login(client, actors["clerk"])
    response = act(client, trip, "submit")
    trip.application.refresh_from_db()
    assert trip.application.state == "draft"
    assert "李译员" in client.get(response["Location"]).content.decode()


def test_the_persons_passport_is_chosen_when_none_is(client, actors, people, rules_loaded):
    login(client, actors["clerk"])
    departs = date.today() + timedelta(days=90)
    data = trip_post(people, departs, **{"members-0-passport": "", "members-1-passport": ""})
    assert client.post("/trips/new/", data).status_code == 302
    trip = Trip.objects.get()
    assert {m.passport.person_id for m in trip.members.all()} == {p.pk for p in people}


def test_reminders_of_passports_and_reports(actors, trip, people, call):
    from eservices.models import Notification

    trip.application.state = "approved"
    trip.application.save()
    Trip.objects.filter(pk=trip.pk).update(report_due_on=date.today() - timedelta(days=1))
    PassportLoan.objects.create(passport=people[0].passports.first(), trip=trip, lent_on=date.today(),
                                due_on=date.today() + timedelta(days=1))
    call("send_reminders")
    call("send_reminders")  # a second run sends nothing new
    messages = list(Notification.objects.filter(user=actors["clerk"]).values_list("message", flat=True))
    assert len(messages) == 2
    assert any("张教授" in m and "交回" in m for m in messages) and any("出访报告" in m for m in messages)


def test_a_change_after_approval_needs_approval_again(client, actors, trip):
    from trips.workflow import WORKFLOW

    def move(action, user, comment=""):
        trip.application.refresh_from_db()
        WORKFLOW.perform(trip.application, action, user, version=trip.application.version, comment=comment)

    move("submit", actors["clerk"])
    for reviewer in ("unit_reviewer", "department_reviewer", "fao"):
        move("approve", actors[reviewer])
    trip.refresh_from_db()
    number = trip.approval_number
    move("change", actors["clerk"], comment="行程增加德国")
    login(client, actors["clerk"])
    assert client.get(f"/trips/{trip.pk}/edit/").status_code == 200
    move("submit", actors["clerk"])
    trip.application.refresh_from_db()
    assert trip.application.state == "review" and trip.application.step == "unit"
    for reviewer in ("unit_reviewer", "department_reviewer", "fao"):
        move("approve", actors[reviewer])
    trip.refresh_from_db()
    assert trip.application.state == "approved" and trip.approval_number == number
    assert trip.application.moves.filter(action="change", comment="行程增加德国").exists()


def test_a_trip_needs_a_budget_of_positive_amounts(client, actors, people, units, rules_loaded):
    """R19: the form refuses a negative or zero amount and a trip without a budget; a trip saved
    without one (an older record) cannot be submitted."""
    login(client, actors["clerk"])
    departs = date.today() + timedelta(days=90)
    before = Trip.objects.count()
    for overrides in ({"budget-0-amount": "-36000"}, {"budget-0-amount": "0"},
                      {"budget-TOTAL_FORMS": "0", "budget-0-item": "", "budget-0-amount": ""}):
        response = client.post("/trips/new/", trip_post(people, departs, reason_in_plan="外方临时邀请", **overrides))
        assert response.status_code == 200, overrides
        assert Trip.objects.count() == before, overrides
    response = client.post("/trips/new/", trip_post(people, departs, reason_in_plan="外方临时邀请"))
    assert response.status_code == 302
    trip = Trip.objects.latest("pk")
    trip.budget.all().delete()
    act(client, trip, "submit")
    trip.application.refresh_from_db()
    assert trip.application.state == "draft"
    trip.budget.create(item="travel", amount=36000)
    act(client, trip, "submit")
    trip.application.refresh_from_db()
    assert trip.application.state == "review"
