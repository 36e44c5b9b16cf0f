"""Portal pages of the compliance engine: sweep runs, their results (filter, export, diff), the
what-if form and a registry subject's verdicts. Like the API they only call `services`."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kuangzheng import jsonin
from kuangzheng.access.actor import actor_for_user
from kuangzheng.access.http import language
from kuangzheng.compliance.core import engine
from kuangzheng.errors import FieldProblem, InvalidInput, ServiceError

from . import services
from .examples import EXAMPLES

KINDS = (("facility", "生产设施", "facility"), ("right", "矿业权", "mineral right"), ("zone", "规划分区", "zone"))
KIND_LABEL = {k: (zh, en) for k, zh, en in KINDS}
OUTCOME_LABELS = tuple(zip(engine.OUTCOMES[1:], engine.OUTCOME_ZH[1:]))  # (code, 中文) of storable outcomes
MAX_UPLOAD = 1_000_000  # bytes of a what-if JSON file


def _error(request, exc: ServiceError, status: int | None = None):
    text = exc.zh if language(request) == "zh" else exc.en
    return render(request, "compliance/error.html", {"nav": "compliance", "message": text}, status=status or exc.status)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        raise InvalidInput([FieldProblem("as_of", "日期格式应为 YYYY-MM-DD", "a date must be YYYY-MM-DD")]) from None


def index(request):
    actor = actor_for_user(request.user)
    runs = [] if actor.is_public else list(services.runs(actor)[:50])  # the public sees the page, not results
    return render(
        request,
        "compliance/index.html",
        {
            "nav": "compliance",
            "runs": runs,
            "can_sweep": actor.is_admin or actor.is_regulator,
            "today": dt.date.today().isoformat(),
        },
    )


@require_POST
def start(request):
    actor = actor_for_user(request.user)
    try:
        run = services.run_sweep(actor, _date(request.POST.get("as_of", "")))
    except ServiceError as exc:
        return _error(request, exc)
    messages.success(request, f"扫描 {run.pk} 完成 / sweep {run.pk} done")
    return HttpResponseRedirect(f"/compliance/runs/{run.pk}/")


def _labelled(v: dict, pk: int | None = None) -> dict:
    """A rendered verdict with what the pages show beside it: its subject kind in words, its row id."""
    return {**v, "kind_label": KIND_LABEL.get(v["subject"]["kind"], (v["subject"]["kind"],) * 2), "pk": pk}


def run_view(request, run_id):
    actor = actor_for_user(request.user)
    g = request.GET
    filters = {k: g.get(k, "") for k in ("rule", "outcome", "kind", "q")}
    try:
        run = services.get_run(actor, run_id)
        if g.get("export") in ("csv", "xlsx"):
            data = (
                services.export_csv(actor, run, **filters)
                if g["export"] == "csv"
                else services.export_xlsx(actor, run, **filters)
            )
            resp = HttpResponse(
                data,
                content_type="text/csv; charset=utf-8"
                if g["export"] == "csv"
                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            resp["Content-Disposition"] = f'attachment; filename="sweep-{run.pk}.{g["export"]}"'
            return resp
        qs = services.results(actor, run, **filters)
        counts = services.summary(actor, run)
    except ServiceError as exc:
        return _error(request, exc)
    page = Paginator(qs, 50).get_page(g.get("page"))
    rows = [_labelled(services.render_row(r, run.as_of, run), r.pk) for r in page.object_list]
    rule_titles = {r.id: (r.title_zh, r.title_en) for r in engine.RULES.values()}
    summary = [
        (rule, rule_titles.get(rule, (rule, rule)), [c.get(o, 0) for o in engine.OUTCOMES[1:]])
        for rule, c in sorted(counts.items())
    ]
    return render(
        request,
        "compliance/run.html",
        {
            "nav": "compliance",
            "run": run,
            "versions": services.versions(run),
            "rows": rows,
            "page": page,
            "filters": filters,
            "summary": summary,
            "outcomes": OUTCOME_LABELS,
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "other_runs": services.runs(actor).exclude(pk=run.pk)[:20],
            "rules": sorted(rule_titles),
            "kinds": KINDS,
            "matching": page.paginator.count,
        },
    )


def verdict_view(request, run_id, pk):
    """One stored verdict in full: explanation, facts with units, the seeds' words it cites, the trace."""
    actor = actor_for_user(request.user)
    try:
        run = services.get_run(actor, run_id)
        row = services.result(actor, run, pk)
    except ServiceError as exc:
        return _error(request, exc)
    v = _labelled(services.render_row(row, run.as_of, run), row.pk)
    return render(
        request,
        "compliance/verdict.html",
        {"nav": "compliance", "run": run, "v": v, "versions": services.versions(run)},
    )


