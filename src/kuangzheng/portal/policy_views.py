"""The catalogue browser: entries by document, jurisdiction and kind; each entry shows its quote
highlighted in the seed's full text."""

from django.http import Http404
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from kuangzheng.policy.catalogue import JURISDICTION_INFO, PolicyError, load_catalogue, locate

KINDS = ["access_threshold", "fee", "target", "ratio_target", "deadline", "list", "zoning", "baseline", "forecast"]
KIND_ZH = {
    "access_threshold": "准入条件",
    "fee": "费用价格",
    "target": "规划目标",
    "ratio_target": "比率目标",
    "deadline": "期限",
    "list": "名录清单",
    "zoning": "分区设置",
    "baseline": "基期统计",
    "forecast": "预测",
}
JURISDICTIONS = {code: (j["zh"], j["en"]) for code, j in JURISDICTION_INFO.items()}


def catalogue_view(request):
    cat = load_catalogue()
    g = request.GET
    f = {k: g.get(k, "") for k in ("doc", "jurisdiction", "kind", "q")}
    entries = cat.search(**f)
    return render(
        request,
        "portal/policy.html",
        {
            "nav": "policy",
            "docs": cat.docs,
            "entries": entries,
            "filters": f,
            "total": len(cat.entries),
            "kinds": [(k, KIND_ZH[k]) for k in KINDS],
            "jurisdictions": JURISDICTIONS.items(),
        },
    )


def document_view(request, code):
    cat = load_catalogue()
    info = next((d for d in cat.docs if d.doc.startswith(code)), None)
    if info is None:
        raise Http404
    text = cat.seed_text(info.doc)
    entry, span = None, None
    if request.GET.get("entry"):
        try:
            entry = cat.get(request.GET["entry"])
        except PolicyError:
            raise Http404 from None
        span = locate(entry)
    if span:
        a, b = span
        body = (
            escape(text[:a])
            + mark_safe('<mark class="quote" id="quote">')
            + escape(text[a:b])
            + mark_safe("</mark>")
            + escape(text[b:])
        )
    else:
        body = escape(text)
    return render(
        request,
        "portal/policy_doc.html",
        {"nav": "policy", "info": info, "entry": entry, "body": mark_safe(body), "found": bool(span)},
    )
