// Dashboard pages: the charts (data from the json_script "dashboard-charts"), the fiscal year picker and
// the print button. No inline scripts anywhere (CSP).
(function () {
  "use strict";

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // The printed page carries the moment it is printed (BE), not only when the page was loaded.
  window.addEventListener("beforeprint", () => {
    const stamp = document.getElementById("print-date");
    if (stamp) {
      const lang = document.documentElement.lang === "en" ? "en-GB-u-ca-buddhist" : "th-TH-u-ca-buddhist";
      stamp.textContent = new Date().toLocaleString(lang, { dateStyle: "long", timeStyle: "short" });
    }
  });

  document.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) {
      select.form.submit();
    }
  });

  const source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const locale = document.documentElement.lang === "en" ? "en-US" : "th-TH";
  const number = (value) => Number(value).toLocaleString(locale, { maximumFractionDigits: 2 });
  const colours = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#6c757d"];
  // Thai in the page's font (Sarabun, static/vendor/sarabun): a canvas draws with what is loaded when it
  // draws, so the charts wait for the font (a machine without a Thai system font would show boxes).
  const FONT = '"Sarabun", system-ui, -apple-system, "Segoe UI", sans-serif';
  Chart.defaults.font.family = FONT;
  const fontReady = document.fonts
    ? Promise.all(["400", "600"].map((weight) => document.fonts.load(`${weight} 12px Sarabun`, "กขค ABC 123"))).catch(() => null)
    : Promise.resolve();
  Chart.defaults.maintainAspectRatio = false;

  const tooltip = {
    callbacks: {
      label: (context) => `${context.dataset.label || context.label}: ${number(context.parsed.y ?? context.parsed)}`,
    },
  };

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) {
      return;
    }
    config.options = Object.assign({ responsive: true, animation: false }, config.options || {});
    fontReady.then(() => {
      new Chart(canvas, config);
      canvas.dataset.rendered = "1";
    });
  }

  draw("chart-months", {
    type: "line",
    data: {
      labels: data.months.labels,
      datasets: data.months.series.map((series, index) => ({
        label: series.label,
        data: series.data,
        borderColor: colours[index],
        backgroundColor: colours[index],
        tension: 0.2,
      })),
    },
    options: { plugins: { tooltip }, scales: { y: { beginAtZero: true, ticks: { callback: number } } } },
  });

  draw("chart-sectors", {
    type: "bar",
    data: {
      labels: data.sectors.labels,
      datasets: data.sectors.series.map((series, index) => ({
        label: series.label,
        data: series.data,
        backgroundColor: colours[index],
      })),
    },
    options: { plugins: { tooltip }, scales: { y: { beginAtZero: true, ticks: { callback: number } } } },
  });

  draw("chart-statuses", {
    type: "doughnut",
    data: {
      labels: data.statuses.labels,
      datasets: [{ data: data.statuses.data, backgroundColor: colours }],
    },
    options: {
      plugins: {
        legend: { position: "right" },
        tooltip: { callbacks: { label: (context) => `${context.label}: ${number(context.parsed)}` } },
      },
    },
  });

  const ranking = document.getElementById("chart-ranking");
  if (ranking) {
    // One bar per area: the box grows with the number of areas (CSSOM, allowed by the CSP).
    ranking.parentElement.style.height = `${Math.max(160, data.ranking.labels.length * 22 + 60)}px`;
    draw("chart-ranking", {
      type: "bar",
      data: {
        labels: data.ranking.labels,
        datasets: [{ label: data.ranking.label, data: data.ranking.data, backgroundColor: colours[1] }],
      },
      options: {
        indexAxis: "y",
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (context) => `${number(context.parsed.x)}%` } },
        },
        scales: { x: { beginAtZero: true, ticks: { callback: (value) => `${value}%` } } },
      },
    });
  }

  // Charts redraw at the paper's width when printed.
  window.addEventListener("beforeprint", () => {
    Object.values(Chart.instances).forEach((chart) => chart.resize());
  });
})();
