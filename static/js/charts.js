/* Draws the Plotly figures of a page: {% plotly_figure %} (smartcity/templatetags/charts.py) writes
 * <div data-plotly-figure="ID"> and the figure's JSON in <script type="application/json" id="ID">.
 * Runs on load and for content htmx swaps in later (a finished job's result, for instance).
 * Needs static/vendor/plotly/plotly.min.js before it.
 */
(function () {
  "use strict";
  if (!window.Plotly) return;
  var CONFIG = { responsive: true, displaylogo: false };

  function draw(container) {
    if (container.dataset.plotlyDrawn) return;
    var source = document.getElementById(container.dataset.plotlyFigure);
    if (!source) return;
    var figure = JSON.parse(source.textContent);
    container.dataset.plotlyDrawn = "true";
    Plotly.newPlot(container, figure.data || [], figure.layout || {},
      Object.assign({}, CONFIG, figure.config || {}));
  }
  function drawAll(root) {
    if (root.matches && root.matches("[data-plotly-figure]")) draw(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-plotly-figure]").forEach(draw);
  }
  if (window.htmx) {
    htmx.onLoad(drawAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
})();
