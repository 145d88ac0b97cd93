"""People are named in Chinese order, surname first (姓名): 张三, not "三 张"."""

import pytest

from accounts.models import chinese_order
from conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("surname", "given", "shown"), [
    ("张", "三", "张三"), ("欧阳", "修远", "欧阳修远"), ("", "李四", "李四"), ("Nowak", "Łukasz", "Nowak Łukasz"),
    ("王", "", "王"), ("", "", ""),
])
def test_names_read_surname_first(surname, given, shown):
    assert chinese_order(surname, given) == shown


def test_the_accounts_list_and_the_header_show_names_surname_first(client, make_user):
    make_user("zhangsan", "viewer", last_name="张", first_name="三")
    security = make_user("sec", "security_admin", last_name="李", first_name="四")
    text = client_for(client, security).get("/accounts/users/").content.decode()
    assert "张三" in text and "三 张" not in text
    assert "李四" in text and "四 李" not in text  # the header names the logged-in user too


def test_a_unit_waiting_for_activation_names_its_clerk_surname_first(client, make_user, province_staff):
    from accounts.models import Unit

    unit = Unit.objects.create(name_zh="长沙某某公司", kind="company", jurisdiction_id="430100", active=False)
    make_user("wangwu", "clerk", "430100", unit=unit, last_name="王", first_name="五", is_active=False)
    text = client_for(client, province_staff).get("/accounts/units/").content.decode()
    assert "王五" in text
