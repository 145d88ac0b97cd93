"""The registry in a real browser: Debian's chromium driven by Playwright
against a served app (fixtures `page` and `app_url` in the root conftest.py).
Screenshots go to test-artifacts/.
"""

from waishi.testing import ARTIFACTS, needs_browser

pytestmark = needs_browser


def test_search_by_pinyin_updates_the_table_in_place(page):
    page.fill("input[name=q]", "zihe")
    page.wait_for_function("() => document.querySelectorAll('#partnerships tbody tr').length === 1")
    assert "滋贺县" in page.inner_text("#partnerships")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "registry-search.png"), full_page=True)
    assert page.outside == []


def test_statistics_page_draws_its_charts_offline(page, app_url):
    page.goto(f"{app_url}/twinning/stats/?as_of=2018-07-17")
    page.wait_for_selector("#chart-continents canvas")
    page.wait_for_selector("body[data-charts-ready]")
    assert page.inner_text("#kpi-total") == "82"
    assert page.inner_text("#kpi-countries") == "31"
    page.screenshot(path=str(ARTIFACTS / "registry-stats.png"), full_page=True)
    assert page.outside == []


def test_adding_a_partnership_suggests_places_from_the_gazetteer(page, app_url):
    page.goto(f"{app_url}/twinning/new/")
    page.fill("input[name=country]", "日本")
    page.fill("input[name=foreign_name_zh]", "鹿儿岛")
    page.wait_for_selector("#suggestions button")
    page.click("#suggestions button >> nth=0")
    assert page.input_value("input[name=lat]") != ""
    page.screenshot(path=str(ARTIFACTS / "registry-add.png"), full_page=True)