def diff_view(request, run_id, other_id):
    actor = actor_for_user(request.user)
    try:
        old, new = services.get_run(actor, run_id), services.get_run(actor, other_id)
        changes = services.changes(actor, old, new)
        page = Paginator(changes, 100).get_page(request.GET.get("page"))
        described = services.describe_changes(actor, old, new, list(page.object_list))  # this page only
    except ServiceError as exc:
        return _error(request, exc)
    zh = dict(zip(engine.OUTCOMES, engine.OUTCOME_ZH))
    rows = [
        {
            **c,
            "before_zh": zh[c["before"]],
            "after_zh": zh[c["after"]],
            "kind_label": KIND_LABEL.get(c["subject_kind"], (c["subject_kind"],) * 2),
        }
        for c in described
    ]
    return render(
        request,
        "compliance/diff.html",
        {"nav": "compliance", "old": old, "new": new, "changes": rows, "page": page, "total": len(changes)},
    )


def _uploaded(request) -> str | None:
    """The text of an uploaded what-if file, if one was sent (UTF-8 JSON, at most MAX_UPLOAD bytes)."""
    f = request.FILES.get("file")
    if f is None:
        return None
    if f.size > MAX_UPLOAD:
        raise InvalidInput(
            [
                FieldProblem(
                    "file",
                    f"文件过大（{f.size} 字节，上限 {MAX_UPLOAD}）",
                    f"the file is too large ({f.size} bytes, at most {MAX_UPLOAD})",
                )
            ]
        )
    try:
        return f.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            [FieldProblem("file", "文件应为 UTF-8 编码的 JSON", "the file must be UTF-8 JSON")]
        ) from None


def check_view(request):
    actor = actor_for_user(request.user)
    example = request.GET.get("example", "facility")
    text = json.dumps(EXAMPLES.get(example, EXAMPLES["facility"]), ensure_ascii=False, indent=2)
    result, problems, as_of = None, [], request.POST.get("as_of", "")
    if request.method == "POST":
        text = request.POST.get("document", "")
        try:
            text = _uploaded(request) or text
            data = jsonin.loads(text, "document")  # finite numbers, bounded nesting (docs/limits.md)
            result = services.check_whatif(actor, data, _date(as_of) if as_of else None)
        except json.JSONDecodeError as exc:
            problems = [f"JSON 无法解析 / cannot parse the JSON: {exc}"]
        except InvalidInput as exc:
            problems = [p.text(language(request)) for p in exc.problems]
        except ServiceError as exc:
            return _error(request, exc)
    return render(
        request,
        "compliance/check.html",
        {
            "nav": "compliance",
            "document": text,
            "result": result,
            "problems": problems,
            "as_of": as_of,
            "examples": list(EXAMPLES),
            "signed_in": not actor.is_public,
        },
        status=400 if problems else 200,
    )


def subject_view(request, kind, pk):
    actor = actor_for_user(request.user)
    as_of = request.GET.get("as_of", "")
    try:
        verdicts = services.check_subject(actor, kind, pk, _date(as_of))
    except ServiceError as exc:
        return _error(request, exc)
    return render(
        request,
        "compliance/subject.html",
        {"nav": "compliance", "kind": kind, "pk": pk, "verdicts": verdicts, "as_of": as_of},
    )


def check_help(request):
    """The field reference of the what-if document, on the portal (not a repository file)."""
    ref = services.check_fields()
    parts = [(KIND_LABEL[k], rows) for k, rows in ref["record"].items()]
    return render(
        request, "compliance/check_help.html", {"nav": "compliance", "parts": parts, "context": ref["context"]}
    )
