// The picture's Leaflet map: LSOA circles from the page's GeoJSON download on a plain
// background (no tiles). Without JavaScript the SVG map and the tables are shown instead.
(function () {
  "use strict";
  function colour(p) {
    if (p.hot_spot) { return "#d4351c"; }
    if (p.cold_spot) { return "#1d70b8"; }
    return "#b1b4b6";
  }
  function label(p) {
    var span = document.createElement("span");
    span.textContent = p.lsoa_name + " (" + p.district + "): " + p.count;
    return span;
  }
  function draw(box, data) {
    var biggest = 1;
    data.features.forEach(function (f) { biggest = Math.max(biggest, f.properties.count); });
    box.hidden = false;
    var fallback = document.getElementById("picture-map");
    if (fallback) { fallback.style.display = "none"; }
    var map = window.L.map(box, { attributionControl: false, zoomSnap: 0.25 });
    var layer = window.L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var p = feature.properties;
        return window.L.circleMarker(latlng, {
          radius: 3 + 10 * Math.sqrt(p.count / biggest), color: "#0b0c0c", weight: 0.5,
          fillColor: colour(p), fillOpacity: 0.8
        }).bindTooltip(label(p));
      }
    }).addTo(map);
    if (data.features.length) { map.fitBounds(layer.getBounds(), { padding: [12, 12] }); }
    else { map.setView([51.25, -0.45], 9); }
  }
  function start() {
    var box = document.getElementById("picture-leaflet");
    if (!box || !window.L || !window.fetch) { return; }
    window.fetch(box.getAttribute("data-geojson"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && data.features) { draw(box, data); } })
      .catch(function () { /* keep the SVG map */ });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
