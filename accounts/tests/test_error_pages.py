"""403, 404 and 500 pages speak the user's language (Chinese first, English when chosen) and offer
a way forward: the home page, back, and logging in."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


def _forbidden(request):
    raise PermissionDenied


# This module is also the URL conf of the tests below: the site plus a view that fails.
urlpatterns = [path("boom/", _boom), path("forbidden/", _forbidden), path("", include("waishi.urls"))]


@pytest.fixture(autouse=True)
def _errors_as_in_production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_not_found_is_in_chinese_with_a_way_home_back_and_to_log_in(client):
    response = client.get("/trips/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in text and "首页" in text and "返回上一页" in text and "登录" in text
    assert 'href="/accounts/login/?next=/trips/no-such-page/"' in text
    assert "Page not found" not in text


def test_not_found_is_in_english_when_the_user_chose_english(client):
    text = english(client).get("/trips/no-such-page/").content.decode()
    assert "Page not found" in text and "Home page" in text and "Go back" in text
    assert "页面不存在" not in text


def test_forbidden_tells_a_logged_in_user_whom_to_ask_and_offers_no_log_in(client, viewer):
    client.force_login(viewer)
    response = client.get("/forbidden/")
    text = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in text and "请联系外办或安全管理员" in text and "首页" in text
    assert "?next=" not in text


def test_forbidden_is_in_english_when_the_user_chose_english(client, viewer):
    english(client).force_login(viewer)
    text = client.get("/forbidden/").content.decode()
    assert "Access denied" in text and "Home page" in text and "无权访问" not in text


def test_server_error_is_in_chinese_with_a_way_home_and_to_log_in():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    text = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误" in text and 'href="/"' in text and 'href="/accounts/login/"' in text
    assert "Server Error (500)" not in text


def test_server_error_is_in_english_when_the_user_chose_english():
    client = english(Client(raise_request_exception=False))
    text = client.get("/boom/").content.decode()
    assert "Server error" in text and "Home page" in text and "服务器错误" not in text
