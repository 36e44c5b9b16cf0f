// Forecast backtests: MAPE by method and forecast origin, from the page's json_script element.
(function () {
  const el = document.getElementById("chart-mape");
  const d = JSON.parse(document.getElementById("backtest-data").textContent);
  const origins = [...new Set(d.map((r) => r.origin))];
  const methods = [...new Set(d.map((r) => r.method))];
  echarts.init(el).setOption({ title: { text: el.dataset.title }, tooltip: { renderMode: "richText" }, legend: { top: 24 },
    toolbox: { feature: { saveAsImage: { title: "保存 PNG" } } }, grid: { top: 60 }, xAxis: { type: "category", data: origins }, yAxis: { type: "value" },
    series: methods.map((m) => ({ name: m, type: "bar",
      data: origins.map((o) => +(d.find((r) => r.method === m && r.origin === o) || {}).mape?.toFixed(1)) })) });
})();
