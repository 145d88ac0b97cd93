"""Statistics and early warnings of trips (trips/stats.py): each figure on a small data set, the
states and period boundaries that count, masking in the JSON, the Excel file, the docs."""

import json
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import Person, Unit
from eservices.models import Application
from trips import stats
from trips.models import AnnualPlan, Member, Passport, PassportLoan, PlannedTrip, Stop, Trip

pytestmark = pytest.mark.django_db

FROM, TO, TODAY = date(2025, 1, 1), date(2025, 6, 30), date(2025, 7, 15)


@pytest.fixture
def world(settings):
    settings.WAISHI_PASSPORT_LOCK_DAYS = 30
    settings.WAISHI_KEY_COUNTRY_GROUP = "bri_route"
    a = Unit.objects.create(name_zh="甲大学", kind="university", jurisdiction_id="430000")
    b = Unit.objects.create(name_zh="乙集团", kind="soe", jurisdiction_id="430000")
    people = {
        "p1": Person.objects.create(unit=a, name_zh="赵一", gender="M", post="校长", rank="bureau"),
        "p2": Person.objects.create(unit=a, name_zh="钱二", gender="F", post="处长", rank="division"),
        "p3": Person.objects.create(unit=a, name_zh="孙三", gender="M", post="教授", rank="other"),
        "p4": Person.objects.create(unit=b, name_zh="李四", gender="M", post="总经理", rank="bureau"),
    }
    passports = {
        key: Passport.objects.create(person=person, number=f"E1234567{n}", expires_on=date(2030, 1, 1))
        for n, (key, person) in enumerate(people.items(), start=1)
    }
    plan = AnnualPlan.objects.create(unit=a, year=2025)
    pt1 = PlannedTrip.objects.create(plan=plan, title="赴法德学术交流", month=1)
    PlannedTrip.objects.create(plan=plan, title="九月出访", month=9)  # outside the period
    PlannedTrip.objects.create(plan=plan, title="待定出访", month=None)  # counts in any period of 2025
    numbers = iter(range(1, 100))

    def trip(unit, state, departs, members=(), stops=(), kind="abroad", purpose="academic", **extra):
        n = next(numbers)
        application = Application.objects.create(
            service="trip", number=f"CG-2025-{n:05d}", title=f"出访{n}", unit=unit, owner_id=unit.jurisdiction_id,
            state=state)
        t = Trip.objects.create(application=application, kind=kind, purpose=purpose, tasks="任务",
                                departs_on=departs, returns_on=departs + timedelta(days=4), **extra)
        for key in members:
            Member.objects.create(trip=t, person=people[key], passport=passports[key])
        for order, (country, transit) in enumerate(stops):
            Stop.objects.create(trip=t, order=order, country_id=country, transit=transit)
        return t

    breach = [
        {"rule": "lead_time", "name": "提前报批", "severity": "reason", "ok": False, "message": "太晚", "source": "规定"},
        {"rule": "days_abroad", "name": "在外天数", "severity": "reason", "ok": True, "message": "", "source": "规定"},
        {"rule": "group_size", "name": "团组人数", "severity": "warn", "ok": False, "message": "", "source": "规定"},
        {"rule": "frequency", "name": "出访频次", "severity": "reason", "ok": False, "message": "", "source": "规定"},
    ]
    reasons = {"lead_time": "外方临时邀请", "days_abroad": "不需要", "frequency": "  "}
    t = {
        # counted: first and last day of the period, and in between
        "t1": trip(a, "approved", FROM, ["p1", "p2"], [("FR", False), ("DE", False), ("AE", True)],
                   planned=pt1, report_due_on=date(2025, 2, 4)),
        "t2": trip(a, "reported", TO, ["p1", "p3"], [("FR", False), ("FR", False)], purpose="talks",
                   rule_results=breach, reasons=reasons, report_due_on=date(2025, 7, 5),
                   report_submitted_on=date(2025, 7, 6)),
        "t3": trip(b, "archived", date(2025, 3, 10), ["p4"], [("TH", False)], purpose="business"),
        "t4": trip(b, "approved", date(2025, 4, 1), ["p4"], [], kind="hk_macao", purpose="conference",
                   report_due_on=date(2025, 7, 20)),
        # not counted: states
        "draft": trip(a, "draft", date(2025, 2, 1), ["p1"], [("FR", False)], rule_results=breach, reasons=reasons),
        "review": trip(a, "review", date(2025, 2, 2), ["p1"], [("FR", False)]),
        "returned": trip(a, "returned", date(2025, 2, 3), ["p1"], [("FR", False)]),
        "rejected": trip(a, "rejected", date(2025, 2, 4), ["p2"], [("TH", False)]),
        "withdrawn": trip(b, "withdrawn", date(2025, 2, 5), ["p4"], [("TH", False)]),
        # not counted: a day outside the period on either side (t9 has its report overdue)
        "t9": trip(a, "approved", FROM - timedelta(days=1), ["p1"], [("FR", False)], report_due_on=date(2025, 1, 31)),
        "t10": trip(b, "approved", TO + timedelta(days=1), ["p4"], [("TH", False)], report_due_on=date(2025, 8, 5)),
    }
    loans = [
        # p4's passport overdue 31 days: unit 乙集团 locked
        PassportLoan.objects.create(passport=passports["p4"], trip=t["t3"], lent_on=date(2025, 3, 1),
                                    due_on=TODAY - timedelta(days=31)),
        # p3's passport overdue 5 days: not locked
        PassportLoan.objects.create(passport=passports["p3"], trip=t["t2"], lent_on=date(2025, 6, 20),
                                    due_on=TODAY - timedelta(days=5)),
        # returned 8 days late, in the period
        PassportLoan.objects.create(passport=passports["p1"], trip=t["t1"], lent_on=date(2024, 12, 20),
                                    due_on=date(2025, 1, 12), returned_on=date(2025, 1, 20)),
        # returned on time
        PassportLoan.objects.create(passport=passports["p2"], trip=t["t1"], lent_on=date(2024, 12, 20),
                                    due_on=date(2025, 1, 12), returned_on=date(2025, 1, 10)),
        # returned late but before the period
        PassportLoan.objects.create(passport=passports["p2"], trip=t["t9"], lent_on=date(2024, 12, 1),
                                    due_on=date(2024, 12, 20), returned_on=date(2024, 12, 31)),
    ]
    return {"a": a, "b": b, "people": people, "passports": passports, "trips": t, "loans": loans}


