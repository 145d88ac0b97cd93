"""Public figures equal public data: every endpoint open without a login counts and shows published
partnerships only, and the statistics JSON agrees with the public map."""

from collections import Counter
from datetime import date

import pytest

from twinning.models import Partnership

pytestmark = pytest.mark.django_db
REPORT_DAY = date(2018, 7, 17)
# Two of the province's, one of 长沙's (鹿儿岛), one of 浏阳's (贝尔德朗).
UNPUBLISHED = ["滋贺县", "科罗拉多州", "鹿儿岛市", "贝尔德朗市"]


@pytest.fixture
def unpublished():
    hidden = list(Partnership.objects.filter(foreign__name_zh__in=UNPUBLISHED))
    assert len(hidden) == len(UNPUBLISHED)
    for p in hidden:
        p.published = False
        p.save()
    return hidden


def public_map_rows(client, **params):
    payload = client.get("/public/map/data.json", {"as_of": REPORT_DAY.isoformat(), **params}).json()
    fields = payload["fields"]["partnerships"]
    return [dict(zip(fields, row, strict=True)) for row in payload["partnerships"]]


def published_in_force(on):
    """Counted directly: published friendship cities of the home signed by the date (the reference data has
    no status history, and every Chinese side is in Hunan)."""
    return Partnership.objects.filter(published=True, kind="sister", counts_from__lte=on, cn_division__code__startswith="43")


def test_the_statistics_json_equals_the_public_map_and_the_published_partnerships(client, unpublished):
    stats = client.get("/api/twinning/stats", {"as_of": REPORT_DAY.isoformat()}).json()
    drawn = public_map_rows(client, kind="sister")
    direct = published_in_force(REPORT_DAY)

    assert stats["total"] == len(drawn) == direct.count() == 82 - len(unpublished)
    assert stats["by_country"] == dict(Counter(r["country"] for r in drawn)) == dict(
        Counter(direct.values_list("country_id", flat=True))
    )
    levels = {"province": 0, "prefecture": 0, "county": 0}
    assert stats["by_level"] == {**levels, **Counter(r["level"] for r in drawn)} == {
        **levels, **Counter(direct.values_list("level", flat=True))
    }


def test_no_unpublished_partnership_reaches_an_anonymous_endpoint(client, unpublished):
    hidden = {p.pk for p in unpublished}
    assert not hidden & {r["id"] for r in public_map_rows(client)}
    stats = client.get("/api/twinning/stats", {"as_of": REPORT_DAY.isoformat(), "kind": "sister,exchange"}).json()
    assert stats["total"] == len(public_map_rows(client))


def test_logged_in_staff_still_count_every_partnership_they_may_see(client, province_staff, unpublished):
    client.force_login(province_staff)
    page = client.get("/twinning/stats/", {"as_of": REPORT_DAY.isoformat()})
    assert page.context["s"]["total"] == 82
    data = client.get("/map/data.json", {"as_of": REPORT_DAY.isoformat(), "kind": "sister"}).json()
    assert len(data["partnerships"]) == 82


def test_a_jurisdiction_counts_its_own_unpublished_partnerships_but_not_others(client, liuyang_staff, unpublished):
    client.force_login(liuyang_staff)  # 浏阳's own 贝尔德朗 counts; the other three unpublished do not
    assert client.get("/twinning/stats/", {"as_of": REPORT_DAY.isoformat()}).context["s"]["total"] == 82 - 3


def test_the_public_statistics_stay_public_for_a_logged_in_user(client, province_staff, unpublished):
    client.force_login(province_staff)
    stats = client.get("/api/twinning/stats", {"as_of": REPORT_DAY.isoformat()}).json()
    assert stats["total"] == 82 - len(unpublished)


def test_the_public_map_neither_shows_nor_filters_by_vitality(client):
    everything = public_map_rows(client)
    assert public_map_rows(client, vitality="active") == everything
    assert all(r["vitality"] is None for r in everything)


def test_the_registry_api_lists_need_a_login(client):
    for url in ("/api/twinning/partnerships/", "/api/twinning/exchanges/"):
        assert client.get(url).status_code in (401, 403), url


def test_the_public_time_slider_starts_at_the_first_published_partnership(client):
    first = Partnership.objects.order_by("counts_from").first()
    later = Partnership.objects.filter(counts_from__year__gt=first.counts_from.year).order_by("counts_from").first()
    Partnership.objects.filter(counts_from__lt=later.counts_from).update(published=False)
    assert client.get("/public/map").context["first_year"] == later.counts_from.year
