"""规划实施年度评估 — the yearly plan-evaluation report, as context for the HTML page and as a PDF.

The PDF is written with fpdf2 (pure Python) and charts drawn by matplotlib (Agg). Chinese text
needs a CJK font: ``KZ_CJK_FONT`` or Debian's fonts-noto-cjk (``apt-get install fonts-noto-cjk``).
Without one, ``pdf()`` raises ``FontMissing`` (the page says so, in Chinese and English); the
HTML report needs no font of ours.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from kuangzheng.errors import ServiceError

from . import disclosure, targets
from .models import Report

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


class FontMissing(ServiceError):
    status = 503

    def __init__(self):
        super().__init__(
            "未找到中文字体，无法生成 PDF：请安装 fonts-noto-cjk 或设置 KZ_CJK_FONT",
            "no CJK font found, so no PDF: install fonts-noto-cjk or set KZ_CJK_FONT",
        )


def cjk_font() -> str | None:
    for p in (os.environ.get("KZ_CJK_FONT", ""), *FONT_CANDIDATES):
        if p and Path(p).is_file():
            return p
    return None


def latest_year() -> int | None:
    p = (
        Report.objects.filter(report_type="annual_resources_environment", status="accepted")
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return int(p) if p else None


def context(year: int | None = None, actor=None) -> dict:
    """The report as ``actor`` may see it (None: the public; see disclosure.py)."""
    year = year or latest_year() or 2019
    rows = targets.evaluate_all(year, actor)
    tracked = [r for r in rows if r["years"]]  # in catalogue order: seed by seed
    counts = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return {
        "year": year,
        "targets": rows,
        "tracked": tracked,
        "counts": counts,
        "growth_checks": targets.stated_growth_checks(),
        "status_zh": targets.STATUS_ZH,
        "note_zh": disclosure.NOTE_ZH,
        "note_en": disclosure.NOTE_EN,
    }


def outside_lines(r: dict) -> list[str]:
    """The registered outside figures measuring a target, one line each, for the PDF."""
    out = []
    for o in r.get("outside", []):
        if o["withheld"]:
            value = f"— {disclosure.NOTE_ZH}"
        else:
            value = f"{o['years'][-1]} 年 {o['actuals'][-1]:.3g} {r['unit']}" if o["actuals"] else "—"
        out.append(f"另见 {o['label_zh']}（{o['source_zh']}）：{value}")
    return out


def _chart(r: dict, font: str | None) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    props = None
    if font:
        font_manager.fontManager.addfont(font)
        props = font_manager.FontProperties(fname=font)
    fig, ax = plt.subplots(figsize=(6.4, 2.6), dpi=110)
    ax.plot(r["years"], r["actuals"], "o-", color="#1f5fa8", label="实际 actual")
    if r["target_year"]:
        ax.axhline(r["target_value"], color="#c0392b", ls="--", label=f"目标 target {r['target_year']}")
        if r["projection"] is not None and r["years"]:
            ax.plot([r["years"][-1], r["target_year"]], [r["actuals"][-1], r["projection"]], ":", color="#555")
            if r["lower"] is not None:
                ax.errorbar(
                    [r["target_year"]],
                    [r["projection"]],
                    yerr=[[r["projection"] - r["lower"]], [r["upper"] - r["projection"]]],
                    fmt="s",
                    color="#555",
                    label="预测及区间 projection",
                )
    ax.set_title(f"{r['description_zh']}（{r['unit']}）", fontproperties=props, fontsize=10)
    ax.legend(prop=props, fontsize=7)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _fmt(v, spec=".3g"):
    return "—" if v is None else format(v, spec)


def pdf(ctx: dict) -> bytes:
    from fpdf import FPDF

    font = cjk_font()
    if font is None:
        raise FontMissing()
    doc = FPDF(format="A4")
    doc.add_font("cjk", fname=font, collection_font_number=2 if font.endswith(".ttc") else 0)
    doc.set_auto_page_break(True, margin=15)
    doc.add_page()
    doc.set_font("cjk", size=18)
    doc.multi_cell(0, 10, f"{ctx['year']} 年度规划实施评估", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("cjk", size=10)
    doc.multi_cell(
        0,
        6,
        f"Plan implementation evaluation, {ctx['year']}. 目标数据来自政策目录，实际值来自已受理的企业报表"
        "（演示数据为生成数据）及逐项注明来源的公开统计。Targets from the policy catalogue; actuals from "
        "accepted reports (the demo's are generated) and public statistics named on each.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.ln(2)
    summary = "；".join(f"{ctx['status_zh'].get(k, k)} {v}" for k, v in sorted(ctx["counts"].items()))
    doc.multi_cell(0, 6, f"共 {len(ctx['targets'])} 项数值目标：{summary}", new_x="LMARGIN", new_y="NEXT")
    for r in ctx["tracked"]:
        doc.ln(3)
        doc.set_font("cjk", size=11)
        doc.multi_cell(0, 6, f"{r['description_zh']}  [{r['id']}]", new_x="LMARGIN", new_y="NEXT")
        doc.set_font("cjk", size=9)
        growth = f"{100 * r['required_growth']:.2f}%/年" if r["required_growth"] is not None else "—"
        doc.multi_cell(
            0,
            5,
            f"目标 {r['comparison']} {r['target_value']:g} {r['unit']}（{r['target_year'] or '常设'}）；"
            f"基准 {_fmt(r['baseline_value'])}（{r['baseline_year'] or '—'}，{r['baseline_source'] or '—'}）；"
            f"所需年均增速 {growth}；预测 {_fmt(r['projection'])} [{_fmt(r['lower'])}, {_fmt(r['upper'])}]；"
            f"状态：{ctx['status_zh'].get(r['status'], r['status'])} ({r['status']})；"
            f"实际值来源 {'已受理的企业报表 reports' if r['actual_source'] == 'reports' else r['actual_source']}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        for line in outside_lines(r):
            doc.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        doc.image(io.BytesIO(_chart(r, font)), w=170)
    doc.add_page()
    doc.set_font("cjk", size=12)
    doc.multi_cell(
        0, 7, "规划文本中增速的复核（种子 004 专栏1、专栏2）Stated growth rates checked", new_x="LMARGIN", new_y="NEXT"
    )
    doc.set_font("cjk", size=8)
    for g in ctx["growth_checks"]:
        mark = "一致" if g["consistent"] else "不一致 inconsistent"
        doc.multi_cell(
            0,
            4.5,
            f"{g['description_zh']}：{g['v0']} → {g['v1']}（{g['years']} 年）所述 {g['stated_pct']:g}%，"
            f"计算 {g['computed_pct']:.2f}% — {mark}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    doc.ln(3)
    doc.set_font("cjk", size=12)
    doc.multi_cell(0, 7, "状态规则 Status rules", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("cjk", size=8)
    for line in STATUS_RULES:
        doc.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


STATUS_RULES = (
    "已实现 achieved：最新实际值已达到目标；目标年已过的，按目标年及以前最后一个实际值判断 / the latest actual meets the target; once the target year has passed, the last actual up to it must.",
    "偏离目标 off_track：目标年已过仍未达到，或中心预测达不到目标 / the target year passed without it, or the central projection misses it.",
    "进展顺利 on_track：预测区间的不利端也达到目标 / the pessimistic end of the 90 % prediction interval meets it.",
    "存在风险 at_risk：中心预测达到、不利端达不到，或数据点太少无区间 / the centre meets it, the pessimistic end does not (or no interval).",
    "数据不足 insufficient_data：基准年后无实际值 / no actual after the baseline year.",
    "达标 / 未达标 met / not_met：无目标年份的常设目标，按最新实际值判断 / a standing target judged on the latest actual.",
    "无数据来源 no_data：平台没有提供该目标实际值的报表或指标（原因见表）/ no report or indicator supplies its actuals (reason in the table).",
    "不予公开 withheld：实际值含少于3家企业的数据，不向公众公开 / the actuals include a cell from fewer than 3 enterprises: not shown to the public.",
)
