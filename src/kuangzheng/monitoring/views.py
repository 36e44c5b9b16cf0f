"""Portal pages of monitoring. Like the API, they only translate between HTTP and the services."""

from __future__ import annotations

import csv
import io
import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import render
from django.utils.feedgenerator import Atom1Feed

from kuangzheng.access.actor import actor_for_user
from kuangzheng.access.http import language
from kuangzheng.errors import InvalidInput, NotFound, ServiceError
from kuangzheng.exports import inert_record
from kuangzheng.monitoring.core.reports import report_types

from . import cells, disclosure, labels, ledger, measures, plan, reports, warnings
from .models import Release


def _actor(request):
    return actor_for_user(request.user)


def _login(request):
    return HttpResponseRedirect(f"/login/?next={request.get_full_path()}")


def _indicator_rows(request) -> tuple[str, list[dict]]:
    """The dashboard's cells at the requested level, with the disclosure rule applied for the viewer
    (cells.py: built once per data version)."""
    level = measures.level_of(request.GET.get("level"))
    return level, cells.visible(_actor(request), level)


# charted on the dashboard: (element id, indicator, title zh, title en, monthly?, ×100 for %)
CHARTS = [
    (
        "chart-util",
        "capacity_utilisation",
        "电解铝产能利用率（%，按月）",
        "Aluminium capacity utilisation (%, monthly)",
        True,
        True,
    ),
    (
        "chart-three",
        "three_rate_compliance",
        "矿山“三率”达标率（%，按年）",
        "Mines meeting the three rates (%, yearly)",
        False,
        True,
    ),
    (
        "chart-conversion",
        "processing_conversion_rate",
        "加工转化率（%，按年）",
        "Processing conversion rate (%, yearly)",
        False,
        True,
    ),
    (
        "chart-recycled",
        "recycled_share",
        "再生金属产量占比（%，按年）",
        "Recycled share of output (%, yearly)",
        False,
        True,
    ),
    (
        "chart-lm",
        "large_medium_mine_share",
        "大中型矿山比例（%，按年）",
        "Large and medium mines (%, yearly)",
        False,
        True,
    ),
    (
        "chart-lm-cap",
        "large_medium_capacity_share",
        "大中型矿山产能占比（%，按年）",
        "Capacity of large and medium mines (%, yearly)",
        False,
        True,
    ),
    (
        "chart-green",
        "green_mine_count",
        "绿色矿山数（座，国家级与省级，按年）",
        "Green mines (national and provincial, yearly)",
        False,
        False,
    ),
]


TABLE_PAGE = 500  # cells a page of the dashboard's table shows; the rest are a page link (or the CSV) away
TABLE_OPTIONAL = ("cycle", "figure_note_zh", "figure_note_en", "note_zh", "note_en", "unit")


def dashboard(request):
    level, rows = _indicator_rows(request)
    indicator = request.GET.get("indicator", "")
    shown = [r for r in rows if not indicator or r["indicator"] == indicator]
    lang = language(request)
    names = labels.division_names(lang)
    charted = {c[1]: c[4] for c in CHARTS}
    chart_rows = [
        {k: r.get(k) for k in ("indicator", "division", "metal", "period", "value", "withheld")}
        | {"label": labels.legend(r, names, lang)}
        for r in rows
        if r["indicator"] in charted and (len(r["period"] or "") == 7) == charted[r["indicator"]]
    ]
    page = Paginator(shown, TABLE_PAGE).get_page(request.GET.get("page"))
    for r in page:  # the table names divisions, metals and indicators too
        r["division_label"] = names.get(r.get("division") or "", r.get("division") or "")
        r["metal_label"] = labels.metal_name(r.get("metal"), lang)
        r["indicator_label"] = r.get(f"label_{lang}") or labels.indicator_name(r["indicator"], lang)
        r["source_label"] = r.get(f"source_{lang}") or ("已受理的企业报表" if lang == "zh" else "accepted reports")
        for key in TABLE_OPTIONAL:  # a key the template asks for and the row lacks costs Django a dir()
            r.setdefault(key, None)
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "nav": "monitoring",
            "level": level,
            "rows": page.object_list,
            "page": page,
            "indicator": indicator,
            "indicators": sorted(_filter_choices(rows, lang)),
            "definitions": labels.definitions(lang),
            "chart_data": chart_rows,
            "charts": [(c[0], c[1], c[3] if lang == "en" else c[2], c[4], c[5]) for c in CHARTS],
            "chart_ids": [c[0] for c in CHARTS],
            "any_withheld": any(r["withheld"] for r in shown),
            "note_zh": disclosure.NOTE_ZH,
            "note_en": disclosure.NOTE_EN,
        },
    )


