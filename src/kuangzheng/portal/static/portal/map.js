// The portal map: division boundaries as the base (no tile server: intranets have no internet),
// then zones, mineral rights and facilities from the API, as the signed-in user may see them.
// Record names are user input: they only ever reach the page as text nodes (textContent), never as
// HTML — Leaflet renders a string popup or tooltip as HTML, so it is always given an element.
(function () {
  const el = document.getElementById("map");
  const en = el.dataset.lang === "en";
  const map = L.map(el, { preferCanvas: true }).setView([44.0, 113.0], 5);
  el.leafletMap = map; // reachable from the browser tests (they open popups)
  const api = (path) => fetch("/api/v1/" + path, { credentials: "same-origin" }).then((r) => r.json());
  const list = document.getElementById("feature-list");
  const set = (id, n) => { document.getElementById(id).textContent = n; };
  const text = (tag, s) => { const n = document.createElement(tag); n.textContent = s; return n; };
  const label = (p, kind) => {
    const title = p.licence_no ? `${p.licence_no} ${p.name}` : (p.name || p.name_zh || p.code);
    const path = { right: "/rights/", zone: "/zones/", facility: "/facilities/" }[kind];
    const box = document.createElement("span");
    if (path) {
      const a = text("a", title);
      a.href = path + encodeURIComponent(String(p.id)) + "/";
      box.appendChild(a);
    } else {
      box.appendChild(document.createTextNode(title));
    }
    if (p.is_generated) box.appendChild(document.createTextNode(en ? " (generated)" : "（演示生成）"));
    return box;
  };
  const addToList = (p, kind) => {
    if (list.children.length >= 60) return;
    const li = document.createElement("li");
    li.className = "feature-item feature-" + kind;
    li.appendChild(label(p, kind));
    list.appendChild(li);
  };
  const feature = (kind) => (f, l) => { l.bindPopup(() => label(f.properties, kind)); addToList(f.properties, kind); };
  api("divisions?level=prefecture&parent=150000&format=geojson").then((fc) => {
    const layer = L.geoJSON(fc, { style: { color: "#5c7080", weight: 1, fillColor: "#fdfdf8", fillOpacity: 0.9 },
      onEachFeature: (f, l) => l.bindTooltip(() => text("span", en ? f.properties.name_en : f.properties.name_zh)) }).addTo(map);
    if (fc.features.length) map.fitBounds(layer.getBounds());
    set("n-divisions", fc.features.length);
    return api("zones?format=geojson&size=1000");
  }).then((fc) => {
    L.geoJSON(fc, { style: { color: "#2f9e44", weight: 1, fillOpacity: 0.15 }, onEachFeature: feature("zone") }).addTo(map);
    set("n-zones", fc.numberMatched);
    return api("rights?format=geojson&size=1000");
  }).then((fc) => {
    L.geoJSON(fc, { style: (f) => ({ color: f.properties.kind === "mining" ? "#d9480f" : "#1c7ed6", weight: 1, fillOpacity: 0.35 }),
      onEachFeature: feature("right") }).addTo(map);
    set("n-rights", fc.numberMatched);
    return api("facilities?format=geojson&size=1000&division=150000");
  }).then((fc) => {
    L.geoJSON(fc, { pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 2.5, color: "#862e9c", weight: 1, fillOpacity: 0.5 }),
      onEachFeature: feature("facility") }).addTo(map);
    set("n-facilities", fc.numberMatched);
    el.dataset.loaded = "1";
  }).catch((e) => { el.dataset.error = String(e); });
})();
