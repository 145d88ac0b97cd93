// Charts of the statistics page; data comes from the page's JSON block.
document.addEventListener("DOMContentLoaded", function () {
  const node = document.getElementById("chart-data");
  if (!node || !window.echarts) return;
  const data = JSON.parse(node.textContent);
  // body[data-charts-ready] tells people and tests that every chart has finished drawing.
  const ids = ["chart-levels", "chart-continents", "chart-countries", "chart-prefectures"];
  const done = new Set();
  const track = (id, chart) => {
    chart.on("finished", () => {
      done.add(id);
      if (done.size === ids.length) document.body.dataset.chartsReady = "1";
    });
    return chart;
  };
  const pie = (id, items) => track(id, echarts.init(document.getElementById(id))).setOption({
    tooltip: { trigger: "item" }, series: [{ type: "pie", radius: ["35%", "70%"], data: items, label: { formatter: "{b}: {c}" } }],
  });
  const bars = (id, rows) => track(id, echarts.init(document.getElementById(id))).setOption({
    tooltip: {}, grid: { left: 90, right: 20, top: 10, bottom: 20 },
    xAxis: { type: "value", minInterval: 1 }, yAxis: { type: "category", inverse: true, axisLabel: { interval: 0 }, data: rows.map(r => r[0]) },
    series: [{ type: "bar", data: rows.map(r => r[1]) }],
  });
  pie("chart-levels", data.levels);
  pie("chart-continents", data.continents);
  bars("chart-countries", data.countries);
  bars("chart-prefectures", data.prefectures);
});
