// The plan evaluation's charts: one per tracked target, its data in the element's data-chart (JSON).
(function () {
  document.querySelectorAll(".chart").forEach((el) => {
    const r = JSON.parse(el.dataset.chart);
    const c = echarts.init(el);
    // one category per year from the first actual to the target year, values aligned by year
    const last = Math.max(r.target_year || 0, r.years[r.years.length - 1]);
    const cats = [];
    for (let y = r.years[0]; y <= last; y++) cats.push(String(y));
    const actual = Object.fromEntries(r.years.map((y, i) => [String(y), r.actuals[i]]));
    const series = [{ name: "实际 actual", type: "line", connectNulls: true, data: cats.map((y) => (y in actual ? actual[y] : null)) }];
    if (r.target_year) series.push({ name: "目标 target", type: "line", symbol: "none", lineStyle: { type: "dashed" }, data: cats.map(() => r.target_value) });
    if (r.projection !== null) series.push({ name: "预测 projection", type: "scatter", data: cats.map((y) => (y === String(r.target_year) ? r.projection : null)) });
    c.setOption({ animation: false, tooltip: { trigger: "axis", renderMode: "richText" }, legend: {}, toolbox: { feature: { saveAsImage: { title: "保存 PNG" } } },
      xAxis: { type: "category", data: cats }, yAxis: { type: "value", scale: true, name: r.unit }, series });
  });
})();
