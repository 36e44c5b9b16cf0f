// A record's boundary on a small map; the GeoJSON comes from the page's json_script elements. A right's
// page also draws, for context, its division's boundary and the neighbouring rights (names as text only).
(function () {
  const el = document.getElementById("detail-map");
  const g = JSON.parse(document.getElementById("boundary-json").textContent);
  const m = L.map(el);
  const ctxEl = document.getElementById("map-context-json");
  const ctx = ctxEl ? JSON.parse(ctxEl.textContent) : null;
  let neighbours = 0;
  if (ctx && ctx.division) {
    L.geoJSON(ctx.division.geometry, {
      style: { color: "#868e96", weight: 1.5, dashArray: "6 4", fill: false },
      interactive: false,
    }).addTo(m);
  }
  if (ctx) {
    for (const n of ctx.neighbours) {
      const layer = L.geoJSON(n.geometry, { style: { color: "#1c7ed6", weight: 1, fillOpacity: 0.1 } });
      const label = document.createElement("span");
      label.textContent = n.licence_no + " " + n.name;
      layer.bindTooltip(label);
      layer.addTo(m);
      neighbours += 1;
    }
  }
  const l = L.geoJSON(g, { style: { color: "#d9480f" } }).addTo(m);
  m.fitBounds(l.getBounds().pad(0.5));
  el.dataset.neighbours = String(neighbours);
  el.dataset.division = ctx && ctx.division ? ctx.division.name : "";
  el.dataset.loaded = "1";
})();
