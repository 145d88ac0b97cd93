"""Which province or city is home is configuration: Hangzhou runs the same registry."""

from datetime import date

import pytest

from geo.models import Country, Division
from twinning import stats
from twinning.services import check_partnership, save_partnership

pytestmark = pytest.mark.django_db


def test_hangzhou_counts_its_own_partnerships_only(settings, make_user):
    settings.WAISHI_HOME_CODE = "330100"
    clerk = make_user("hz", "staff", "330100")
    values = {
        "cn_division": Division.objects.get(code="330100"), "kind": "sister", "signed_on": date(1989, 2, 20),
        "country": Country.objects.get(iso2="US"), "foreign_name_zh": "波士顿市", "foreign_name_en": "Boston",
        "place_type": "city", "lat": 42.3601, "lon": -71.0589,
    }
    checked = check_partnership(values, user=clerk)
    assert checked.ok, checked.errors
    save_partnership(checked.values, user=clerk)
    data = stats.compute(date(2020, 10, 26))
    assert data["total"] == 1  # Hunan's 82 are not Hangzhou's
    assert data["by_prefecture"] == {"330100": 1}
    assert data["home"]["code"] == "330100"


def test_hunan_staff_cannot_write_into_hangzhou(settings, province_staff):
    values = {"cn_division": Division.objects.get(code="330100"), "kind": "sister", "signed_on": date(1989, 2, 20),
              "country": "美国", "foreign_name_zh": "波士顿市"}
    assert "cn_division" in check_partnership(values, user=province_staff).errors
