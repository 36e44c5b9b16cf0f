"""Which representation a request asks for: `f=` wins, then the Accept header. JSON is the default,
also for `*/*` and for no Accept header at all (OWSLib sends none); HTML only when the client
names text/html at least as strongly as any JSON type (a browser)."""

from __future__ import annotations

from kuangzheng.errors import FieldProblem, InvalidInput

FORMATS = {
    "json": "json",
    "geojson": "json",
    "application/json": "json",
    "application/geo+json": "json",
    "html": "html",
}
JSON_TYPES = ("application/json", "application/geo+json", "application/vnd.oai.openapi+json", "application/schema+json")


def _weights(accept: str) -> dict[str, float]:
    out = {}
    for part in accept.split(","):
        fields = [p.strip() for p in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for p in fields[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        out[fields[0].lower()] = max(q, out.get(fields[0].lower(), 0.0))
    return out


def choose(f: str | None, accept: str | None) -> str:
    """'json' or 'html'."""
    if f:
        try:
            return FORMATS[f.lower()]
        except KeyError:
            raise InvalidInput(
                [
                    FieldProblem(
                        "f", f"不支持的格式「{f[:20]}」（json、html）", f"unsupported format '{f[:20]}' (json, html)"
                    )
                ]
            ) from None
    weights = _weights(accept or "")
    html = weights.get("text/html", 0.0)
    best_json = max((weights.get(t, 0.0) for t in JSON_TYPES), default=0.0)
    return "html" if html > 0 and html >= best_json else "json"
