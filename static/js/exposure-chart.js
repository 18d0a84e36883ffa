// The exposure dashboard's chart: covered and uncovered exposure per debtor (stacked bars)
// beside the limit today (a line of points). Data from the page's JSON script element; the
// labels from the canvas's data attributes, in the reader's language.
(function () {
  "use strict";
  function draw() {
    const canvas = document.getElementById("exposure-chart");
    const source = document.getElementById("exposure-chart-data");
    if (!canvas || !source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const number = (values) => values.map(Number);
    const money = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      style: "currency",
      currency: data.currency,
      maximumFractionDigits: 0,
    });
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: canvas.dataset.covered, data: number(data.covered), backgroundColor: "#198754", stack: "x" },
          { label: canvas.dataset.uncovered, data: number(data.uncovered), backgroundColor: "#dc3545", stack: "x" },
          {
            label: canvas.dataset.limit,
            data: number(data.limit),
            type: "line",
            showLine: false,
            pointStyle: "line",
            pointRadius: 14,
            pointBorderWidth: 3,
            borderColor: "#0d6efd",
            backgroundColor: "#0d6efd",
          },
        ],
      },
      options: {
        indexAxis: "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, ticks: { autoSkip: false, maxRotation: 45 } },
          y: { stacked: true, ticks: { callback: (v) => money.format(v) } },
        },
        plugins: {
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${money.format(c.parsed.y)}` } },
        },
      },
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