def number(world, key):
    return world["trips"][key].application.number


def result_for(queryset=None, date_from=FROM, date_to=TO):
    return stats.compute(queryset if queryset is not None else Trip.objects.all(), date_from, date_to, today=TODAY)


def test_counts(world):
    r = result_for()
    assert r["trips"] == 4  # t1..t4; drafts, reviews, returned, rejected, withdrawn and out-of-period left out
    assert r["persons"] == 4
    assert r["person_times"] == 6


def test_period_boundaries_are_inclusive(world):
    assert result_for()["by_month"]["2025-01"] == 1 and result_for()["by_month"]["2025-06"] == 1
    inner = result_for(date_from=FROM + timedelta(days=1), date_to=TO - timedelta(days=1))
    assert inner["trips"] == 2  # t1 on the first day and t2 on the last day drop out
    wider = result_for(date_from=FROM - timedelta(days=1), date_to=TO + timedelta(days=1))
    assert wider["trips"] == 6  # t9 and t10


def test_breakdowns(world):
    r = result_for()
    # FR counted once for t2's two stops in France; the transit stop in AE does not count
    assert r["by_country"] == {"FR": 2, "DE": 1, "TH": 1}
    assert list(r["by_country"]) == ["FR", "DE", "TH"]
    assert r["by_unit"] == {
        world["a"].pk: {"name": "甲大学", "trips": 2, "person_times": 4},
        world["b"].pk: {"name": "乙集团", "trips": 2, "person_times": 2},
    }
    assert r["by_purpose"] == {"talks": 1, "business": 1, "academic": 1, "training": 0, "conference": 1,
                               "friendship": 0, "other": 0}
    assert r["by_month"] == {"2025-01": 1, "2025-02": 0, "2025-03": 1, "2025-04": 1, "2025-05": 0, "2025-06": 1}
    assert r["by_kind"] == {"abroad": 3, "hk_macao": 1}


def test_plan_vs_actual(world):
    r = result_for()
    assert r["plan_vs_actual"] == [
        {"unit": world["b"].pk, "name": "乙集团", "year": 2025, "planned": 0, "actual": 2, "in_plan": 0,
         "outside_plan": 2},
        {"unit": world["a"].pk, "name": "甲大学", "year": 2025, "planned": 2, "actual": 2, "in_plan": 1,
         "outside_plan": 1},
    ]  # by name, as Python sorts it
    assert r["outside_plan"] == 3
    # The whole year: the September trip is planned too.
    year = result_for(date_to=date(2025, 12, 31))
    assert {row["name"]: row["planned"] for row in year["plan_vs_actual"]} == {"甲大学": 3, "乙集团": 0}


def test_overdue_passports_and_locked_units(world):
    r = result_for()
    assert r["overdue_passports"] == [
        {"name": "李四", "unit": world["b"].pk, "unit_name": "乙集团", "passport": "******674",
         "due_on": date(2025, 6, 14), "days_overdue": 31, "trip": number(world, "t3")},
        {"name": "孙三", "unit": world["a"].pk, "unit_name": "甲大学", "passport": "******673",
         "due_on": date(2025, 7, 10), "days_overdue": 5, "trip": number(world, "t2")},
    ]
    assert r["locked_units"] == [{"unit": world["b"].pk, "name": "乙集团", "days_overdue": 31}]
    # Exactly the lock period is not yet locked.
    assert stats.compute(Trip.objects.all(), FROM, TO, today=TODAY - timedelta(days=1))["locked_units"] == []


