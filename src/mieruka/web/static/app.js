// Draw the charts described in data-chart attributes with the vendored Chart.js.
// The same figures are in the tables next to each chart, so nothing is lost without it.
(function () {
  "use strict";
  function draw() {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec;
      try { spec = JSON.parse(canvas.getAttribute("data-chart")); } catch (e) { return; }
      new window.Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: spec.datasets },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          indexAxis: spec.type === "bar" ? "y" : "x",
          spanGaps: true,
          plugins: { legend: { display: spec.datasets.length > 1 } },
          scales: spec.type === "bar" ? { x: { beginAtZero: true } } : {}
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
