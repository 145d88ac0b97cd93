"""Vitality from exchanges: the rule's boundaries, the dormant list, configurable thresholds, and
"no exchanges recorded yet" for the partnerships of an owner that has recorded no exchange at all."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

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


@pytest.fixture
def colorado():
    return Partnership.objects.get(foreign__name_zh="科罗拉多州")  # the province's too, like Shiga


@pytest.fixture
def kagoshima():
    return Partnership.objects.get(foreign__name_zh="鹿儿岛市")  # 长沙's


@pytest.fixture
def province_records(colorado):
    """The province's office has recorded exchanges: one, long ago, with Colorado."""
    add_exchanges(colorado, date(2000, 5, 1))


def test_an_office_that_recorded_no_exchange_sees_no_records_not_dormant(shiga):
    assert vitality_of(shiga, TODAY, RULE) == ("no_records", 0)


def test_a_recent_signing_alone_does_not_judge_an_office_without_records(shiga):
    shiga.signed_on = date(2023, 1, 1)
    shiga.save()
    assert vitality_of(shiga, TODAY, RULE)[0] == "no_records"


def test_one_exchange_of_the_owner_for_any_partnership_makes_the_others_dormant(shiga, province_records):
    assert vitality_of(shiga, TODAY, RULE) == ("dormant", 0)


def test_exchanges_of_another_owner_do_not_count_as_records(shiga, kagoshima):
    add_exchanges(kagoshima, date(2024, 1, 1))  # 长沙 records; the province has not
    assert vitality_of(shiga, TODAY, RULE)[0] == "no_records"
    assert vitality_of(kagoshima, TODAY, RULE)[0] == "unstable"


def test_exchanges_after_the_reference_date_are_not_yet_records(shiga, colorado):
    add_exchanges(colorado, date(2024, 7, 1))
    assert vitality_of(shiga, TODAY, RULE)[0] == "no_records"
    assert vitality_of(shiga, date(2024, 7, 1), RULE)[0] == "dormant"


def test_the_query_and_the_single_record_agree_on_no_records(shiga, kagoshima):
    add_exchanges(kagoshima, date(2024, 1, 1))
    rows = {p.pk: (p.vitality, p.vitality_score)
            for p in annotate_vitality(Partnership.objects.filter(pk__in=[shiga.pk, kagoshima.pk]), TODAY, RULE)}
    assert rows == {shiga.pk: vitality_of(shiga, TODAY, RULE), kagoshima.pk: vitality_of(kagoshima, TODAY, RULE)}
    assert rows[shiga.pk][0] == "no_records"


def test_the_whole_registry_is_annotated_in_one_query(django_assert_num_queries, kagoshima):
    add_exchanges(kagoshima, date(2024, 1, 1))
    with django_assert_num_queries(1):
        found = {p.vitality for p in annotate_vitality(Partnership.objects.all(), TODAY, RULE)}
    assert found == {"no_records", "unstable", "dormant"}


def test_no_exchange_is_dormant(shiga, province_records):
    assert vitality_of(shiga, TODAY, RULE) == ("dormant", 0)


def test_one_exchange_in_the_window_is_unstable(shiga):
    add_exchanges(shiga, date(2021, 6, 30))  # exactly on the window's first day
    assert vitality_of(shiga, TODAY, RULE) == ("unstable", 1)


def test_exchange_before_the_window_does_not_count(shiga, province_records):
    add_exchanges(shiga, date(2021, 6, 29))
    assert vitality_of(shiga, TODAY, RULE)[0] == "dormant"


def test_three_exchanges_make_it_active(shiga):
    add_exchanges(shiga, date(2022, 1, 1), date(2023, 1, 1))
    assert vitality_of(shiga, TODAY, RULE)[0] == "unstable"
    add_exchanges(shiga, date(2024, 6, 30))
    assert vitality_of(shiga, TODAY, RULE)[0] == "active"


def test_a_recent_signing_counts_as_one(shiga, province_records):
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


def test_dormant_page_lists_dormant_partnerships_and_states_the_rule(client, viewer, shiga, colorado):
    add_exchanges(shiga, date.today())
    client.force_login(viewer)
    response = client.get("/twinning/vitality/")
    dormant = list(response.context["dormant"])
    assert shiga not in dormant
    assert colorado in dormant  # the province records exchanges, none with Colorado
    assert str(response.context["rule"].describe()) in response.content.decode()


def test_vitality_page_counts_no_records_apart_and_leaves_them_out_of_the_dormant_list(client, viewer, shiga,
                                                                                        kagoshima):
    add_exchanges(shiga, date.today())  # the province records; 长沙 and the others have not
    client.force_login(viewer)
    response = client.get("/twinning/vitality/")
    counts = {v.value: n for v, n in response.context["counts"]}
    no_records = Partnership.objects.exclude(owner_id="430000").count()
    assert counts["no_records"] == no_records
    assert counts["active"] + counts["unstable"] + counts["dormant"] + counts["no_records"] == 82
    dormant = list(response.context["dormant"])
    assert kagoshima not in dormant and all(p.owner_id == "430000" for p in dormant)
    assert "暂无交流记录" in response.content.decode()


def test_the_rule_is_stated_in_words_without_setting_names(client, viewer, shiga):
    client.force_login(viewer)
    for url in ("/twinning/vitality/", "/twinning/", f"/twinning/{shiga.pk}/"):
        html = client.get(url).content.decode()
        assert "WAISHI_" not in html, url
        assert "暂无交流记录" in html, url


def test_the_list_filter_tells_no_records_from_dormant(client, viewer, shiga, kagoshima):
    add_exchanges(shiga, date.today())
    client.force_login(viewer)
    no_records = list(client.get("/twinning/", {"vitality": "no_records"}).context["page"].paginator.object_list)
    dormant = list(client.get("/twinning/", {"vitality": "dormant"}).context["page"].paginator.object_list)
    assert kagoshima in no_records and kagoshima not in dormant
    assert not {p.pk for p in no_records} & {p.pk for p in dormant}


def test_the_export_says_no_exchanges_recorded_yet(client, viewer, kagoshima):
    client.force_login(viewer)
    response = client.get("/twinning/export.xlsx", {"vitality": "no_records", "division": "430100"})
    sheet = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    column = header.index("活跃度")
    values = {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values == {"暂无交流记录"}
