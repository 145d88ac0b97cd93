"""The rule checks of official trips: each rule at its boundary values, the selection of rules by
jurisdiction and effective period, and the shape of evaluate()'s results.

The rules come from data/trips/rules.csv through load_rules(), as in production."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import translation

from accounts.models import Person, Unit
from eservices.models import Application
from trips import rules
from trips.loaders import load_rules
from trips.models import Member, Rule, Trip
from trips.rules import MemberDraft, StopDraft, TripDraft, evaluate

DEPARTS = date(2027, 3, 1)  # a Monday
FILED = date(2027, 1, 4)  # well ahead of DEPARTS


@pytest.fixture
def loaded(db):
    return load_rules()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def people(n, **extra):
    return [MemberDraft(name=f"P{i}", **extra) for i in range(n)]


def draft(**changes):
    values = dict(
        kind="abroad", purpose="talks", departs_on=DEPARTS, returns_on=DEPARTS + timedelta(days=4),
        members=people(2), stops=[StopDraft("FR", "Paris")], jurisdiction="430000",
        invitation_issuer="Mairie de Paris", invitation_issuer_kind="government", planned=True, filed_on=FILED,
    )
    values.update(changes)
    return TripDraft(**values)


def result(d, code):
    found = [r for r in evaluate(d) if r.rule == code]
    assert len(found) == 1, f"{code}: {found}"
    return found[0]


# --- loading ---------------------------------------------------------------------------------------


def test_load_rules_is_idempotent(loaded):
    count = Rule.objects.count()
    assert count == loaded == 11
    assert load_rules() == loaded
    assert Rule.objects.count() == count
    rule = Rule.objects.get(code="group_size")
    assert rule.params["max"] == 6 and rule.jurisdiction_id == "430000" and rule.effective_from == date(2013, 10, 1)
    assert "中办发〔2013〕16号" in rule.source


def test_load_command_prints_the_count(db, capsys):
    call_command("load_trips_reference")
    assert "trip rules: 11" in capsys.readouterr().out


def test_every_rule_in_the_data_has_a_check(loaded):
    assert set(Rule.objects.values_list("code", flat=True)) <= set(rules.CHECKS)


# --- evaluate() -----------------------------------------------------------------------------------


def test_a_good_trip_passes_every_rule(loaded):
    results = evaluate(draft())
    assert [r.rule for r in results] == ["budget", "countries_per_trip", "days_abroad", "frequency", "group_size",
                                         "in_plan", "invitation", "lead_time", "leaders_same_group", "publicity"]
    assert all(r.ok and r.message == "" for r in results)


def test_evaluate_returns_one_result_per_rule_with_its_fields(loaded):
    results = evaluate(draft(members=people(7)))
    assert len({r.rule for r in results}) == len(results)
    r = next(r for r in results if r.rule == "group_size")
    assert r.as_dict() == {"rule": "group_size", "name": "Delegation size (interpreter included)", "severity": "block",
                           "ok": False, "message": "7 people; at most 6 (interpreter included).",
                           "source": Rule.objects.get(code="group_size").source}
    assert rules.blocking(results) == [r]


def test_rule_names_follow_the_language(loaded):
    with translation.override("zh-hans"):
        assert result(draft(), "group_size").name == "团组人数（含翻译）不超过限额"


def test_hk_macao_trips_have_their_own_rules(loaded):
    d = draft(kind="hk_macao", stops=[StopDraft("HK", "香港")])
    codes = [r.rule for r in evaluate(d)]
    assert "countries_per_trip" not in codes and "frequency" not in codes
    assert codes.count("days_abroad") == 1


def test_a_rule_no_longer_in_force_is_not_applied(loaded):
    Rule.objects.filter(code="group_size").update(effective_to=date(2020, 1, 1))
    assert "group_size" not in [r.rule for r in evaluate(draft(members=people(7)))]
    # It still applies to a trip checked while it was in force.
    old = draft(members=people(7), departs_on=date(2019, 6, 3), returns_on=date(2019, 6, 5), filed_on=date(2019, 3, 1))
    assert not result(old, "group_size").ok


def test_a_rule_not_yet_in_force_is_not_applied(loaded):
    Rule.objects.filter(code="group_size").update(effective_from=date(2030, 1, 1))
    assert "group_size" not in [r.rule for r in evaluate(draft(members=people(7)))]


def test_a_later_version_replaces_an_earlier_one(loaded):
    base = Rule.objects.get(code="group_size")
    base.pk = None
    base.effective_from = date(2026, 1, 1)
    base.params = {"max": 8}
    base.save()
    assert result(draft(members=people(7)), "group_size").ok
    assert not result(draft(members=people(7), filed_on=date(2025, 6, 2), departs_on=date(2025, 8, 4),
                            returns_on=date(2025, 8, 6)), "group_size").ok


def test_a_prefecture_rule_overrides_the_province_within_the_prefecture(loaded):
    Rule.objects.create(code="group_size", name_zh="长沙市团组人数", severity="block", params={"max": 5},
                        jurisdiction_id="430100", effective_from=date(2013, 10, 1), source="长沙市（测试）")
    five, six = people(5), people(6)
    assert result(draft(members=five, jurisdiction="430100"), "group_size").ok
    changsha = result(draft(members=six, jurisdiction="430100"), "group_size")
    assert not changsha.ok and changsha.source == "长沙市（测试）"
    assert not result(draft(members=six, jurisdiction="430102"), "group_size").ok  # a district of Changsha
    assert result(draft(members=six, jurisdiction="430200"), "group_size").ok  # Zhuzhou: the province's 6


def test_a_rule_whose_check_is_missing_in_code_is_reported(loaded):
    Rule.objects.create(code="no_such_check", name_zh="未知", params={}, jurisdiction_id="430000",
                        effective_from=date(2013, 10, 1), source="test")
    r = result(draft(), "no_such_check")
    assert not r.ok and "unknown check" in r.message


def test_a_missing_parameter_fails_loudly(loaded):
    Rule.objects.filter(code="group_size").update(params={})
    r = result(draft(), "group_size")
    assert not r.ok and "max" in r.message


def test_parameters_typed_wrongly_fail_with_a_message(loaded):
    Rule.objects.filter(code="group_size").update(params={"max": "six"})
    Rule.objects.filter(code="days_abroad", applies_to="abroad").update(params={"by_countries": [5, 8, 10]})
    results = {r.rule: r for r in evaluate(draft())}
    assert not results["group_size"].ok and "invalid" in results["group_size"].message
    assert not results["days_abroad"].ok and "invalid" in results["days_abroad"].message
    assert results["invitation"].ok  # the others still run
    Rule.objects.filter(code="group_size").update(params={"max": "6"})
    assert result(draft(members=people(6)), "group_size").ok


# --- group_size -------------------------------------------------------------------------------------


def test_group_size_boundary(loaded):
    assert result(draft(members=people(6)), "group_size").ok
    r = result(draft(members=people(5) + [MemberDraft("Interpreter", group_role="interpreter")]), "group_size")
    assert r.ok
    r = result(draft(members=people(6) + [MemberDraft("Interpreter", group_role="interpreter")]), "group_size")
    assert not r.ok and r.message == "7 people; at most 6 (interpreter included)."


def test_group_size_exempts_teaching_and_research_staff_on_academic_exchange(loaded):
    scholars = people(7, teaching_research=True) + [MemberDraft("Interpreter", group_role="interpreter")]
    assert result(draft(purpose="academic", members=scholars), "group_size").ok
    assert not result(draft(purpose="conference", members=scholars), "group_size").ok
    mixed = people(6, teaching_research=True) + [MemberDraft("Official")]
    assert not result(draft(purpose="academic", members=mixed), "group_size").ok


def test_group_size_is_translated(loaded):
    with translation.override("zh-hans"):
        message = result(draft(members=people(7)), "group_size").message
    assert "7" in message and "6" in message


# --- countries_per_trip -------------------------------------------------------------------------


def test_three_countries_with_transit_pass_four_fail(loaded):
    three = [StopDraft("FR"), StopDraft("DE"), StopDraft("AE", transit=True), StopDraft("FR")]
    d = draft(stops=three, returns_on=DEPARTS + timedelta(days=7))
    assert result(d, "countries_per_trip").ok
    four = three + [StopDraft("QA", transit=True)]
    r = result(draft(stops=four, returns_on=DEPARTS + timedelta(days=7)), "countries_per_trip")
    assert not r.ok
    assert r.message == ("4 countries or regions (France, Germany, United Arab Emirates, Qatar), transit stops "
                         "included; at most 3.")


# --- days_abroad --------------------------------------------------------------------------------------


def days(n):
    return DEPARTS + timedelta(days=n - 1)


def test_one_country_five_days_ok_six_fail(loaded):
    assert result(draft(returns_on=days(5)), "days_abroad").ok
    r = result(draft(returns_on=days(6)), "days_abroad")
    assert not r.ok
    assert r.message == ("6 days away, the days of leaving and re-entering included; at most 5 for "
                         "1 countries or regions.")


def test_two_and_three_countries(loaded):
    two = [StopDraft("FR"), StopDraft("DE")]
    assert result(draft(stops=two, returns_on=days(8)), "days_abroad").ok
    assert not result(draft(stops=two, returns_on=days(9)), "days_abroad").ok
    three = two + [StopDraft("IT")]
    assert result(draft(stops=three, returns_on=days(10)), "days_abroad").ok
    assert not result(draft(stops=three, returns_on=days(11)), "days_abroad").ok


def test_transit_stops_do_not_raise_the_days_allowed(loaded):
    stops = [StopDraft("AE", transit=True), StopDraft("FR")]
    assert not result(draft(stops=stops, returns_on=days(6)), "days_abroad").ok


def test_africa_adds_a_day(loaded):
    africa = [StopDraft("ET", "Addis Ababa")]
    assert result(draft(stops=africa, returns_on=days(6)), "days_abroad").ok
    r = result(draft(stops=africa, returns_on=days(7)), "days_abroad")
    assert not r.ok
    assert r.message == ("7 days away, the days of leaving and re-entering included; at most 6 for 1 countries "
                         "or regions, 1 extra day for Latin America or Africa included.")


def test_latin_america_adds_a_day_north_america_does_not(loaded):
    assert result(draft(stops=[StopDraft("BR")], returns_on=days(6)), "days_abroad").ok
    assert not result(draft(stops=[StopDraft("BR")], returns_on=days(7)), "days_abroad").ok
    assert not result(draft(stops=[StopDraft("US")], returns_on=days(6)), "days_abroad").ok
    assert not result(draft(stops=[StopDraft("CA")], returns_on=days(6)), "days_abroad").ok
    # A transit stop in Africa does not earn the extra day.
    assert not result(draft(stops=[StopDraft("ET", transit=True), StopDraft("FR")], returns_on=days(6)),
                      "days_abroad").ok


def test_days_follow_actual_need_for_teaching_and_research_staff_on_academic_exchange(loaded):
    # R18 (厅字〔2016〕17号): days abroad follow actual need; the office can still switch it off.
    scholars = people(2, teaching_research=True)
    assert result(draft(purpose="academic", members=scholars, returns_on=days(12)), "days_abroad").ok
    assert not result(draft(purpose="talks", members=scholars, returns_on=days(12)), "days_abroad").ok
    rule = Rule.objects.get(code="days_abroad", applies_to="abroad")
    rule.params["exempt_academic_teaching_research"] = False
    rule.save()
    assert not result(draft(purpose="academic", members=scholars, returns_on=days(12)), "days_abroad").ok


def test_hong_kong_and_macao_days(loaded):
    hk = draft(kind="hk_macao", stops=[StopDraft("HK")])
    assert result(hk, "days_abroad").ok  # 5 days
    assert not result(draft(kind="hk_macao", stops=[StopDraft("HK")], returns_on=days(6)), "days_abroad").ok
    assert result(draft(kind="hk_macao", stops=[StopDraft("MO")], returns_on=days(4)), "days_abroad").ok
    assert not result(draft(kind="hk_macao", stops=[StopDraft("MO")], returns_on=days(5)), "days_abroad").ok
    both = [StopDraft("HK"), StopDraft("MO")]
    assert result(draft(kind="hk_macao", stops=both, returns_on=days(7)), "days_abroad").ok
    assert not result(draft(kind="hk_macao", stops=both, returns_on=days(8)), "days_abroad").ok


# --- frequency ----------------------------------------------------------------------------------------


@pytest.fixture
def unit(db):
    return Unit.objects.create(name_zh="湖南省商务厅（测试）", kind="department", jurisdiction_id="430000")


def person(unit, rank="bureau", **extra):
    return Person.objects.create(unit=unit, name_zh=extra.pop("name_zh", "王厅长"), gender="M", post="厅长",
                                 rank=rank, **extra)


def past_trip(unit, who, departs_on, state="approved", purpose="talks", kind="abroad"):
    number = f"T-{Application.objects.count() + 1:04d}"
    application = Application.objects.create(service="trip", number=number, title="出访", unit=unit,
                                             owner_id=unit.jurisdiction_id, state=state)
    trip = Trip.objects.create(application=application, kind=kind, purpose=purpose, tasks="会谈",
                               departs_on=departs_on, returns_on=departs_on + timedelta(days=4))
    for p in who:
        Member.objects.create(trip=trip, person=p, rank=p.rank)
    return trip


def member_of(p, **extra):
    return MemberDraft(name=p.name_zh, rank=p.rank, person_id=p.pk, unit_id=p.unit_id,
                       teaching_research=p.teaching_research, **extra)


def test_a_bureau_level_trip_364_days_before_fails_366_passes(loaded, unit):
    director = person(unit)
    trip = past_trip(unit, [director], DEPARTS - timedelta(days=364))
    r = result(draft(members=[member_of(director)]), "frequency")
    assert not r.ok
    assert r.message == ("王厅长 (department or bureau level): 1 earlier trips in the 365 days before departure; "
                         "at most 1 in 365 days, this one included.")
    trip.departs_on = DEPARTS - timedelta(days=366)
    trip.save()
    assert result(draft(members=[member_of(director)]), "frequency").ok


def test_a_trip_exactly_a_year_before_does_not_count(loaded, unit):
    director = person(unit)
    past_trip(unit, [director], DEPARTS - timedelta(days=365))
    assert result(draft(members=[member_of(director)]), "frequency").ok


def test_only_approved_and_later_trips_count(loaded, unit):
    director = person(unit)
    for state in ("draft", "review", "returned", "rejected", "withdrawn"):
        past_trip(unit, [director], DEPARTS - timedelta(days=30), state=state)
    assert result(draft(members=[member_of(director)]), "frequency").ok
    past_trip(unit, [director], DEPARTS - timedelta(days=30), state="archived")
    assert not result(draft(members=[member_of(director)]), "frequency").ok


def test_the_trip_itself_is_not_counted(loaded, unit):
    director = person(unit)
    trip = past_trip(unit, [director], DEPARTS)
    assert result(draft(members=[member_of(director)], trip_id=trip.pk), "frequency").ok
    assert not result(draft(members=[member_of(director)]), "frequency").ok


def test_division_level_may_travel_twice(loaded, unit):
    officer = person(unit, rank="division", name_zh="赵处长")
    past_trip(unit, [officer], DEPARTS - timedelta(days=200))
    assert result(draft(members=[member_of(officer)]), "frequency").ok
    past_trip(unit, [officer], DEPARTS - timedelta(days=100))
    r = result(draft(members=[member_of(officer)]), "frequency")
    assert not r.ok and "赵处长" in r.message and "at most 2" in r.message


def test_hong_kong_trips_do_not_count_against_trips_abroad(loaded, unit):
    director = person(unit)
    past_trip(unit, [director], DEPARTS - timedelta(days=100), kind="hk_macao")
    assert result(draft(members=[member_of(director)]), "frequency").ok


def test_members_without_a_person_are_not_checked(loaded, unit):
    director = person(unit)
    past_trip(unit, [director], DEPARTS - timedelta(days=100))
    assert result(draft(members=[MemberDraft(name="王厅长", rank="bureau")]), "frequency").ok


def test_teaching_and_research_staff_on_academic_trips_are_exempt(loaded, unit):
    dean = person(unit, name_zh="张院长", teaching_research=True)
    past_trip(unit, [dean], DEPARTS - timedelta(days=100), purpose="talks")
    assert result(draft(purpose="academic", members=[member_of(dean)]), "frequency").ok
    assert not result(draft(purpose="talks", members=[member_of(dean)]), "frequency").ok


def test_academic_trips_of_teaching_and_research_staff_do_not_count(loaded, unit):
    dean = person(unit, name_zh="张院长", teaching_research=True)
    past_trip(unit, [dean], DEPARTS - timedelta(days=100), purpose="academic")
    assert result(draft(purpose="talks", members=[member_of(dean)]), "frequency").ok
    official = person(unit, name_zh="李厅长")
    past_trip(unit, [official], DEPARTS - timedelta(days=100), purpose="academic")
    assert not result(draft(purpose="talks", members=[member_of(official)]), "frequency").ok


def test_the_exemption_can_be_switched_off(loaded, unit):
    rule = Rule.objects.get(code="frequency")
    rule.params["exempt_academic_teaching_research"] = False
    rule.save()
    dean = person(unit, name_zh="张院长", teaching_research=True)
    past_trip(unit, [dean], DEPARTS - timedelta(days=100), purpose="academic")
    assert not result(draft(purpose="academic", members=[member_of(dean)]), "frequency").ok


# --- leaders_same_group ------------------------------------------------------------------------------


def test_two_leaders_of_one_unit_fail_of_two_units_pass(loaded):
    same = [MemberDraft("甲", is_leader=True, unit_id=1), MemberDraft("乙", is_leader=True, unit_id=1),
            MemberDraft("丙", unit_id=1)]
    r = result(draft(members=same), "leaders_same_group")
    assert not r.ok and r.severity == "reason"
    assert r.message == "2 leaders of the same unit (甲, 乙); at most 1 in one delegation."
    two_units = [MemberDraft("甲", is_leader=True, unit_id=1), MemberDraft("乙", is_leader=True, unit_id=2)]
    assert result(draft(members=two_units), "leaders_same_group").ok
    assert result(draft(members=[MemberDraft("甲", is_leader=True, unit_id=1), MemberDraft("乙", unit_id=1)]),
                  "leaders_same_group").ok


def test_leaders_of_unknown_unit_count_as_the_applicant_unit(loaded):
    r = result(draft(members=[MemberDraft("甲", is_leader=True), MemberDraft("乙", is_leader=True, unit_id=5)],
                     unit_id=5), "leaders_same_group")
    assert not r.ok


def test_a_reason_lets_a_reason_rule_through(loaded):
    results = evaluate(draft(members=[MemberDraft("甲", is_leader=True), MemberDraft("乙", is_leader=True)]))
    assert [r.rule for r in rules.blocking(results)] == ["leaders_same_group"]
    assert rules.blocking(results, {"leaders_same_group": "两位均为项目签约必需人员"}) == []


# --- invitation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["government", "university", "company", "organisation"])
def test_invitation_kinds_accepted(loaded, kind):
    assert result(draft(invitation_issuer_kind=kind), "invitation").ok


def test_invitation_other_or_blank_kind_fails(loaded):
    r = result(draft(invitation_issuer_kind="other"), "invitation")
    assert not r.ok and r.severity == "reason"
    assert r.message == ("The invitation comes from “other”; accepted: government or parliament, university or "
                         "institute, company, international organisation.")
    r = result(draft(invitation_issuer_kind=""), "invitation")
    assert not r.ok and "not given" in r.message


def test_invitation_issuer_must_be_named(loaded):
    r = result(draft(invitation_issuer="  "), "invitation")
    assert not r.ok and r.message.startswith("No invitation issuer given")


# --- lead_time ------------------------------------------------------------------------------------------


def test_lead_time_exactly_n_working_days_ok_one_less_fails(loaded):
    # The days of the review alone here; test_publicity.py adds the days of the publicity.
    Rule.objects.filter(code="lead_time").update(params={"working_days": 20})
    departs = date(2026, 11, 30)  # a Monday, no holiday in the four weeks before
    returns = departs + timedelta(days=2)
    assert result(draft(departs_on=departs, returns_on=returns, filed_on=date(2026, 11, 2)), "lead_time").ok
    r = result(draft(departs_on=departs, returns_on=returns, filed_on=date(2026, 11, 3)), "lead_time")
    assert not r.ok and r.severity == "reason"
    assert r.message == ("Filed 19 working days before departure (2026-11-03 to 2026-11-30); at least 20 are "
                         "needed.")


def test_lead_time_across_national_day(loaded):
    Rule.objects.filter(code="lead_time").update(params={"working_days": 20})
    # National Day 2026: 1-7 October off; Saturday 10 October is an adjusted working day.
    # After Monday 28 September up to Friday 30 October: 29-30 Sep (2), 8-10 Oct (3), 12-16 (5), 19-23 (5),
    # 26-30 (5) = 20 working days, in five weeks.
    departs = date(2026, 10, 30)
    returns = departs + timedelta(days=2)
    assert result(draft(departs_on=departs, returns_on=returns, filed_on=date(2026, 9, 28)), "lead_time").ok
    r = result(draft(departs_on=departs, returns_on=returns, filed_on=date(2026, 9, 29)), "lead_time")
    assert not r.ok and r.message.startswith("Filed 19 working days")


def test_lead_time_counts_the_adjusted_saturday(loaded):
    Rule.objects.filter(code="lead_time").update(params={"working_days": 3})
    # Filed 30 September: 8, 9 and (the adjusted Saturday) 10 October are the working days that follow.
    assert result(draft(departs_on=date(2026, 10, 10), returns_on=date(2026, 10, 12),
                        filed_on=date(2026, 9, 30)), "lead_time").ok
    assert not result(draft(departs_on=date(2026, 10, 9), returns_on=date(2026, 10, 12),
                            filed_on=date(2026, 9, 30)), "lead_time").ok


def test_lead_time_uses_the_day_of_the_check_when_no_filing_date(loaded):
    d = draft(filed_on=None, departs_on=date(2026, 11, 30), returns_on=date(2026, 12, 2))
    assert rules.CHECKS["lead_time"](d, {"working_days": 20}, date(2026, 11, 2)) is None
    assert rules.CHECKS["lead_time"](d, {"working_days": 20}, date(2026, 11, 3)) is not None


# --- in_plan ---------------------------------------------------------------------------------------------


def test_a_trip_outside_the_plan_needs_a_written_reason(loaded):
    # R9: outside the plan only with a written reason (财行〔2013〕516号 art. 5), not a mere warning.
    r = result(draft(planned=False), "in_plan")
    assert not r.ok and r.severity == "reason" and r.message == "Not in the unit's annual plan of trips."
    assert rules.blocking(evaluate(draft(planned=False))) == [r]
    assert rules.blocking(evaluate(draft(planned=False)), {"in_plan": "外方临时邀请，已在总量内"}) == []
    assert result(draft(planned=True), "in_plan").ok
    assert result(draft(planned=None), "in_plan").ok


# --- the admin ---------------------------------------------------------------------------------------------


def test_the_office_sees_and_edits_rules_in_the_admin(loaded, admin_user, client):
    client.force_login(admin_user)
    page = client.get("/admin/trips/rule/")
    assert page.status_code == 200 and "group_size" in page.content.decode()
    rule = Rule.objects.get(code="group_size")
    assert client.get(f"/admin/trips/rule/{rule.pk}/change/").status_code == 200


# --- R19: a budget, every amount positive ---------------------------------------------------------


def test_budget_is_required_and_every_amount_positive(loaded):
    assert result(draft(budget=[36000]), "budget").ok
    assert result(draft(), "budget").ok  # unknown (the check API sends no budget): not checked
    missing = result(draft(budget=[]), "budget")
    assert not missing.ok and missing.severity == "block" and "No budget" in missing.message
    for amounts in ([0], [36000, -5000]):
        r = result(draft(budget=amounts), "budget")
        assert not r.ok and "zero or negative" in r.message, amounts
        assert rules.blocking([r]) == [r]
    assert "财行〔2013〕516号" in Rule.objects.get(code="budget").source
