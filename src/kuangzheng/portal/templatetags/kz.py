"""Template helpers: Chinese-first text with an English switch, vocabulary labels."""

from django import template

from kuangzheng.registry.core import minerals as mineral_vocab
from kuangzheng.registry.core import vocab

register = template.Library()


def _lang(context) -> str:
    req = context.get("request")
    return "en" if req is not None and getattr(req, "LANGUAGE_CODE", "zh-hans").startswith("en") else "zh"


@register.simple_tag(takes_context=True)
def t(context, zh, en):
    """{% t "地图" "Map" %}: the page's language picks one."""
    return en if _lang(context) == "en" else zh


@register.simple_tag(takes_context=True)
def label(context, code, choices_name=""):
    """Vocabulary code → label in the page's language (choices from registry.vocab)."""
    if code in (None, ""):
        return ""
    if _lang(context) == "en":
        return vocab.EN.get(code, code)
    for name in [choices_name] if choices_name else [n for n in dir(vocab) if n.isupper() and n != "EN"]:
        d = dict(getattr(vocab, name))
        if code in d:
            return d[code]
    return code


@register.filter
def get(d, key):
    return d.get(key) if isinstance(d, dict) else getattr(d, key, None)


@register.filter
def join_list(v):
    return "、".join(v) if isinstance(v, (list, tuple)) else (v if v is not None else "")


@register.simple_tag(takes_context=True)
def minerals(context, names):
    """A list of minerals in the page's language, as the mineral vocabulary names them."""
    return "、".join(mineral_vocab.display_list(names if isinstance(names, (list, tuple)) else [], _lang(context)))


@register.simple_tag(takes_context=True)
def mineral(context, name):
    """One mineral or metal name in the page's language."""
    return mineral_vocab.display(name, _lang(context)) if name not in (None, "") else ""
