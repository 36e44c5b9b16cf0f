"""The yearly restoration report, per league/city and for the region (HTML and PDF, with charts):
area balance, fund movements in the seed's style of totals (缴存 / 返还 / 结转, in 10⁴ yuan),
the responsibility ledger and green mines. Seed 003's end-2015 bond totals are reproduced from
the catalogue beside the platform's own figures."""

from __future__ import annotations

import base64
import io
from collections import defaultdict

from django.db.models import Count, Sum

from kuangzheng.access.actor import Actor
from kuangzheng.monitoring.plan import FontMissing, cjk_font
from kuangzheng.policy.catalogue import load_catalogue
from kuangzheng.registry import services as registry

from . import indicators
from .core import balance
from .models import FundAccount, GovernmentProject, Plan, Posting, Problem

SEED_TOTALS = {
    "deposited": "003.status.restoration_bond_deposited",
    "returned": "003.status.restoration_bond_returned",
    "carried_over": "003.status.restoration_bond_carried_over",
}
WITHHELD_FIELDS = ("damaged", "reclaimed", "verdict_zh", "deposited", "returned", "carried_over", "spent")
KIND_TOTAL = {
    "deposit": "deposited",
    "bond_deposit": "deposited",
    "refund": "returned",
    "carry_over": "carried_over",
    "spend": "spent",
}


def _wan(cents: int) -> str:
    """Cents as 万元 (10⁴ yuan) with two decimals, as the seed writes its totals."""
    return f"{cents / 1_000_000:.2f}"


def seed_totals() -> dict:
    cat = load_catalogue()
    out = {k: cat.get(v) for k, v in SEED_TOTALS.items()}
    line = (
        f"截至 2015年底，矿山地质环境治理保证金实际缴存 {out['deposited'].value:.2f}万元，"
        f"返还 {out['returned'].value:.2f}万元，结转 {out['carried_over'].value:.2f}万元"
    )
    return {"line": line, "entries": list(SEED_TOTALS.values()), "quote": out["deposited"].quote}


