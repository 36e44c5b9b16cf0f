// The indicators dashboard's line charts. Data comes from the page's json_script elements; ECharts
// draws names on canvas, and its default tooltip escapes them.
(function () {
  const data = (id) => JSON.parse(document.getElementById(id).textContent);
  const rows = data("chart-rows");
  const charts = data("chart-specs");
  function lineChart(el, title, indicator, monthly, percent) {
    const series = {};
    rows.filter((r) => r.indicator === indicator && (!monthly || r.metal === "al")).forEach((r) => {
      (series[r.label] ||= []).push(
        [r.period, r.value === null ? null : (percent ? +(100 * r.value).toFixed(1) : r.value)]);
    });
    const c = echarts.init(document.getElementById(el));
    c.setOption({ title: { text: title, left: 0, textStyle: { fontSize: 14 } }, tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 28, left: 0, type: "scroll" },
      toolbox: { feature: { saveAsImage: { title: "保存 PNG" }, dataView: { title: "数据", readOnly: true } } },
      grid: { top: 70 }, xAxis: { type: "category" }, yAxis: { type: "value" },
      series: Object.entries(series).map(([name, d]) => ({ name, type: "line", data: d.sort() })) });
  }
  charts.forEach(([el, indicator, title, monthly, percent]) => lineChart(el, title, indicator, monthly, percent));
})();
