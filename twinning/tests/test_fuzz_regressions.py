"""Inputs that the fuzzing run (scripts/fuzz.py) found to break the registry import and the exchange form:
each is now refused with a clear error on its row or file and nothing is written, or simply served."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from twinning.models import Exchange, ForeignPlace, ImportJob, Partnership

pytestmark = pytest.mark.django_db
PARTNERSHIP_HEADERS = "中方,外方城市,外方英文名,外方当地名,国别,结好时间,类型\n"
EXCHANGE_HEADERS = "日期,类型,标题,中方,外方城市,人数\n"


@pytest.fixture
def staff(client, province_staff):
    client.force_login(province_staff)
    return client


def upload(client, text, what="partnerships"):
    before = (Partnership.objects.count(), ForeignPlace.objects.count(), Exchange.objects.count())
    file = SimpleUploadedFile("fuzz.csv", text.encode())
    response = client.post("/twinning/import/", {"what": what, "file": file})
    assert response.status_code == 302, response.content[:500]
    job = ImportJob.objects.latest("pk")
    assert (Partnership.objects.count(), ForeignPlace.objects.count(), Exchange.objects.count()) == before
    return job


def messages(job):
    return " ".join(m for e in job.errors for m in e["messages"])


def test_a_nul_character_refuses_the_file(staff):
    # PostgreSQL keeps no NUL in text or JSON: saving the job's errors or the rows failed with a 500.
    job = upload(staff, PARTNERSHIP_HEADERS + "长沙,大\x00津市,Otsu,,日本,2019/5/20,友好城市\n")
    assert job.state == "invalid"
    assert "NUL" in messages(job)
    assert "\x00" not in str(job.errors) + str(job.preview)


@pytest.mark.parametrize("column, length", [(1, 101), (2, 151), (3, 151)])
def test_a_foreign_name_longer_than_its_column_is_an_error(staff, column, length):
    cells = ["长沙", "大津市", "Otsu", "", "日本", "2019/5/20", "友好城市"]
    cells[column] = "名" * length
    job = upload(staff, PARTNERSHIP_HEADERS + ",".join(cells) + "\n")
    assert job.state == "invalid"
    assert f"{length - 1}" in messages(job)  # "longer than 100 (150) characters"


def test_an_exchange_title_longer_than_its_column_is_an_error(staff):
    job = upload(staff, EXCHANGE_HEADERS + f"2020-01-01,来访,{'访' * 201},长沙,鹿儿岛市,5\n", what="exchanges")
    assert job.state == "invalid"
    assert "200" in messages(job)


@pytest.mark.parametrize("size", ["²", "3²", "99999999999"])
def test_a_delegation_size_that_is_no_count_is_an_error(staff, size):
    # "²".isdigit() is true but int("²") fails; 99999999999 does not fit the column on PostgreSQL.
    job = upload(staff, EXCHANGE_HEADERS + f"2020-01-01,来访,友好访问,长沙,鹿儿岛市,{size}\n", what="exchanges")
    assert job.state == "invalid"
    assert "人数" in messages(job)


@pytest.mark.parametrize(("value", "status"), [("abc", 200), ("%00", 400), ("²", 200)])
def test_an_exchange_form_link_with_no_partnership_id_shows_the_form(staff, value, status):
    # filter(pk="abc") raised ValueError: a 500. A NUL is refused before any view (waishi/middleware.py).
    response = staff.get(f"/twinning/exchanges/new/?partnership={value}")
    assert response.status_code == status
