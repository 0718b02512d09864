// Charts from data the page embeds (<script type="application/json" id=…>), drawn
// with the vendored ECharts: no inline script, so the Content-Security-Policy holds.
// data.type: "bar" (default: categories on x), "hbar" (categories on y, for long
// labels) or "pie" (data.items: [{name, value}]).
window.addEventListener("load", function () {
  if (!window.echarts) { return; }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    if (data.type === "hbar") {   // one bar a row: as tall as its rows
      el.style.height = Math.max(160, 48 + 28 * data.categories.length) + "px";
    }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var option;
    if (data.type === "pie") {
      option = {
        animation: false,
        tooltip: { trigger: "item" },
        legend: { top: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"], top: 24,
                   label: { formatter: "{b}: {c}" },
                   data: data.items.map(function (it) {
                     return it.color ? { name: it.name, value: it.value, itemStyle: { color: it.color } } : it;
                   }) }]
      };
    } else {
      var categories = { type: "category", data: data.categories, inverse: data.type === "hbar" };
      var values = { type: "value", max: data.max || null, name: data.unit || "" };
      if (data.type === "hbar") {
        categories.axisLabel = { width: 140, overflow: "truncate" };
      } else {
        categories.axisLabel = { interval: 0, rotate: data.categories.length > 6 ? 30 : 0 };
      }
      option = {
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: data.type === "hbar" ? { left: 150, right: 24, top: 36, bottom: 24 }
                                   : { left: 48, right: 16, top: 36, bottom: 64 },
        xAxis: data.type === "hbar" ? values : categories,
        yAxis: data.type === "hbar" ? categories : values,
        series: data.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; })
      };
    }
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
