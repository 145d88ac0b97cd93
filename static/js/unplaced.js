// Partnerships not on the map: the map beside the list shows the chosen partnership's country and the
// gazetteer's suggestions; a click on the map fills in the latitude and longitude of the form, which the
// user then confirms. The panel comes from the server (htmx); this only draws and fills in.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("place-config").textContent);
  const element = document.getElementById("place-map");
  const chart = echarts.init(element, null, { renderer: "canvas" });
  const bounds = {};
  let ready = null;
  let chosen = null;

  window.placeMap = { chart: chart, chosen: function () { return chosen; } };

  function polygons(geometry) {
    if (geometry.type === "Polygon") return [geometry.coordinates];
    if (geometry.type === "MultiPolygon") return geometry.coordinates;
    return [];
  }

  function keepLargestPart(iso2, geometry) {
    // The country's largest part decides the view: the mainland, not a distant island or territory.
    for (const polygon of polygons(geometry)) {
      const box = [180, 90, -180, -90];
      for (const c of polygon[0]) {
        box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1]);
        box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1]);
      }
      const area = (box[2] - box[0]) * (box[3] - box[1]);
      if (!bounds[iso2] || area > bounds[iso2].area) bounds[iso2] = { box: box, area: area };
    }
  }

  async function load() {
    const geo = await window.waishiRegions.load(config.world_url, function (feature) {
      const p = feature.properties;
      if (p.iso2 && feature.geometry) keepLargestPart(p.iso2, feature.geometry);
    });
    echarts.registerMap("waishi-world", geo);
  }

  function target() {
    return document.getElementById("place-target");
  }

  function candidates() {
    return Array.from(document.querySelectorAll("#place-candidates form[data-candidate]")).map(function (form) {
      return { value: [Number(form.dataset.lon), Number(form.dataset.lat)], name: form.dataset.name,
        candidate: form.dataset.candidate };
    });
  }

  function view(country) {
    // Zoom to the country's largest part; the whole world when the country is unknown.
    const box = bounds[country] && bounds[country].box;
    if (!box) return { center: null, zoom: 1 };
    const width = Math.max(box[2] - box[0], 2);
    const height = Math.max(box[3] - box[1], 2);
    const zoom = Math.max(1, Math.min(360 / width, 150 / height) * 0.7);
    return { center: [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2], zoom: zoom };
  }

  function draw(rezoom) {
    const here = target();
    const country = here ? here.dataset.country : "";
    const placed = here && here.dataset.lat ? [Number(here.dataset.lon), Number(here.dataset.lat)] : null;
    const option = {
      tooltip: { trigger: "item", confine: true },
      geo: {
        map: "waishi-world", roam: true, top: 10, bottom: 10, left: 10, right: 10,
        itemStyle: { areaColor: "#eef2f7", borderColor: "#9aa5b1", borderWidth: 0.5 },
        emphasis: { disabled: true }, tooltip: { show: false },
        regions: country ? [{ name: country, itemStyle: { areaColor: "#fde2e1", borderColor: "#b3261e", borderWidth: 1 } }] : [],
      },
      series: [
        { id: "suggestions", name: config.labels.suggestions, type: "scatter", coordinateSystem: "geo",
          data: candidates(), symbolSize: 9, itemStyle: { color: "#1d4ed8" }, zlevel: 2,
          tooltip: { formatter: function (x) { return x.data.name; } } },
        { id: "chosen", name: config.labels.chosen, type: "scatter", coordinateSystem: "geo", symbol: "pin",
          symbolSize: 26, itemStyle: { color: "#b3261e" }, zlevel: 3,
          data: (chosen || placed) ? [{ value: chosen || placed }] : [], tooltip: { show: false } },
      ],
    };
    if (rezoom) Object.assign(option.geo, view(country));
    chart.setOption(option, { replaceMerge: ["series"] });
    document.body.dataset.placeMapReady = country + ":" + candidates().length;
  }

  function round(value) {
    return Math.round(value * 10000) / 10000;
  }

  function typedPoint() {
    // The point already in the form (a refused point comes back with the panel): [lon, lat] or null.
    const lat = document.getElementById("place-lat");
    const lon = document.getElementById("place-lon");
    if (!lat || !lon || lat.value === "" || lon.value === "") return null;
    const point = [Number(lon.value), Number(lat.value)];
    return isFinite(point[0]) && isFinite(point[1]) ? point : null;
  }

  chart.getZr().on("click", function (event) {
    const lat = document.getElementById("place-lat");
    const lon = document.getElementById("place-lon");
    if (!lat || !lon) return;  // nothing to place
    const point = chart.convertFromPixel({ geoIndex: 0 }, [event.offsetX, event.offsetY]);
    if (!point || !isFinite(point[0]) || !isFinite(point[1])) return;
    chosen = [round(point[0]), round(point[1])];
    lon.value = chosen[0];
    lat.value = chosen[1];
    draw(false);
  });

  chart.on("click", function (event) {
    // A suggestion drawn on the map points at its button in the list.
    const id = event.data && event.data.candidate;
    const button = id && document.querySelector('#place-candidates form[data-candidate="' + id + '"] button');
    if (button) button.focus();
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    const panel = document.getElementById("place-panel");
    if (!panel || !panel.contains(event.detail.elt)) return;
    const whole = event.detail.elt === panel;
    if (whole) chosen = typedPoint();
    ready.then(function () { draw(whole); });
  });
  window.addEventListener("resize", function () { chart.resize(); });
  ready = load().then(function () { draw(true); });
})();
