// Draws the trends charts from the JSON block the page carries (the tables hold the same numbers).
const data = JSON.parse(document.getElementById("trend-data")?.textContent ?? "null");

const COLOURS = {
  mean: "#2f5d62",
  rolling: "#1d2a2e",
  band: "rgba(47, 93, 98, 0.15)",
  reference: "#b35c00",
  qualities: ["#2f5d62", "#b35c00", "#6b4c9a", "#4a7c3a", "#8a5a44"],
};

function constant(value) {
  return data.labels.map(() => value);
}

function trendChart(canvas) {
  const datasets = [
    { label: "Lowest", data: data.min, borderWidth: 0, pointRadius: 0, fill: false, order: 4 },
    { label: "Range (lowest to highest)", data: data.max, borderWidth: 0, pointRadius: 0,
      backgroundColor: COLOURS.band, fill: "-1", order: 4 },
    { label: data.weekly ? "Weekly average" : "Daily average", data: data.mean, borderColor: COLOURS.mean,
      backgroundColor: COLOURS.mean, showLine: false, pointRadius: 3, order: 2 },
    { label: "7-day average", data: data.rolling, borderColor: COLOURS.rolling, borderWidth: 3,
      pointRadius: 0, spanGaps: false, order: 1 },
  ];
  if (data.baseline) {
    datasets.push(
      { label: "30 % less than baseline", data: constant(+(data.baseline * 0.7).toFixed(2)),
        borderColor: COLOURS.reference, borderDash: [8, 4], pointRadius: 0, borderWidth: 2 },
      { label: "50 % less than baseline", data: constant(+(data.baseline * 0.5).toFixed(2)),
        borderColor: COLOURS.reference, borderDash: [2, 3], pointRadius: 0, borderWidth: 2 },
    );
  }
  return new window.Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        y: { min: 0, max: 10, ticks: { stepSize: 2 }, title: { display: true, text: "Pain (0 to 10)" } },
        x: { ticks: { maxTicksLimit: 6, maxRotation: 0 } },
      },
      plugins: {
        legend: { labels: { filter: (item) => item.text !== "Lowest", boxWidth: 14 } },
      },
    },
  });
}

function qualityChart(canvas) {
  const weeks = data.qualityWeeks;
  return new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: weeks.labels,
      datasets: weeks.series.map((series, i) => ({
        label: series.label, data: series.data, backgroundColor: COLOURS.qualities[i % 5],
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { x: { stacked: true, ticks: { maxTicksLimit: 6, maxRotation: 0 } }, y: { stacked: true, beginAtZero: true } },
      plugins: { legend: { labels: { boxWidth: 14 } } },
    },
  });
}

function draw() {
  if (!data || !window.Chart) return;
  const trend = document.getElementById("trend-chart");
  if (trend) trendChart(trend);
  const quality = document.getElementById("quality-chart");
  if (quality) qualityChart(quality);
}

// chart.umd.min.js is a deferred classic script; modules run after it.
draw();
