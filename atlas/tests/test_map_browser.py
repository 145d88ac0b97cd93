"""The map in a real browser (Debian's chromium, Playwright): it draws its
layers offline, filters and the time slider change what is drawn, the home map
shades the prefectures, and the public map shows no internal layer.
Screenshots go to test-artifacts/map-*.png."""

import json

from waishi.testing import ARTIFACTS, needs_browser

pytestmark = needs_browser
REPORT_DAY = "2018-07-17"


def wait_drawn(page, view, as_of=None, previous=None):
    prefix = f"{view}:{as_of}:" if as_of else f"{view}:"
    page.wait_for_function(
        "([prefix, previous]) => (document.body.dataset.mapReady || '').startsWith(prefix)"
        " && document.body.dataset.mapReady !== previous",
        arg=[prefix, previous],
    )
    return page.evaluate("() => waishiMap.summary()")


def ready(page):
    return page.evaluate("() => document.body.dataset.mapReady")


def test_world_map_draws_partnerships_and_layers(page, app_url):
    page.goto(f"{app_url}/map/?as_of={REPORT_DAY}")
    summary = wait_drawn(page, "world", REPORT_DAY)
    assert summary["series"]["partnerships-lines"] == 80  # 82 pairs, 2 without known coordinates
    layers = {k: n for k, n in summary["series"].items() if k.startswith("layer:")}
    assert layers and sum(layers.values()) > 0
    page.wait_for_selector("#map canvas")
    assert page.inner_text("#gap-continents").strip() == "大洋洲"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-world.png"), full_page=True)
    assert page.outside == []


def test_filters_and_the_time_slider_change_what_is_drawn(page, app_url):
    page.goto(f"{app_url}/map/?as_of={REPORT_DAY}")
    wait_drawn(page, "world", REPORT_DAY)
    before = ready(page)
    page.select_option("#id_continent", "africa")
    summary = wait_drawn(page, "world", REPORT_DAY, before)
    payload = page.evaluate("() => waishiMap.payload().partnerships.map(r => [r[4], r[6]])")
    placed = [iso for iso, lat in payload if lat is not None]
    assert {iso for iso, _ in payload} <= {"ZA", "TZ", "CG", "UG"}
    assert summary["series"]["partnerships-lines"] == len(placed) and 0 < len(placed) < 80
    page.select_option("#id_continent", [])
    before = ready(page)
    page.eval_on_selector("#year", "el => { el.value = 1995; el.dispatchEvent(new Event('input', {bubbles: true})); }")
    summary = wait_drawn(page, "world", "1995-12-31", before)
    assert 0 < summary["series"]["partnerships-lines"] < 40
    # Turning a layer off removes it from the map.
    layer = page.eval_on_selector("#layer-switches input[data-layer]:not([data-layer=partnerships])",
                                  "el => el.dataset.layer")
    before = ready(page)
    page.uncheck("#layer-switches input[data-layer=partnerships]")
    page.wait_for_function("() => !('partnerships-lines' in waishiMap.summary().series)")
    page.uncheck(f"#layer-switches input[data-layer='{layer}']")
    page.wait_for_function(f"() => !('layer:{layer}' in waishiMap.summary().series)")
    assert page.outside == []


def test_home_map_shades_prefectures(page, app_url):
    page.goto(f"{app_url}/map/?as_of={REPORT_DAY}")
    wait_drawn(page, "world", REPORT_DAY)
    page.check("input[name=view][value=home]")
    summary = wait_drawn(page, "home", REPORT_DAY)
    assert summary["series"]["home-shade"] == 14
    shades = page.evaluate("() => waishiMap.chart.getOption().series[0].data.map(d => [d.name, d.value])")
    counts = dict(shades)
    assert counts["430100"] == 13 and sum(counts.values()) == 64  # 82 less the 18 provincial pairs
    page.screenshot(path=str(ARTIFACTS / "map-hunan.png"), full_page=True)
    assert page.outside == []


def test_public_map_shows_no_internal_layer(browser, app_url):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    outside = []
    page.on("request", lambda r: not r.url.startswith(app_url) and outside.append(r.url))
    page.goto(f"{app_url}/public/map")
    wait_drawn(page, "world")
    payload = page.evaluate("() => waishiMap.payload()")
    assert payload["public"] is True
    assert {layer["visibility"] for layer in payload["layers"]} == {"public"}
    assert all(row[9] is None and row[10] is False for row in payload["partnerships"])
    internal = json.loads(page.evaluate("() => JSON.stringify([...document.querySelectorAll('.badge')]"
                                        ".map(b => b.textContent))"))
    assert "内部" not in internal
    page.screenshot(path=str(ARTIFACTS / "map-public.png"), full_page=True)
    assert outside == []
    context.close()