def build(actor: Actor | None, year: int, division: str | None = None) -> dict:
    prefix = indicators._prefix(actor, division)
    cities = [d for d in registry.divisions("prefecture") if d.code.startswith(prefix[:2] or "15")]
    if len(prefix) >= 4:
        cities = [d for d in cities if d.code.startswith(prefix[:4])]
    flows: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for r in (
        Posting.objects.filter(year__lte=year, account__division__code__startswith=prefix)
        .values("account__division__code", "kind", "year")
        .annotate(s=Sum("cents"))
    ):
        city = r["account__division__code"][:4] + "00"
        k = KIND_TOTAL.get(r["kind"])
        if k:
            flows[city][k + ("_year" if r["year"] == year else "")] += int(r["s"])
            flows[city][k + "_cum"] += int(r["s"])
    probs = defaultdict(lambda: {"new": 0, "old": 0})
    for r in (
        Problem.objects.filter(division__code__startswith=prefix)
        .values("division__code", "classification")
        .annotate(n=Count("id"))
    ):
        probs[r["division__code"][:4] + "00"][r["classification"]] += r["n"]
    ents = defaultdict(set)  # the disclosure rule: a public cell needs three distinct enterprises
    for code, ent in FundAccount.objects.values_list("division__code", "enterprise_id"):
        ents[code[:4] + "00"].add(ent)
    for code, ent in Plan.objects.values_list("division__code", "enterprise_id"):
        ents[code[:4] + "00"].add(ent)
    rows = []
    for d in cities:
        areas = indicators.yearly_areas(d.code[:4]).get(
            year, {"damaged": 0, "reclaimed": 0, "occupied": 0, "restored": 0}
        )
        f = flows.get(d.code, {})
        b = balance.judge(year, areas["damaged"], areas["reclaimed"], indicators.config.balance_band())
        rows.append(
            {
                "code": d.code,
                "name": d.name_zh,
                "damaged": areas["damaged"],
                "reclaimed": areas["reclaimed"],
                "verdict_zh": balance.VERDICT_ZH[b.verdict],
                "deposited": _wan(f.get("deposited_year", 0)),
                "returned": _wan(f.get("returned_year", 0)),
                "carried_over": _wan(f.get("carried_over_year", 0)),
                "spent": _wan(f.get("spent_year", 0)),
                "deposited_cum": _wan(f.get("deposited_cum", 0)),
                "returned_cum": _wan(f.get("returned_cum", 0)),
                "carried_over_cum": _wan(f.get("carried_over_cum", 0)),
                "new": probs[d.code]["new"],
                "old": probs[d.code]["old"],
                "withheld": False,
            }
        )
        if actor is None and len(ents[d.code]) < indicators.MIN_ENTERPRISES:
            rows[-1].update({k: "—" for k in WITHHELD_FIELDS}, withheld=True)
    cum = {k: sum(int(flows[c].get(k + "_cum", 0)) for c in flows) for k in ("deposited", "returned", "carried_over")}
    all_ents = set().union(*ents.values()) if ents else set()
    line = (
        f"截至 {year}年底，平台记录的矿山地质环境治理保证金（基金）实际缴存 {_wan(cum['deposited'])}万元，"
        f"返还 {_wan(cum['returned'])}万元，结转 {_wan(cum['carried_over'])}万元"
    )
    if actor is None and len(all_ents) < indicators.MIN_ENTERPRISES:
        line = f"截至 {year}年底的平台合计涉及企业少于3家，不予公开"
    return {
        "year": year,
        "prefix": prefix,
        "rows": rows,
        "line": line,
        "seed": seed_totals(),
        "summary": indicators.summary(actor, prefix or None) if actor else indicators.summary(None),
        "projects": GovernmentProject.objects.filter(division__code__startswith=prefix, year=year).count(),
        "generated": Posting.objects.filter(is_generated=True).exists(),
    }


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def chart_pngs(data: dict) -> list[bytes]:
    """Two charts: damaged vs reclaimed by year, and the year's fund flows by league/city."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font = cjk_font()
    props = None
    if font:
        font_manager.fontManager.addfont(font)
        props = font_manager.FontProperties(fname=font)
    out = []
    bal = data["summary"]["balance"]
    fig, ax = plt.subplots(figsize=(6.4, 2.8), dpi=100)
    ys = [r["year"] for r in bal]
    ax.bar([y - 0.2 for y in ys], [r["damaged"] for r in bal], width=0.4, color="#c0392b", label="损毁 damaged (ha)")
    ax.bar(
        [y + 0.2 for y in ys], [r["reclaimed"] for r in bal], width=0.4, color="#27ae60", label="复垦 reclaimed (ha)"
    )
    ax.set_title("年复垦面积与年损毁面积 reclaimed vs damaged", fontproperties=props, fontsize=10)
    ax.legend(prop=props, fontsize=7)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    out.append(_png(fig))
    plt.close(fig)
    rows = [r for r in data["rows"] if not r["withheld"] and (float(r["deposited"]) or float(r["spent"]))]
    fig, ax = plt.subplots(figsize=(6.4, 2.8), dpi=100)
    xs = range(len(rows))
    ax.bar(
        [x - 0.2 for x in xs], [float(r["deposited"]) for r in rows], width=0.4, color="#1f5fa8", label="缴存 deposited"
    )
    ax.bar([x + 0.2 for x in xs], [float(r["spent"]) for r in rows], width=0.4, color="#e67e22", label="治理支出 spent")
    ax.set_xticks(list(xs), [r["name"] for r in rows], fontproperties=props, fontsize=7, rotation=30)
    ax.set_title(f"{data['year']} 年基金收支（万元）fund flows (10⁴ yuan)", fontproperties=props, fontsize=10)
    ax.legend(prop=props, fontsize=7)
    fig.tight_layout()
    out.append(_png(fig))
    plt.close(fig)
    return out


def charts_svg(data: dict) -> list[str]:
    """The charts as data: URIs for <img> (the CSP allows data: images, no inline markup)."""
    return ["data:image/png;base64," + base64.b64encode(p).decode("ascii") for p in chart_pngs(data)]


def pdf(data: dict) -> bytes:
    from fpdf import FPDF

    font = cjk_font()
    if font is None:
        raise FontMissing()
    doc = FPDF(format="A4")
    doc.add_font("cjk", fname=font, collection_font_number=2 if font.endswith(".ttc") else 0)
    doc.set_auto_page_break(True, margin=15)
    doc.add_page()
    doc.set_font("cjk", size=16)
    doc.multi_cell(0, 9, f"{data['year']} 年度矿山地质环境治理恢复报告", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("cjk", size=9)
    if data["generated"]:
        doc.multi_cell(
            0,
            5,
            "演示数据为生成数据，非真实统计 / the demo's figures are generated, not real statistics",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    doc.multi_cell(0, 5, data["line"] + "。", new_x="LMARGIN", new_y="NEXT")
    doc.multi_cell(0, 5, "规划基期（种子 003）：" + data["seed"]["line"] + "。", new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    head = ("盟市", "损毁ha", "复垦ha", "平衡", "缴存", "返还", "结转", "支出", "新/老")
    widths = (30, 18, 18, 20, 20, 18, 18, 18, 16)
    doc.set_font("cjk", size=8)
    for h, w in zip(head, widths, strict=True):
        doc.cell(w, 6, h, border=1)
    doc.ln()
    for r in data["rows"]:
        fmt = str if r["withheld"] else "{:.1f}".format
        cells = (
            r["name"],
            fmt(r["damaged"]),
            fmt(r["reclaimed"]),
            r["verdict_zh"],
            r["deposited"],
            r["returned"],
            r["carried_over"],
            r["spent"],
            f"{r['new']}/{r['old']}",
        )
        for c, w in zip(cells, widths, strict=True):
            doc.cell(w, 5, str(c), border=1)
        doc.ln()
    doc.ln(2)
    for png in chart_pngs(data):
        doc.image(io.BytesIO(png), w=170)
    return bytes(doc.output())
