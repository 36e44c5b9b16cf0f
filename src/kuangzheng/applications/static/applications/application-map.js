// The application's parcel and every conflict the reader may see, on a small map. The features come
// from the page's json_script element; labels are set with textContent, never parsed as HTML.
(function () {
  const el = document.getElementById("application-map");
  const fc = JSON.parse(document.getElementById("application-map-json").textContent);
  const m = L.map(el);
  const STYLE = { parcel: { color: "#d9480f", weight: 3 }, right: { color: "#1c7ed6" }, application: { color: "#7048e8" }, zone: { color: "#2f9e44", dashArray: "4" } };
  const layer = L.geoJSON(fc, {
    style: (f) => STYLE[f.properties.role] || {},
    onEachFeature: (f, l) => {
      const tip = document.createElement("span");
      tip.textContent = f.properties.label + (f.properties.overlap_km2 != null ? " · " + f.properties.overlap_km2 + " km²" : "");
      l.bindTooltip(tip);
    },
  }).addTo(m);
  m.fitBounds(layer.getBounds(), { padding: [20, 20] });
  el.dataset.features = String(fc.features.length);
})();
