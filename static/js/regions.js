// Outlines for ECharts maps, shared by the atlas and the placing of partnerships: the app's own GeoJSON
// (never a download from elsewhere), regions named by their code (ISO 3166 or GB/T 2260) so that data finds them.
"use strict";
window.waishiRegions = {
  async load(url, eachFeature) {
    const response = await fetch(url, { credentials: "same-origin" });
    const geo = await response.json();
    // Antarctica holds nothing of ours and would take a sixth of the world map.
    geo.features = geo.features.filter(function (f) { return (f.properties || {}).iso2 !== "AQ"; });
    for (const feature of geo.features) {
      const p = feature.properties || {};
      p.name = p.kind === "nine_dash" ? "nine_dash" : p.iso2 || p.code || p.name;
      feature.properties = p;
      if (eachFeature) eachFeature(feature);
    }
    return geo;
  },
};
