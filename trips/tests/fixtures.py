"""A small world for the trip service: a university under the Department of
Education, their clerks and reviewers, people with passports, and a filed trip."""

from datetime import date, timedelta

import pytest

from accounts.models import Person, Unit
from eservices.services import new_application
from trips.models import Member, Passport, Stop, Trip


@pytest.fixture
def units(db):
    education = Unit.objects.create(name_zh="湖南省教育厅", kind="department", jurisdiction_id="430000",
                                    review_chain="unit,fao")
    university = Unit.objects.create(name_zh="湖南大学", kind="university", jurisdiction_id="430000",
                                     competent=education)
    other = Unit.objects.create(name_zh="湘潭钢铁集团", kind="soe", jurisdiction_id="430300")
    return {"education": education, "university": university, "other": other}


@pytest.fixture
def actors(make_user, units):
    return {
        "clerk": make_user("clerk", "clerk", "430000", unit=units["university"], email="clerk@example.org"),
        "other_clerk": make_user("other_clerk", "clerk", "430300", unit=units["other"]),
        "unit_reviewer": make_user("dean", "unit_reviewer", "430000", unit=units["university"],
                                   email="dean@example.org"),
        "department_reviewer": make_user("edu", "unit_reviewer", "430000", unit=units["education"]),
        "fao": make_user("fao", "staff", "430000", email="fao@example.org"),
        "prefecture_staff": make_user("xiangtan", "staff", "430300"),
        "viewer": make_user("viewer", "viewer", "430000"),
    }


@pytest.fixture
def people(units):
    university = units["university"]
    made = [
        Person.objects.create(unit=university, name_zh="张教授", gender="M", post="院长", rank="division",
                              teaching_research=True),
        Person.objects.create(unit=university, name_zh="李译员", gender="F", post="翻译", rank="other"),
    ]
    for n, person in enumerate(made):
        Passport.objects.create(person=person, number=f"E9876543{n}", expires_on=date(2031, 1, 1))
    return made


@pytest.fixture
def trip(units, people, actors):
    departs = date.today() + timedelta(days=60)
    application = new_application(service="trip", unit=units["university"], title="湖南大学赴法国学术交流团",
                                  user=actors["clerk"])
    trip = Trip.objects.create(application=application, kind="abroad", purpose="academic", tasks="出席学术会议",
                               departs_on=departs, returns_on=departs + timedelta(days=4),
                               invitation_issuer="巴黎大学", invitation_issuer_kind="university",
                               # Not in the annual plan: filed with the written reason R9 asks for.
                               reasons={"in_plan": "外方临时邀请，在年度总量内"})
    for person in people:
        Member.objects.create(trip=trip, person=person, post=person.post, rank=person.rank,
                              passport=person.passports.first(),
                              group_role="interpreter" if person.post == "翻译" else "leader")
    Stop.objects.create(trip=trip, order=1, country_id="FR", city="巴黎")
    trip.budget.create(item="travel", amount=36000)  # R19: no trip without a budget
    return trip
