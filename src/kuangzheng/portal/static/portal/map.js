// The portal map: division boundaries of the deployment's province as the base (no tile server:
// intranets have no internet), then zones, mineral rights and facilities as vector tiles from the
// application (every feature the signed-in user may see, at any size), a popup listing what is under
// a click and a side list of what is in view, both from the API.
// Record names are user input: they only ever reach the page as text nodes (textContent), never as
// HTML — Leaflet renders a string popup or tooltip as HTML, so it is always given an element.
(function () {
  const el = document.getElementById("map");
  const en = el.dataset.lang === "en";
  const province = el.dataset.province; // GB/T 2260 code of the province shown ("": the whole country)
  const within = province ? "division=" + encodeURIComponent(province) : "";
  const map = L.map(el, { preferCanvas: true }).setView([36.0, 104.0], 4);
  el.leafletMap = map; // reachable from the browser tests and the benchmark
  const api = (path) => fetch("/api/v1/" + path, { credentials: "same-origin" }).then((r) => r.json());
  const query = (...parts) => parts.filter(Boolean).join("&");
  const list = document.getElementById("feature-list");
  const set = (id, n) => { document.getElementById(id).textContent = n; };
  const text = (tag, s) => { const n = document.createElement(tag); n.textContent = s; return n; };
  const KINDS = { zones: "zone", rights: "right", facilities: "facility" };
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
  // Vector tiles drawn straight onto one canvas per tile: one path per style, filled once (a Leaflet
  // layer per feature, as Leaflet.VectorGrid draws them, takes seconds at 100,000 features). The
  // decoders are the ones bundled with Leaflet.VectorGrid (Mapbox's pbf and vector-tile).
  const STYLES = {
    zones: () => ["#2f9e44", "rgba(47,158,68,0.15)"],
    rights: (kind) => (kind === "mining" ? ["#d9480f", "rgba(217,72,15,0.35)"] : ["#1c7ed6", "rgba(28,126,214,0.35)"]),
    facilities: () => ["#862e9c", "rgba(134,46,156,0.5)"],
  };
  const RADIUS = { rights: 1.5, facilities: 2.5 };
  const draw = (canvas, tile) => {
    const ctx = canvas.getContext("2d");
    Object.keys(STYLES).forEach((name) => {
      const layer = tile.layers[name];
      if (!layer) return;
      const k = canvas.width / layer.extent, paths = {};
      for (let i = 0; i < layer.length; i++) {
        const f = layer.feature(i), style = STYLES[name](f.properties.kind), key = style.join();
        const path = (paths[key] = paths[key] || { style, path: new Path2D() }).path;
        for (const ring of f.loadGeometry()) {
          if (f.type === 1) {
            for (const p of ring) { const r = RADIUS[name]; path.rect(p.x * k - r, p.y * k - r, 2 * r, 2 * r); }
            continue;
          }
          ring.forEach((p, j) => (j ? path.lineTo(p.x * k, p.y * k) : path.moveTo(p.x * k, p.y * k)));
          path.closePath();
        }
      }
      Object.values(paths).forEach(({ style, path }) => {
        ctx.fillStyle = style[1]; ctx.fill(path, "evenodd");
        ctx.strokeStyle = style[0]; ctx.lineWidth = 1; ctx.stroke(path);
      });
    });
  };
  const Records = L.GridLayer.extend({
    createTile(c, done) {
      const canvas = L.DomUtil.create("canvas", "record-tile"), size = this.getTileSize();
      canvas.width = size.x; canvas.height = size.y;
      fetch(`/api/v1/map/tiles/${c.z}/${c.x}/${c.y}.mvt` + (within ? "?" + within : ""), { credentials: "same-origin" })
        .then((r) => { if (!r.ok) throw new Error("tile " + r.status); return r.arrayBuffer(); })
        .then((buf) => { draw(canvas, new VectorTile(new Pbf(buf))); done(null, canvas); })
        .catch((e) => done(e, canvas));
      return canvas;
    },
  });
  map.createPane("records").style.zIndex = 450; // above the division base (overlays), below popups
  const tiles = new Records({ pane: "records", maxNativeZoom: 18 });
  // What is in view, in the side list (the records nearest the centre; the table counts the whole
  // jurisdiction), from the same per-version box index the tiles are cut from.
  let listing = 0;
  const listView = () => {
    const b = map.getBounds(), n = ++listing;
    const bbox = "bbox=" + [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(",");
    return api("map/view?" + query("size=20", bbox, within)).then((found) => {
      if (n !== listing) return; // a later move already asked again
      list.replaceChildren();
      Object.entries(KINDS).forEach(([layer, kind]) => found[layer].results.forEach((p) => {
        const li = document.createElement("li");
        li.className = "feature-item feature-" + kind;
        li.appendChild(label(p, kind));
        list.appendChild(li);
      }));
      el.dataset.listed = String(n);
    });
  };
  // A click lists every feature under it, from the API (the viewer's scope and fields).
  map.on("click", (e) => {
    api("map/at?" + query(`lon=${e.latlng.lng}`, `lat=${e.latlng.lat}`, `z=${map.getZoom()}`, within)).then((found) => {
      const box = document.createElement("div");
      box.className = "map-popup";
      Object.entries(KINDS).forEach(([layer, kind]) => found[layer].forEach((p) => {
        const row = document.createElement("div");
        row.appendChild(label(p, kind));
        box.appendChild(row);
      }));
      if (box.children.length) L.popup().setLatLng(e.latlng).setContent(box).openOn(map);
    });
  });
  const counted = api("map/view?" + query("size=0", within)).then((found) => {
    set("n-zones", found.zones.count); set("n-rights", found.rights.count); set("n-facilities", found.facilities.count);
  });
  const base = province
    ? api("divisions?level=prefecture&parent=" + encodeURIComponent(province) + "&format=geojson")
    : api("divisions?level=province&format=geojson");
  base.then((fc) => {
    const layer = L.geoJSON(fc, { style: { color: "#5c7080", weight: 1, fillColor: "#fdfdf8", fillOpacity: 0.9 },
      onEachFeature: (f, l) => l.bindTooltip(() => text("span", en ? f.properties.name_en : f.properties.name_zh)) }).addTo(map);
    if (fc.features.length) map.fitBounds(layer.getBounds(), { animate: false });
    set("n-divisions", fc.features.length);
    const drawn = new Promise((resolve) => tiles.once("load", resolve));
    tiles.addTo(map);
    map.on("moveend", listView);
    return Promise.all([drawn, counted, listView()]);
  }).then(() => {
    el.dataset.firstRender = String(Math.round(performance.now())); // ms since navigation, for bench/map.py
    el.dataset.loaded = "1";
  }).catch((e) => { el.dataset.error = String(e); });
})();
