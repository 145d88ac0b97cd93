"""Adding and editing a partnership: validation in the user's language, nothing lost."""

from datetime import date, timedelta

import pytest

from twinning.models import Partnership

pytestmark = pytest.mark.django_db


def post(client, **overrides):
    data = {
        "cn_division": "430100", "kind": "sister", "signed_on": "2019-05-20", "country": "日本",
        "foreign_name_zh": "大津市", "foreign_name_en": "Otsu", "place_type": "city",
        "lat": "35.0045", "lon": "135.8686", "provenance": "测试", "published": "on",
    }
    data.update(overrides)
    return client.post("/twinning/new/", data)


@pytest.fixture
def staff(client, province_staff):
    client.force_login(province_staff)
    return client


def errors(response):
    return " ".join(str(e) for errs in response.context["form"].errors.values() for e in errs)


def test_a_valid_partnership_is_saved_and_audited(staff):
    from auditlog.models import LogEntry

    response = post(staff)
    assert response.status_code == 302
    p = Partnership.objects.get(foreign__name_zh="大津市")
    assert p.level == "prefecture" and p.country_id == "JP" and p.owner_id == "430100"
    assert LogEntry.objects.get_for_object(p).exists()


def test_unknown_country_is_named(staff):
    response = post(staff, country="亚特兰蒂斯")
    assert response.status_code == 200
    assert "亚特兰蒂斯" in errors(response)
    assert not Partnership.objects.filter(foreign__name_zh="大津市").exists()


def test_ambiguous_country_lists_the_candidates(staff):
    response = post(staff, country="刚果", lat="", lon="")
    text = errors(response)
    assert "刚果（布）" in text and "刚果（金）" in text


def test_country_aliases_are_understood(staff):
    assert post(staff, country="大韩民国", foreign_name_zh="昌原市", foreign_name_en="Changwon",
                lat="35.2281", lon="128.6811").status_code == 302


def test_duplicate_pair_is_refused(staff):
    response = post(staff, foreign_name_zh="鹿儿岛市", foreign_name_en="Kagoshima", lat="31.5966", lon="130.5571")
    assert "鹿儿岛市" in errors(response)
    assert Partnership.objects.filter(foreign__name_zh="鹿儿岛市").count() == 1


def test_future_signing_date_is_refused(staff):
    tomorrow = date.today() + timedelta(days=1)
    response = post(staff, signed_on=tomorrow.isoformat())
    assert f"{tomorrow.year}年{tomorrow.month}月{tomorrow.day}日" in errors(response)


def test_a_signing_known_only_by_year_is_kept_with_its_precision(staff):
    response = post(staff, signed_on="1995年", country="韩国", foreign_name_zh="昌原市", foreign_name_en="Changwon",
                    lat="35.2281", lon="128.6811")
    assert response.status_code == 302, errors(response)
    partnership = Partnership.objects.get(foreign__name_zh="昌原市")
    assert (partnership.signed_on, partnership.signed_precision) == (date(1995, 1, 1), "year")
    page = staff.get(f"/twinning/{partnership.pk}/edit/").content.decode()
    assert 'value="1995年"' in page


def test_signing_dates_before_the_republic_and_nonsense_are_refused(staff):
    assert "1949" in errors(post(staff, signed_on="1900-01-01"))
    assert "1983-02-30" in errors(post(staff, signed_on="1983-02-30"))


def test_coordinates_outside_the_country_are_refused(staff):
    response = post(staff, lat="48.8566", lon="2.3522")  # Paris is not in Japan
    assert "日本" in errors(response)


def test_the_form_keeps_what_was_typed(staff):
    response = post(staff, country="亚特兰蒂斯", foreign_name_en="Otsu-typed")
    html = response.content.decode()
    assert 'value="Otsu-typed"' in html and 'value="亚特兰蒂斯"' in html


def test_messages_in_english(staff):
    staff.cookies["django_language"] = "en"
    response = post(staff, country="Atlantis")
    assert "Unknown country" in errors(response)


def test_prefecture_staff_cannot_add_for_another_prefecture(client, changsha_staff):
    client.force_login(changsha_staff)
    response = post(client, cn_division="430200")  # 株洲
    assert response.status_code == 200
    assert "cn_division" in response.context["form"].errors


def test_gazetteer_suggests_places_in_chinese_and_english(staff):
    html = staff.get("/twinning/places/suggest/", {"q": "鹿儿岛"}).content.decode()
    assert "Kagoshima" in html
    html = staff.get("/twinning/places/suggest/", {"q": "Shiga"}).content.decode()
    assert "Shiga" in html


def test_editing_keeps_the_record_and_changes_the_field(staff):
    p = Partnership.objects.get(foreign__name_zh="滋贺县")
    response = staff.post(
        f"/twinning/{p.pk}/edit/",
        {"cn_division": "430000", "kind": "sister", "signed_on": "1983-03-25", "country": "日本",
         "foreign_name_zh": "滋贺县", "foreign_name_en": "Shiga Prefecture", "place_type": "admin1",
         "lat": "35.0045", "lon": "135.8686", "notes": "琵琶湖", "published": "on"},
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.notes == "琵琶湖"


def test_status_change_needs_a_reason_and_is_kept_in_history(staff):
    p = Partnership.objects.get(foreign__name_zh="滋贺县")
    staff.post(f"/twinning/{p.pk}/status/", {"status": "suspended", "changed_on": "2020-02-01", "reason": ""})
    p.refresh_from_db()
    assert p.status == "active"
    staff.post(f"/twinning/{p.pk}/status/", {"status": "suspended", "changed_on": "2020-02-01", "reason": "疫情"})
    p.refresh_from_db()
    assert (p.status, p.status_on.isoformat(), p.status_reason) == ("suspended", "2020-02-01", "疫情")
    assert p.status_changes.count() == 1