def test_overdue_reports(world):
    r = result_for()
    assert [(row["trip"], row["report_due_on"], row["days_overdue"]) for row in r["overdue_reports"]] == [
        (number(world, "t9"), date(2025, 1, 31), 165),
        (number(world, "t1"), date(2025, 2, 4), 161),
    ]


def test_overridden_breaches_only_failed_reason_rules_with_a_reason(world):
    assert result_for()["overridden_breaches"] == [
        {"trip": number(world, "t2"), "rule": "lead_time", "name": "提前报批", "reason": "外方临时邀请"},
    ]


def test_key_countries(world):
    r = result_for()["key_countries"]
    assert r["group"] == "bri_route" and r["trips"] == 1  # TH; t1's transit in AE does not count
    assert [(row["trip"], row["countries"]) for row in r["list"]] == [(number(world, "t3"), ["TH"])]


def test_returned_late_in_the_period_only(world):
    assert result_for()["returned_late"] == [
        {"trip": number(world, "t1"), "unit": world["a"].pk, "unit_name": "甲大学", "passport": "******671",
         "due_on": date(2025, 1, 12), "returned_on": date(2025, 1, 20), "days_late": 8},
    ]


def test_only_the_trips_given_count(world):
    r = result_for(Trip.objects.filter(application__unit=world["a"]))
    assert r["trips"] == 2 and r["person_times"] == 4 and list(r["by_unit"]) == [world["a"].pk]
    assert [row["name"] for row in r["overdue_passports"]] == ["孙三"] and r["locked_units"] == []
    assert [row["name"] for row in r["plan_vs_actual"]] == ["甲大学"]


def test_json_is_safe_and_masks_passport_numbers(world):
    data = stats.to_json(result_for())
    text = json.dumps(data, ensure_ascii=False)
    for passport in world["passports"].values():
        assert passport.number not in text
    assert "******674" in text
    # Only the holders of overdue passports are named.
    assert "李四" in text and "孙三" in text
    assert "赵一" not in text and "钱二" not in text
    assert data["by_unit"][str(world["a"].pk)]["trips"] == 2
    assert data["overdue_passports"][0]["due_on"] == "2025-06-14"
    assert data["date_from"] == "2025-01-01" and data["today"] == "2025-07-15"
    assert set(stats.DEFINITIONS) <= set(data["definitions"])


def test_workbook_sheets_and_summary_equal_the_json(world):
    result = result_for()
    data = stats.to_json(result)
    with translation.override("en"):
        wb = load_workbook(BytesIO(stats.workbook(result)))
        defs = stats.definitions()
    assert wb.sheetnames[:8] == ["Summary", "By country", "By unit", "By purpose", "By month", "Plan vs actual",
                                 "Overdue passports", "Overdue reports"]
    for name in ("Overridden breaches", "Key countries", "Returned late"):
        assert name in wb.sheetnames
    rows = list(wb["Summary"].iter_rows(values_only=True))
    assert rows[0] == ("Figure", "Value", "Definition")
    by_definition = {row[2]: row[1] for row in rows[1:] if row[2] and row[2] != defs["by_kind"]}
    expected = {
        "trips": data["trips"], "persons": data["persons"], "person_times": data["person_times"],
        "outside_plan": data["outside_plan"], "key_countries": data["key_countries"]["trips"],
        "overridden_breaches": len(data["overridden_breaches"]), "overdue_passports": len(data["overdue_passports"]),
        "locked_units": len(data["locked_units"]), "overdue_reports": len(data["overdue_reports"]),
        "returned_late": len(data["returned_late"]),
    }
    assert by_definition == {defs[key]: value for key, value in expected.items()}
    assert expected["trips"] == 4 and expected["locked_units"] == 1
    countries = list(wb["By country"].iter_rows(values_only=True))[1:]
    assert [(iso, n) for _name, iso, n in countries] == list(data["by_country"].items())
    assert countries[0][0] == "France"
    passports = list(wb["Overdue passports"].iter_rows(values_only=True))[1:]
    assert [row[2] for row in passports] == ["******674", "******673"]
    plan = {row[0]: row[1:] for row in list(wb["Plan vs actual"].iter_rows(values_only=True))[1:]}
    assert plan["甲大学"] == (2025, 2, 2, 1, 1)


def test_every_figure_is_defined_in_the_docs():
    doc = (Path(settings.BASE_DIR) / "docs" / "trips.md").read_text(encoding="utf-8")
    section = doc.split("## Statistics", 1)[1]
    for key in stats.DEFINITIONS:
        assert f"| `{key}` |" in section, key


def test_mask():
    assert stats.mask("E12345678") == "******678"
    assert stats.mask("AB") == "******"
