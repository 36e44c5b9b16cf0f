"""HTML pages of the Features API: the same content as the JSON, for a browser. Rendered by an
engine of their own (this package has no models, so it is no installed app); Chinese first."""

from __future__ import annotations

from pathlib import Path

from django import template
from django.template import Context, Engine

register = template.Library()


@register.simple_tag(takes_context=True)
def t(context, zh, en):
    """{% t "集合" "Collections" %}: the caller's language picks one."""
    return en if context.get("lang") == "en" else zh


@register.filter
def geometry_text(geom):
    """A geometry's type and, for a point, its coordinates (as the asked CRS orders them)."""
    if not geom:
        return ""
    if geom["type"] == "Point":
        return "Point (" + ", ".join(f"{v:.6f}" for v in geom["coordinates"]) + ")"
    return geom["type"]


ENGINE = Engine(
    dirs=[str(Path(__file__).parent / "templates")],
    libraries={"static": "django.templatetags.static", "ogc": "kuangzheng.disclosure.pages"},
    autoescape=True,
)


def render(name: str, context: dict) -> str:
    return ENGINE.get_template(f"disclosure/{name}.html").render(Context(context))
