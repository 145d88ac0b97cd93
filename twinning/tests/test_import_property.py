"""A file that passes the dry run always commits, with the same counts (property-based, over generated files)."""

import csv
import io

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.models import Division
from twinning import imports
from twinning.models import ForeignPlace, Partnership

pytestmark = pytest.mark.django_db

SIDES = ["", "长沙", "株洲市", "湖南省", "浏阳市", "火星市", "長沙市"]
NAMES = ["Springfield", "Kagoshima", "鹿儿岛市", "滋贺县", "Shiga", "Bursa", "布爾薩市", "Paris", "巴黎", "Nowhere",
         "大津市", "Otsu", "", "=SUM(A1)", "Łódź", "Lodz", "x" * 120]
STATES = ["", "", "Illinois", "Missouri", "Île-de-France", "不存在州"]
COUNTRIES = ["Japan", "日本", "USA", "the United States of America", "Turkey", "法國", "France", "Poland", "UK",
             "America", "中国", "刚果", "", "Atlantis"]
DATES = ["1982.10.30", "2014", "2014年", "1998年5月", "1979/5/2", "", "2999-01-01", "0001-01-01", "去年", "1949"]
KINDS = ["", "友好城市", "友好交流城市", "意向友城", "飞行"]
COORDS = [("", ""), ("", ""), ("35.0", "135.8"), ("48.85", "2.35"), ("nan", "1"), ("91", "0")]

row = st.tuples(st.sampled_from(SIDES), st.sampled_from(NAMES), st.sampled_from(STATES), st.sampled_from(COUNTRIES),
                st.sampled_from(DATES), st.sampled_from(KINDS), st.sampled_from(COORDS))


def csv_file(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["中方城市", "City", "State/Province", "Country", "Date", "类型", "纬度", "经度"])
    for side, name, state, country, when, kind, (lat, lon) in rows:
        writer.writerow([side, name, state, country, when, kind, lat, lon])
    return out.getvalue().encode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, min_size=1, max_size=12))
def test_a_file_that_passes_the_dry_run_always_commits_with_the_same_counts(province_staff, rows):
    side = Division.objects.get(code="430100")
    body = csv_file(rows)
    with transaction.atomic():
        partnerships, places = Partnership.objects.count(), ForeignPlace.objects.count()
        report = imports.understand(io.BytesIO(body), "f.csv", what="partnerships", user=province_staff, side=side)
        assert report.accepted + report.rejected == len(report.rows) == len(rows)
        assert Partnership.objects.count() == partnerships and ForeignPlace.objects.count() == places
        if report.ok:
            written = imports.write(report, user=province_staff)
            assert written == report.accepted == len(rows)
            assert Partnership.objects.count() == partnerships + written
            # Judged again after the commit, every row is now a duplicate: nothing is written twice.
            again = imports.understand(io.BytesIO(body), "f.csv", what="partnerships", user=province_staff,
                                       side=side)
            assert again.rejected == len(rows)
        transaction.set_rollback(True)