def _filter_choices(rows: list[dict], lang: str) -> set[tuple[str, str]]:
    return {(r["indicator"], r.get(f"label_{lang}") or labels.indicator_name(r["indicator"], lang)) for r in rows}


INDICATOR_CSV_COLUMNS = [
    "indicator",
    "unit",
    "division",
    "metal",
    "period",
    "cycle",
    "value",
    "numerator",
    "denominator",
    "enterprises",
    "withheld",
    "note_zh",
    "note_en",
    "source_zh",
    "source_en",
]


def indicator_csv_text(rows: list[dict]) -> str:
    """The dashboard's cells as CSV (with a BOM, so that Excel reads UTF-8); text cells made inert."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, INDICATOR_CSV_COLUMNS, extrasaction="ignore")
    w.writeheader()
    w.writerows(inert_record(r) for r in rows)
    return "\ufeff" + buf.getvalue()


def indicators_csv(request):
    _level, rows = _indicator_rows(request)
    resp = HttpResponse(indicator_csv_text(rows), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="indicators.csv"'
    return resp


def template_download(request, report_type):
    try:
        data = reports.template_bytes(_actor(request), report_type)
    except ServiceError:
        raise Http404 from None
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="{report_type}.xlsx"'
    return resp


def report_list(request):
    actor = _actor(request)
    if actor.is_public:
        return _login(request)
    result = None
    if request.method == "POST":
        f = request.FILES.get("file")
        try:
            result = reports.upload(
                actor,
                request.POST.get("report_type", ""),
                reports.read_upload(f),
                submit=request.POST.get("submit") == "1",
            )
        except InvalidInput as exc:
            result = {
                "ok": False,
                "errors": [dict(p.as_dict(), row=0, column="", sheet="") for p in exc.problems],
                "warnings": [],
                "reports": [],
            }
        except ServiceError as exc:
            return HttpResponseForbidden(f"{exc.zh} / {exc.en}")
    qs = reports.reports(actor, status=request.GET.get("status", ""))[:500]
    return render(
        request,
        "monitoring/reports.html",
        {"nav": "monitoring", "reports": qs, "result": result, "types": list(report_types().values())},
    )


def report_detail(request, pk):
    actor = _actor(request)
    if actor.is_public:
        return _login(request)
    try:
        rep = reports.get(actor, pk)
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        try:
            reports.transition(
                actor,
                pk,
                request.POST.get("action", ""),
                version=request.POST.get("version"),
                reason=request.POST.get("reason", ""),
            )
            return HttpResponseRedirect(f"/monitoring/reports/{pk}/")
        except ServiceError as exc:
            messages.error(request, f"{exc.zh} / {exc.en}")
            if exc.status == 403:
                return HttpResponseForbidden(f"{exc.zh} / {exc.en}")
    rt = report_types()[rep.report_type]
    fields = [(f.zh, f.en, rep.values.get(f.key), f.unit_zh) for f in rt.fields if f.key not in rt.key]
    return render(request, "monitoring/report_detail.html", {"nav": "monitoring", "r": rep, "fields": fields, "rt": rt})


def warning_list(request):
    actor = _actor(request)
    if actor.is_public:
        return _login(request)
    if not (actor.is_admin or actor.is_regulator):
        return HttpResponseForbidden("仅监管人员 / staff only")
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "evaluate":
                r = warnings.evaluate(actor)
                messages.info(
                    request,
                    f"发现 {r['found']} 条，新增 {r['new']}，解除 {r['resolved']} / "
                    f"found {r['found']}, new {r['new']}, resolved {r['resolved']}",
                )
            elif action == "acknowledge":
                warnings.acknowledge(actor, request.POST.get("pk"), request.POST.get("note", ""))
            elif action == "publish":
                rel = warnings.publish(actor, request.POST.get("period", ""))
                return HttpResponseRedirect(f"/monitoring/releases/{rel.pk}/")
        except ServiceError as exc:
            messages.error(request, f"{exc.zh} / {exc.en}")
        return HttpResponseRedirect("/monitoring/warnings/")
    qs = warnings.warnings(actor, period=request.GET.get("period", ""))[:1000]
    return render(request, "monitoring/warnings.html", {"nav": "monitoring", "warnings": qs})


def release_list(request):
    return render(request, "monitoring/releases.html", {"nav": "monitoring", "releases": Release.objects.all()[:200]})


def release_detail(request, pk):
    rel = Release.objects.filter(pk=pk).first()
    if rel is None:
        raise Http404
    items = disclosure.release_items(rel.items)
    return render(request, "monitoring/release_detail.html", {"nav": "monitoring", "rel": rel, "items": items})


def release_feed(request):
    feed = Atom1Feed(
        title="矿政 产能监测预警信息 Capacity monitoring and early-warning releases",
        link=request.build_absolute_uri("/monitoring/releases/"),
        description="Published early-warning releases",
        language="zh-hans",
    )
    for r in Release.objects.all()[:50]:
        items = "；".join(f"{i['division']} {i['metal']} {i['period']} {i['message_zh']}" for i in r.items[:50])
        feed.add_item(
            title=f"{r.number} {r.title_zh}",
            link=request.build_absolute_uri(f"/monitoring/releases/{r.pk}/"),
            description=items or "无预警 / no warnings",
            pubdate=r.published_at,
            unique_id=r.number,
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


def ledger_view(request):
    return render(request, "monitoring/ledger.html", {"nav": "monitoring", "s": ledger.state()})


def plan_view(request):
    year = request.GET.get("year", "")
    ctx = plan.context(int(year) if year.isdigit() else None, _actor(request))
    for r in ctx["tracked"]:
        r["chart"] = json.dumps(
            {
                k: r[k]
                for k in (
                    "years",
                    "actuals",
                    "target_value",
                    "target_year",
                    "projection",
                    "lower",
                    "upper",
                    "description_zh",
                    "unit",
                )
            },
            ensure_ascii=False,
        )
    return render(request, "monitoring/plan.html", {"nav": "monitoring", **ctx, "font": plan.cjk_font()})


def plan_pdf(request):
    year = request.GET.get("year", "")
    try:
        data = plan.pdf(plan.context(int(year) if year.isdigit() else None, _actor(request)))
    except plan.FontMissing as exc:
        return HttpResponse(f"{exc.zh} / {exc.en}", status=503, content_type="text/plain; charset=utf-8")
    resp = HttpResponse(data, content_type="application/pdf")
    resp["Content-Disposition"] = 'inline; filename="plan-evaluation.pdf"'
    return resp


def forecast_view(request):
    from kuangzheng.monitoring.core import backtest

    metal = request.GET.get("metal", "aluminium")
    if metal not in backtest.METALS:
        metal = "aluminium"
    rows = backtest.run_backtest(metals=(metal,))
    return render(
        request,
        "monitoring/forecast.html",
        {
            "nav": "monitoring",
            "metal": metal,
            "metals": backtest.METALS,
            "rows": rows,
            "chart": [{"method": r.method, "origin": r.origin, "mape": r.mape} for r in rows],
        },
    )
