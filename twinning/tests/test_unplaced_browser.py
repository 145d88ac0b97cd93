"""The list of partnerships not on the map in a real browser (Debian's chromium, Playwright): choosing a
partnership shows its country on the map, a click on the map fills in the point, and a point outside the
country is refused in the panel. Nothing is placed: the served app's data stays as other browser tests expect
(its two reference pairs without coordinates). Screenshot: test-artifacts/unplaced.png."""

from waishi.testing import ARTIFACTS, needs_browser

pytestmark = needs_browser

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser tests are skipped without Playwright
    PlaywrightTimeout = TimeoutError


def click_map_at(page, lon, lat):
    page.locator("#place-map").scroll_into_view_if_needed()
    before = page.input_value("#place-lat")
    for _attempt in range(3):
        # Pixels are asked for at each attempt: on a loaded machine the zoom to the country may still be moving.
        x, y = page.evaluate("([lon, lat]) => placeMap.chart.convertToPixel({geoIndex: 0}, [lon, lat])",
                             [lon, lat])
        box = page.locator("#place-map").bounding_box()
        assert 0 < x < box["width"] and 0 < y < box["height"], "the point is not in the map's view"
        page.mouse.click(box["x"] + x, box["y"] + y)
        try:
            page.wait_for_function("(before) => { const v = document.querySelector('#place-lat').value;"
                                   " return v !== '' && v !== before; }", arg=before, timeout=3000)
            break
        except PlaywrightTimeout:
            page.wait_for_timeout(500)
    return round(float(page.input_value("#place-lat")), 1), round(float(page.input_value("#place-lon")), 1)


def test_a_click_on_the_map_fills_in_the_point_and_the_country_is_checked(page, app_url):
    page.goto(f"{app_url}/twinning/unplaced/")
    rows = page.locator("#unplaced tbody tr")
    assert rows.count() == 2  # 湘西's 赞扎巴尼市 and 芷江's 松鹤市 have no coordinates
    row = page.locator("#unplaced tbody tr", has_text="松鹤市")
    row.get_by_role("link", name="标注位置").click()
    page.wait_for_selector("#place-panel #place-point")
    page.wait_for_function("() => (document.body.dataset.placeMapReady || '').startsWith('US:')")

    lat, lon = click_map_at(page, -98.0, 38.5)  # Kansas
    assert abs(lat - 38.5) < 0.5 and abs(lon + 98.0) < 0.5
    chosen = page.evaluate("() => placeMap.chosen()")
    assert [round(v, 1) for v in chosen] == [lon, lat]

    # Never submit a point in the country here: the other browser tests expect the reference data as loaded.
    lat, lon = click_map_at(page, -103.0, 26.5)  # Coahuila: Mexico, not the United States
    assert abs(lat - 26.5) < 0.5 and abs(lon + 103.0) < 0.5
    page.click("#place-point button[type=submit]")
    page.wait_for_selector("#place-panel .messages li.error")
    assert "不在美国境内" in page.inner_text("#place-panel .messages")
    assert page.locator("#unplaced tbody tr").count() == 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "unplaced.png"), full_page=True)
    assert page.outside == []
