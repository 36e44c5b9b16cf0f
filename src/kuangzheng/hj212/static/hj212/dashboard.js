// Online-monitoring dashboard: points on the map coloured by state, one live chart per point, and
// the alarm list, refreshed from the API. Names are set with textContent, never parsed as HTML.
(function () {
  const boot = JSON.parse(document.getElementById("hj212-boot").textContent);
  const mapEl = document.getElementById("hj212-map");
  const en = mapEl.dataset.lang === "en";
  const api = (path) => fetch("/api/v1/hj212/" + path, { credentials: "same-origin" }).then((r) => r.json());
  const COLOURS = { normal: "#2f9e44", waiting: "#868e96", exceedance: "#e03131", device: "#f08c00", silence: "#5f3dc4", capture: "#1c7ed6" };
  const KIND = { exceedance: ["超标", "exceedance"], device: ["仪器状态", "device state"], silence: ["数据中断", "silent"], capture: ["捕获率", "capture rate"] };

  const map = L.map(mapEl, { preferCanvas: true }).setView([41.0, 111.0], 5);
  const markers = {};
  const located = [];
  boot.points.forEach((p) => {
    if (p.lat == null || p.lon == null) return;
    const m = L.circleMarker([p.lat, p.lon], { radius: 7, weight: 1, color: "#222", fillOpacity: 0.85, fillColor: COLOURS[p.state] || "#868e96" });
    const tip = document.createElement("span");
    tip.textContent = p.name + " · " + (p.facility_name || "");
    m.bindTooltip(tip).addTo(map);
    markers[p.id] = m;
    located.push([p.lat, p.lon]);
  });
  if (located.length) map.fitBounds(located, { padding: [30, 30], maxZoom: 9 });

  const charts = {};
  const holder = document.getElementById("charts");
  boot.points.forEach((p) => {
    const box = document.createElement("section");
    box.className = "point-chart";
    box.dataset.point = p.id;
    const h = document.createElement("h3");
    h.textContent = p.name;
    const div = document.createElement("div");
    div.className = "chart";
    div.style.height = "220px";
    box.append(h, div);
    holder.appendChild(box);
    charts[p.id] = echarts.init(div);
  });

  function drawSeries(id, data) {
    const series = Object.entries(data.series).map(([code, rows]) => ({
      name: code, type: "line", showSymbol: false, data: rows.map((r) => [r[0], r[1]]),
    }));
    charts[id].setOption({ animation: false, tooltip: { trigger: "axis", renderMode: "richText" }, legend: {}, xAxis: { type: "time" }, yAxis: { type: "value" }, series: series }, true);
    charts[id].getDom().parentNode.dataset.values = String(series.reduce((n, s) => n + s.data.length, 0));
  }

  function drawAlarms(list) {
    const body = document.querySelector("#alarm-table tbody");
    body.replaceChildren();
    if (!list.length) {
      const tr = document.createElement("tr");
      tr.id = "no-alarms";
      const td = document.createElement("td");
      td.colSpan = 4;
      td.textContent = en ? "No alarms" : "无报警";
      tr.appendChild(td);
      body.appendChild(tr);
    }
    list.forEach((a) => {
      const tr = document.createElement("tr");
      tr.className = "alarm-row alarm-" + a.kind;
      tr.dataset.point = a.point;
      [a.point_name, (KIND[a.kind] || [a.kind, a.kind])[en ? 1 : 0], en ? a.message_en : a.message_zh, a.started_at.slice(0, 19)].forEach((text) => {
        const td = document.createElement("td");
        td.textContent = text;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function drawStates(points) {
    points.forEach((p) => {
      if (markers[p.id]) markers[p.id].setStyle({ fillColor: COLOURS[p.state] || "#868e96" });
      const cell = document.querySelector(`tr.point-row[data-point="${p.id}"] .point-state`);
      if (cell) { cell.textContent = p.state; cell.className = "point-state state-" + p.state; }
    });
  }

  function refresh() {
    const work = [api("points").then(drawStates), api("alarms").then((r) => (Array.isArray(r) ? drawAlarms(r) : null))];
    boot.points.forEach((p) => work.push(api(`points/${p.id}/series?hours=2`).then((d) => drawSeries(p.id, d))));
    Promise.all(work).then(() => { document.body.dataset.refreshed = String(Date.now()); }).catch((e) => { document.body.dataset.error = String(e); });
  }
  refresh();
  setInterval(refresh, boot.refresh_ms);
})();
