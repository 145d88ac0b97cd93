"""Vitality from exchanges: the rule's boundaries, the dormant list, configurable thresholds."""

from datetime import date

import pytest

from twinning.models import Exchange, Partnership
from twinning.vitality import VitalityRule, annotate_vitality, vitality_of

pytestmark = pytest.mark.django_db
TODAY = date(2024, 6, 30)
RULE = VitalityRule(window_years=3, active_min=3, unstable_min=1)


def add_exchanges(p, *days):
    for day in days:
        e = Exchange.objects.create(owner=p.owner, kind="visit_in", title="访问", occurred_on=day)
        e.partnerships.add(p)


@pytest.fixture
def shiga():
    return Partnership.objects.get(foreign__name_zh="滋贺县")


def test_no_exchange_is_dormant(shiga):
    assert vitality_of(shiga, TODAY, RULE) == ("dormant", 0)


def test_one_exchange_in_the_window_is_unstable(shiga):
    add_exchanges(shiga, date(2021, 6, 30))  # exactly on the window's first day
    assert vitality_of(shiga, TODAY, RULE) == ("unstable", 1)


def test_exchange_before_the_window_does_not_count(shiga):
    add_exchanges(shiga, date(2021, 6, 29))
    assert vitality_of(shiga, TODAY, RULE)[0] == "dormant"


def test_three_exchanges_make_it_active(shiga):
    add_exchanges(shiga, date(2022, 1, 1), date(2023, 1, 1))
    assert vitality_of(shiga, TODAY, RULE)[0] == "unstable"
    add_exchanges(shiga, date(2024, 6, 30))
    assert vitality_of(shiga, TODAY, RULE)[0] == "active"


def test_a_recent_signing_counts_as_one(shiga):
    shiga.signed_on = date(2023, 1, 1)
    shiga.save()
    assert vitality_of(shiga, TODAY, RULE)[0] == "unstable"


def test_the_query_and_the_single_record_agree(shiga):
    add_exchanges(shiga, date(2022, 1, 1), date(2023, 1, 1), date(2024, 1, 1))
    row = annotate_vitality(Partnership.objects.filter(pk=shiga.pk), TODAY, RULE).get()
    assert (row.vitality, row.vitality_score) == vitality_of(shiga, TODAY, RULE)


def test_an_exchange_shared_by_two_partnerships_counts_for_each(shiga):
    kagoshima = Partnership.objects.get(foreign__name_zh="鹿儿岛市")
    e = Exchange.objects.create(owner_id="430000", kind="event", title="友城周", occurred_on=date(2024, 1, 1))
    e.partnerships.add(shiga, kagoshima)
    assert vitality_of(shiga, TODAY, RULE)[1] == 1 and vitality_of(kagoshima, TODAY, RULE)[1] == 1


def test_thresholds_come_from_settings(settings, client, viewer, shiga):
    settings.WAISHI_VITALITY_ACTIVE_MIN = 1
    add_exchanges(shiga, date.today())
    client.force_login(viewer)
    response = client.get("/twinning/vitality/")
    html = response.content.decode()
    assert "1" in html
    active = client.get("/twinning/", {"vitality": "active"}).context["page"]
    assert shiga in list(active)


def test_dormant_page_lists_dormant_partnerships_and_states_the_rule(client, viewer, shiga):
    add_exchanges(shiga, date.today())
    client.force_login(viewer)
    response = client.get("/twinning/vitality/")
    dormant = response.context["dormant"]
    assert shiga not in dormant
    assert Partnership.objects.get(foreign__name_zh="鹿儿岛市") in dormant
    assert str(response.context["rule"].describe()) in response.content.decode()
