"""Portal pages of the compliance engine: sweep runs, their results (filter, export, diff), the
what-if form and a registry subject's verdicts. Like the API they only call `services`."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kuangzheng.access.actor import actor_for_user
from kuangzheng.errors import FieldProblem, InvalidInput, ServiceError
from kuangzheng.policy import engine

from . import services
from .examples import EXAMPLES


def _lang(request) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "").startswith("en") else "zh"


def _error(request, exc: ServiceError, status: int | None = None):
    text = exc.zh if _lang(request) == "zh" else exc.en
    return render(request, "compliance/error.html", {"nav": "compliance", "message": text},
                  status=status or exc.status)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        raise InvalidInput([FieldProblem("as_of", "日期格式应为 YYYY-MM-DD", "a date must be YYYY-MM-DD")])


def index(request):
    actor = actor_for_user(request.user)
    runs = [] if actor.is_public else list(services.runs(actor)[:50])  # the public sees the page, not results
    return render(request, "compliance/index.html", {"nav": "compliance", "runs": runs,
                                                     "can_sweep": actor.is_admin or actor.is_regulator,
                                                     "today": dt.date.today().isoformat()})


@require_POST
def start(request):
    actor = actor_for_user(request.user)
    try:
        run = services.run_sweep(actor, _date(request.POST.get("as_of", "")))
    except ServiceError as exc:
        return _error(request, exc)
    messages.success(request, f"扫描 {run.pk} 完成 / sweep {run.pk} done")
    return HttpResponseRedirect(f"/compliance/runs/{run.pk}/")


def run_view(request, run_id):
    actor = actor_for_user(request.user)
    g = request.GET
    filters = {k: g.get(k, "") for k in ("rule", "outcome", "kind", "q")}
    try:
        run = services.get_run(actor, run_id)
        if g.get("export") in ("csv", "xlsx"):
            data = services.export_csv(actor, run, **filters) if g["export"] == "csv" else \
                services.export_xlsx(actor, run, **filters)
            resp = HttpResponse(data, content_type="text/csv; charset=utf-8" if g["export"] == "csv" else
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            resp["Content-Disposition"] = f'attachment; filename="sweep-{run.pk}.{g["export"]}"'
            return resp
        qs = services.results(actor, run, **filters)
        counts = services.summary(actor, run)
    except ServiceError as exc:
        return _error(request, exc)
    page = Paginator(qs, 50).get_page(g.get("page"))
    rows = [services.render_row(r, run.as_of) for r in page.object_list]
    rule_titles = {r.id: (r.title_zh, r.title_en) for r in engine.RULES.values()}
    summary = [(rule, rule_titles.get(rule, (rule, rule)), [c.get(o, 0) for o in engine.OUTCOMES[1:]])
               for rule, c in sorted(counts.items())]
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(request, "compliance/run.html", {
        "nav": "compliance", "run": run, "rows": rows, "page": page, "filters": filters, "summary": summary,
        "outcomes": engine.OUTCOMES[1:], "outcome_zh": engine.OUTCOME_ZH[1:], "query": query,
        "other_runs": services.runs(actor).exclude(pk=run.pk)[:20], "rules": sorted(rule_titles),
        "kinds": ("facility", "right", "zone")})


def diff_view(request, run_id, other_id):
    actor = actor_for_user(request.user)
    try:
        old, new = services.get_run(actor, run_id), services.get_run(actor, other_id)
        changes = services.diff(actor, old, new)
    except ServiceError as exc:
        return _error(request, exc)
    return render(request, "compliance/diff.html", {"nav": "compliance", "old": old, "new": new, "changes": changes})


def check_view(request):
    actor = actor_for_user(request.user)
    example = request.GET.get("example", "facility")
    text = json.dumps(EXAMPLES.get(example, EXAMPLES["facility"]), ensure_ascii=False, indent=2)
    result, problems, as_of = None, [], request.POST.get("as_of", "")
    if request.method == "POST":
        text = request.POST.get("document", "")
        try:
            data = json.loads(text)
            result = services.check_whatif(actor, data, _date(as_of) if as_of else None)
        except json.JSONDecodeError as exc:
            problems = [f"JSON 无法解析 / cannot parse the JSON: {exc}"]
        except InvalidInput as exc:
            problems = [p.text(_lang(request)) for p in exc.problems]
        except ServiceError as exc:
            return _error(request, exc)
    return render(request, "compliance/check.html", {"nav": "compliance", "document": text, "result": result,
                                                     "problems": problems, "as_of": as_of,
                                                     "examples": list(EXAMPLES), "signed_in": not actor.is_public},
                  status=400 if problems else 200)


def subject_view(request, kind, pk):
    actor = actor_for_user(request.user)
    as_of = request.GET.get("as_of", "")
    try:
        verdicts = services.check_subject(actor, kind, pk, _date(as_of))
    except ServiceError as exc:
        return _error(request, exc)
    return render(request, "compliance/subject.html", {"nav": "compliance", "kind": kind, "pk": pk,
                                                       "verdicts": verdicts, "as_of": as_of})
