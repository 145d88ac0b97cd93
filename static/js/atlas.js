// The map (named after the home: 湖南HERE, 杭州HERE, …): fetches the payload for the filters and draws it with
// ECharts on the outlines shipped with the app. No inline script: the page
// passes its configuration as JSON in #map-config.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const form = document.getElementById("map-filters");
  const element = document.getElementById("map");
  const status = document.getElementById("map-status");
  const year = document.getElementById("year");
  const asOf = document.getElementById("as_of");
  const asOfLabel = document.getElementById("as-of-label");
  const shadeBy = document.getElementById("shade-by");
  const LEVEL_COLORS = { province: "#b3261e", prefecture: "#1d4ed8", county: "#2f855a" };
  // No exchanges recorded yet is not dormant: its own dash-dot line and grey point, never dormant's red.
  const VITALITY_LINE = { active: "solid", unstable: "dashed", dormant: "dotted", no_records: [6, 3, 1, 3] };
  const VITALITY_COLORS = { active: "#2f855a", unstable: "#b7791f", dormant: "#c53030", no_records: "#718096" };
  const today = new Date().toISOString().slice(0, 10);
  const chart = echarts.init(element, null, { renderer: "canvas" });
  const maps = {};
  let payload = null;
  let requestNumber = 0;

  window.waishiMap = { chart: chart, payload: function () { return payload; }, summary: summary };

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function view() {
    return form.querySelector("input[name=view]:checked").value;
  }

  function layerOn(code) {
    const box = form.querySelector('input[data-layer="' + code + '"]');
    return !box || box.checked;
  }

  function syncDate() {
    const y = Number(year.value);
    asOf.value = y >= Number(year.max) ? today : y + "-12-31";
    asOfLabel.textContent = asOf.value;
  }

  function query() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (value !== "" && name !== "view") params.append(name, value);
    }
    return params;
  }

  async function loadMap(name, url) {
    if (maps[name]) return;
    const geo = await window.waishiRegions.load(url);
    echarts.registerMap(name, geo);
    maps[name] = true;
  }

  function rows(list, fields) {
    return list.map(function (row) {
      const obj = {};
      fields.forEach(function (f, i) { obj[f] = row[i]; });
      return obj;
    });
  }

  function partnershipTooltip(p) {
    const cn = payload.divisions[p.cn] || [p.cn];
    const country = payload.countries[p.country] || [p.country];
    let html = "<b>" + escapeHtml(cn[0]) + " — " + escapeHtml(p.name) + "</b><br>" + escapeHtml(country[0]) +
      " · " + escapeHtml(config.labels.levels[p.level]) + "<br>" + escapeHtml(config.labels.signed) + " " +
      escapeHtml(p.signed || "");  // as given: 2014年, 1979年5月, 1979年5月2日
    if (p.vitality) html += "<br>" + escapeHtml(config.labels.vitality[p.vitality]);
    return html;
  }

  function itemTooltip(layer, item) {
    let html = "<b>" + escapeHtml(item.name) + "</b><br>" + escapeHtml(layer.name);
    if (item.date) html += " · " + escapeHtml(item.date);
    return html;
  }

  function partnershipSeries() {
    if (!layerOn("partnerships")) return [];
    const list = rows(payload.partnerships, payload.fields.partnerships).filter(function (p) {
      return p.lat !== null && p.lon !== null && payload.divisions[p.cn];
    });
    const lines = list.map(function (p) {
      const cn = payload.divisions[p.cn];
      return {
        coords: [[cn[2], cn[1]], [p.lon, p.lat]],
        lineStyle: { color: LEVEL_COLORS[p.level], type: VITALITY_LINE[p.vitality] || "solid" },
        record: p,
      };
    });
    const points = list.map(function (p) {
      return {
        value: [p.lon, p.lat],
        itemStyle: { color: p.vitality ? VITALITY_COLORS[p.vitality] : LEVEL_COLORS[p.level] },
        record: p,
      };
    });
    return [
      { id: "partnerships-lines", name: config.labels.partnerships, type: "lines", coordinateSystem: "geo",
        data: lines, lineStyle: { width: 1, opacity: 0.55, curveness: 0.25 }, zlevel: 1,
        tooltip: { formatter: function (x) { return partnershipTooltip(x.data.record); } } },
      { id: "partnerships-points", name: config.labels.partnerships, type: "scatter", coordinateSystem: "geo",
        data: points, symbolSize: 6, zlevel: 2,
        tooltip: { formatter: function (x) { return partnershipTooltip(x.data.record); } } },
    ];
  }

  function layerSeries(mapName) {
    const series = [];
    for (const layer of payload.layers) {
      if (layer.map !== mapName || !layerOn(layer.code)) continue;
      const items = rows(layer.items, payload.fields.items);
      const points = items.map(function (i) { return { value: [i.lon, i.lat], record: i }; });
      const routes = items.filter(function (i) { return i.to_lat !== null && i.to_lon !== null; })
        .map(function (i) { return { coords: [[i.lon, i.lat], [i.to_lon, i.to_lat]], record: i }; });
      const tip = { formatter: function (x) { return itemTooltip(layer, x.data.record); } };
      series.push({ id: "layer:" + layer.code, name: layer.name, type: "scatter", coordinateSystem: "geo",
        data: points, symbol: "diamond", symbolSize: 9, itemStyle: { color: layer.color }, zlevel: 3, tooltip: tip });
      if (routes.length) {
        series.push({ id: "layer:" + layer.code + ":routes", name: layer.name, type: "lines", coordinateSystem: "geo",
          data: routes, lineStyle: { color: layer.color, width: 2, opacity: 0.8, curveness: 0.15 }, zlevel: 3,
          effect: { show: true, symbol: "arrow", symbolSize: 5, period: 6 }, tooltip: tip });
      }
    }
    return series;
  }

  function worldOption() {
    return {
      tooltip: { trigger: "item", confine: true },
      geo: {
        map: "waishi-world", roam: true, top: 10, bottom: 10, left: 10, right: 10,
        itemStyle: { areaColor: "#eef2f7", borderColor: "#9aa5b1", borderWidth: 0.5 },
        emphasis: { disabled: true },
        regions: [
          { name: "CN", itemStyle: { areaColor: "#fde2e1", borderColor: "#b3261e", borderWidth: 0.8 } },
          { name: "nine_dash", itemStyle: { areaColor: "#b3261e", borderColor: "#b3261e", borderWidth: 0.6 } },
        ],
      },
      visualMap: [],
      series: partnershipSeries().concat(layerSeries("world")),
    };
  }

  function homeOption() {
    const key = shadeBy.value in payload.home_counts ? shadeBy.value : "partnerships";
    const counts = payload.home_counts[key];
    const data = Object.keys(payload.prefectures).map(function (code) {
      return { name: code, value: counts[code] || 0, label: payload.prefectures[code] };
    });
    const max = Math.max(1, ...data.map(function (d) { return d.value; }));
    return {
      tooltip: { trigger: "item", confine: true },
      geo: {
        map: "waishi-home", roam: true, top: 10, bottom: 10,
        itemStyle: { areaColor: "#eef2f7", borderColor: "#616e7c" },
        label: { show: true, fontSize: 11, formatter: function (x) { return payload.prefectures[x.name] || ""; } },
        emphasis: { label: { show: true } },
      },
      visualMap: [{ type: "continuous", min: 0, max: max, seriesIndex: 0, left: 10, bottom: 10, calculable: true,
        inRange: { color: ["#fff5f5", "#feb2b2", "#b3261e"] } }],
      series: [
        { id: "home-shade", name: shadeBy.options[shadeBy.selectedIndex].text, type: "map", geoIndex: 0, data: data,
          tooltip: { formatter: function (x) {
            return "<b>" + escapeHtml(payload.prefectures[x.name] || x.name) + "</b><br>" +
              escapeHtml(shadeBy.options[shadeBy.selectedIndex].text) + ": " + (x.value || 0);
          } } },
      ].concat(layerSeries("home")),
    };
  }

  function summary() {
    const option = chart.getOption() || {};
    const series = {};
    (option.series || []).forEach(function (s) { series[s.id] = (s.data || []).length; });
    return { view: view(), as_of: payload && payload.as_of, series: series };
  }

  async function draw() {
    if (!payload) return;
    const name = view();
    if (name === "world") await loadMap("waishi-world", config.world_url);
    else await loadMap("waishi-home", config.home_url);
    document.querySelectorAll(".home-only").forEach(function (el) { el.hidden = name !== "home"; });
    document.querySelectorAll(".layer-world, .layer-home").forEach(function (el) {
      el.classList.toggle("other-map", !el.classList.contains("layer-" + name));
    });
    chart.setOption(name === "world" ? worldOption() : homeOption(), { notMerge: true });
    const drawn = payload.partnerships.length - payload.unplaced;
    status.textContent = payload.as_of + " · " + config.labels.partnerships + ": " + payload.partnerships.length +
      (payload.unplaced ? " (" + payload.unplaced + " " + config.labels.unplaced + ")" : "");
    const shown = new URLSearchParams(location.search);
    shown.set("view", name);
    history.replaceState(null, "", "?" + shown.toString());
    document.body.dataset.mapReady = name + ":" + payload.as_of + ":" + drawn;
  }

  function fillList(id, names) {
    const list = document.getElementById(id);
    list.innerHTML = names.length ? names.map(function (n) { return "<li>" + escapeHtml(n) + "</li>"; }).join("")
      : "<li class='muted'>" + escapeHtml(config.labels.none) + "</li>";
  }

  function renderGaps() {
    const g = payload.gaps;
    const country = function (iso) { return (payload.countries[iso] || [iso])[0]; };
    const continent = function (c) { return config.labels.continents[c] || c; };
    fillList("gap-continents", g.continents_without_province.map(continent));
    fillList("gap-majors", g.majors_without_province.map(country));
    fillList("gap-africa", g.prefectures_without_africa.map(function (c) { return payload.prefectures[c] || c; }));
    fillList("gap-counties", g.counties_without.map(function (c) { return (payload.divisions[c] || [c])[0]; }));
    const table = document.getElementById("gap-levels");
    table.innerHTML = Object.keys(g.continents_without_by_level).map(function (level) {
      const list = g.continents_without_by_level[level].map(continent);
      return "<tr><th>" + escapeHtml(config.labels.levels[level]) + "</th><td>" +
        escapeHtml(list.length ? list.join("、") : config.labels.none) + "</td></tr>";
    }).join("");
    const box = document.getElementById("gap-group-box");
    box.hidden = !g.group;
    if (g.group) fillList("gap-group", g.group_without.map(country));
  }

  async function refresh() {
    const number = ++requestNumber;
    const params = query();
    const response = await fetch(config.data_url + "?" + params.toString(), { credentials: "same-origin" });
    if (number !== requestNumber) return;  // a newer request is on its way
    if (!response.ok) {
      status.textContent = JSON.stringify((await response.json()).errors || response.statusText);
      return;
    }
    payload = await response.json();
    history.replaceState(null, "", "?" + params.toString());
    renderGaps();
    await draw();
  }

  function restore() {
    const params = new URLSearchParams(location.search);
    if (params.get("view") === "home") form.querySelector("input[value=home]").checked = true;
    for (const [name, value] of params) {
      form.querySelectorAll('select[name="' + name + '"] option').forEach(function (o) {
        if (o.value === value) o.selected = true;
      });
    }
    const date = params.get("as_of");
    if (date && /^\d{4}-\d{2}-\d{2}$/.test(date)) {
      year.value = date.slice(0, 4);
      asOf.value = date;  // an exact date from the address stays until the slider moves
      asOfLabel.textContent = date;
    } else {
      syncDate();
    }
  }

  chart.on("click", function (event) {
    const record = event.data && event.data.record;
    if (!record) return;
    if (record.link && !config.public) {
      window.location.href = "/twinning/" + record.id + "/";
    } else if (record.category !== undefined) {
      fetch("/map/items/" + record.id + "/", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { document.getElementById("item-panel").innerHTML = html; });
    }
  });

  let timer = null;
  form.addEventListener("change", function (event) {
    if (event.target.dataset.layer !== undefined || event.target === shadeBy || event.target.name === "view") {
      draw();
      return;
    }
    refresh();
  });
  year.addEventListener("input", function () {
    syncDate();
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  document.getElementById("play").addEventListener("click", async function () {
    for (let y = Number(year.min); y <= Number(year.max); y++) {
      year.value = y;
      syncDate();
      await refresh();
      await new Promise(function (resolve) { setTimeout(resolve, 400); });
    }
  });
  window.addEventListener("resize", function () { chart.resize(); });
  restore();
  refresh();
})();
