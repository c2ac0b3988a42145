// Charts of the training-base statistics page (reporting/bases/statistics.py). The data comes from
// <script type="application/json"> blocks written by json_script, so the CSP forbids inline code and
// still lets the page draw; every chart also has its data table below it for screen readers.
(() => {
  "use strict";
  // Colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphical objects).
  const PALETTE = ["#0b5ed7", "#b02a37", "#146c43", "#8a4b00", "#6f42c1", "#0a6e80"];

  function draw(canvas) {
    const source = document.getElementById(`chart-data-${canvas.dataset.chart}`);
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    const spec = JSON.parse(source.textContent);
    const line = spec.kind === "line";
    const datasets = spec.datasets.map((dataset, index) => ({
      label: dataset.label,
      data: dataset.data,
      backgroundColor: PALETTE[index % PALETTE.length],
      borderColor: PALETTE[index % PALETTE.length],
      borderWidth: line ? 2 : 0,
      tension: 0.2,
      fill: false,
    }));
    const valueAxis = { beginAtZero: true, stacked: spec.stacked, ticks: { precision: 0 } };
    const categoryAxis = { stacked: spec.stacked, ticks: { autoSkip: false } };
    // eslint-disable-next-line no-new
    new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: { labels: spec.labels, datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : undefined,
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label}：${item.formattedValue} ${spec.unit}` },
          },
        },
        scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
