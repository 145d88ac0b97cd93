"""The map tells "no exchanges recorded yet" apart from dormant, in a real browser: the reference data holds
no exchange, so the clerk's partnerships are drawn with the grey point and dash-dot line of no records,
never dormant's red dots, and the legend names it."""

from waishi.testing import needs_browser

pytestmark = needs_browser


def test_no_records_has_its_own_line_point_and_legend(page, app_url):
    page.goto(f"{app_url}/map/?as_of=2018-07-17")
    page.wait_for_function("() => (document.body.dataset.mapReady || '').startsWith('world:2018-07-17:')")
    styles = page.evaluate(
        """() => {
          const series = waishiMap.chart.getOption().series;
          const lines = series.find((s) => s.id === "partnerships-lines").data;
          const points = series.find((s) => s.id === "partnerships-points").data;
          return {
            vitality: [...new Set(lines.map((l) => l.record.vitality))],
            lines: [...new Set(lines.map((l) => JSON.stringify(l.lineStyle.type)))],
            points: [...new Set(points.map((p) => p.itemStyle.color))],
          };
        }"""
    )
    assert styles["vitality"] == ["no_records"]
    assert styles["lines"] == ["[6,3,1,3]"]
    assert styles["points"] == ["#718096"]
    assert "暂无交流记录" in page.inner_text(".legend")
