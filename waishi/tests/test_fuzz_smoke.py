"""A small, deterministic fuzz check kept in the suite (the full run is scripts/fuzz.py): generated
partnership rows and map layer item rows go through the importers' own functions; none may raise,
and a file with an error writes nothing. About 40 examples each, a few seconds in all."""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas import items
from atlas.models import Layer, LayerItem
from twinning import imports
from twinning.models import Exchange, ForeignPlace, ImportJob, Partnership
from waishi.tables import TableError, read_dict_table

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40, derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Text that breaks naive parsers: NUL, digits int() refuses, formulas, numbers out of range, long names.
JUNK = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "\x00", "²", "٣", "=1+1", "NaN", "inf", "1e309", "-0", "2019/02/30", "0000-01-01",
                     "2019年13月1日", "9" * 25, "名" * 120, "n" * 260]),
)


HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
NEW_NAME = st.text(HANZI, min_size=1, max_size=6).map(lambda name: name + "市")


def row(**columns):
    """A row drawn clean (every value one that passes, so the import writes) or fuzzed (junk mixed in)."""
    clean = {header: good if isinstance(good, st.SearchStrategy) else st.sampled_from(good)
             for header, good in columns.items()}
    fuzzed = {header: st.one_of(strategy, JUNK) for header, strategy in clean.items()}
    return st.one_of(st.fixed_dictionaries(clean), st.fixed_dictionaries(clean), st.fixed_dictionaries(fuzzed))


PARTNERSHIP_ROW = row(**{
    "中方": ["430100", "长沙", "株洲市", "湘潭"], "外方城市": NEW_NAME, "外方英文名": ["Otsu", "New Town", ""],
    "国别": ["日本", "Japan", "FR", "韩国"], "结好时间": ["2019/5/20", "2020-01-15", "2001年2月3日"],
    "类型": ["友好城市", "友好交流城市", "意向", "sister"], "纬度": [""], "经度": [""],
})
ITEM_ROW = row(**{
    "名称": NEW_NAME, "英文名称": ["Consulate", ""], "类别": ["consulate_general", "rail_route"], "国别": [""],
    "行政区划": ["长沙市", "430100", "株洲市"], "纬度": [""], "经度": [""], "日期": ["2017", "2017-05", "2017年5月"],
})


def csv_bytes(rows, encoding):
    headers = sorted(rows[0])  # hypothesis draws a dictionary's keys in any order
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows([[row[header] for header in headers] for row in rows])
    return text.getvalue().encode(encoding)


def counts():
    return [model.objects.count() for model in (Partnership, ForeignPlace, Exchange, LayerItem)]


@FUZZ
@given(rows=st.lists(PARTNERSHIP_ROW, min_size=1, max_size=3), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_partnership_rows_never_crash_and_a_bad_file_writes_nothing(province_staff, rows, encoding):
    before = counts()
    job = ImportJob.objects.create(what="partnerships", file=ContentFile(csv_bytes(rows, encoding), name="f.csv"),
                                   original_name="f.csv", created_by=province_staff)
    try:
        imports.run_dry(job, province_staff)
        job.refresh_from_db()
        assert counts() == before  # the dry run writes nothing
        if job.state == ImportJob.State.READY:
            imports.run_commit(job, province_staff)
            job.refresh_from_db()
            assert job.state == ImportJob.State.DONE
            assert counts()[0] == before[0] + job.created
        else:
            assert job.state == ImportJob.State.INVALID and job.errors
            assert "\x00" not in str(job.errors) + str(job.preview)
    finally:
        job.file.delete(save=False)


@FUZZ
@given(rows=st.lists(ITEM_ROW, min_size=1, max_size=3), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_layer_item_rows_never_crash_and_a_bad_file_writes_nothing(province_staff, rows, encoding):
    layer, _created = Layer.objects.get_or_create(
        code="t-fuzz", defaults={"name_zh": "模糊测试", "owner_id": "430000", "visibility": "internal"})
    before = counts()
    try:
        headers, table = read_dict_table(io.BytesIO(csv_bytes(rows, encoding)), "items.csv", items.COLUMNS)
        mapping = items.map_headers(headers)
    except TableError:
        assert counts() == before
        return
    parsed, errors = items.validate_rows(table, mapping, layer)
    assert counts() == before
    if errors:
        assert all(line and messages for line, messages in errors)
        return
    added, updated = items.import_rows(parsed, province_staff)
    assert added + updated == len(parsed)
    assert counts()[3] == before[3] + added
