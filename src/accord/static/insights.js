/* Insights charts (P24): Chart.js from /static, data from each canvas; a click opens the cases behind a bar. */
(function () {
  "use strict";
  var colors = ["#2d7ea8", "#c27c0e", "#5b6b7f", "#c0362c", "#3c8d5a"];
  function draw(canvas) {
    var spec = JSON.parse(canvas.dataset.insight);
    var line = spec.type === "line";
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.series.map(function (s, i) {
        var color = colors[i % colors.length];
        return { label: s.label, data: s.data, backgroundColor: color, borderColor: color, maxBarThickness: 42, tension: 0.2 };
      }) },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: spec.series.length > 1 || line } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        onClick: function (_event, elements) {
          if (elements.length && spec.links[elements[0].index]) { window.location.href = spec.links[elements[0].index]; }
        }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Chart) { return; }
    document.querySelectorAll("canvas[data-insight]").forEach(draw);
  });
})();
