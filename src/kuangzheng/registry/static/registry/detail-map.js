// A record's boundary on a small map; the GeoJSON comes from the page's json_script element.
(function () {
  const el = document.getElementById("detail-map");
  const g = JSON.parse(document.getElementById("boundary-json").textContent);
  const m = L.map(el);
  const l = L.geoJSON(g, { style: { color: "#d9480f" } }).addTo(m);
  m.fitBounds(l.getBounds());
  el.dataset.loaded = "1";
})();
