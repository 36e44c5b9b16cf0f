"""Supervision pages: the dashboard, plans with their published hashes and result file, the public
verify page, cases with their actions. Server-rendered forms, no script (CSP)."""

from __future__ import annotations

import datetime as dt
import json

from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kuangzheng import attachments
from kuangzheng.access.forms import write_then_redirect
from kuangzheng.access.http import page_actor
from kuangzheng.errors import InvalidInput, NotFound

from . import alerts, enforcement, plans
from .core import cases as machine

ACTION_WORDS = {a: {"zh": s.zh, "en": s.en, "deadline": s.needs_deadline} for a, s in machine.ACTIONS.items()}


def home(request):
    actor = page_actor(request)
    staff = actor.is_admin or actor.is_regulator
    ctx = {
        "nav": "supervision",
        "staff": staff,
        "plans": [plans.describe(p) for p in plans.plans(actor)[:50]],
        "cases": [enforcement.describe(actor, c) for c in enforcement.cases(actor)[:100]],
    }
    if staff:
        dash = alerts.dashboard(actor)
        ctx |= {
            "dash": dash,
            "kinds": dash["kinds"],
            "inbox": list(alerts.inbox(actor)[:200]),
            "states": {k: {"zh": zh, "en": en} for k, (zh, en) in machine.STATES.items()},
        }
    elif actor.is_enterprise:
        ctx["inbox"] = list(alerts.inbox(actor)[:200])
    return render(request, "supervision/home.html", ctx)


def plan(request, pk):
    actor = page_actor(request)
    try:
        p = plans.get(actor, pk)
    except NotFound:
        raise Http404 from None
    ctx = {"nav": "supervision", "p": plans.describe(p), "staff": actor.covers_division(p.division)}
    if p.state == "drawn":
        ctx["drawn"] = p.result["drawn"]
    return render(request, "supervision/plan.html", ctx)


def plan_result(request, pk):
    """The published result file, as a download anyone can verify with `kz supervise draw --verify`."""
    try:
        data = plans.result(page_actor(request), pk)
    except (NotFound, InvalidInput):
        raise Http404 from None
    resp = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    resp["Content-Disposition"] = f'attachment; filename="draw-{pk}.json"'
    return resp


@require_POST
def plan_create(request):
    def write(actor, p):
        data = {
            "title": p.get("title", ""),
            "entity": p.get("entity", "right"),
            "filters": {k: p[k] for k in ("kind", "mineral") if p.get(k)},
            "seed_source": p.get("seed_source", ""),
            "recuse_own_division": p.get("recuse_own_division") == "on",
        }
        if p.get("division"):
            data["division"] = p["division"]
        try:
            if p.get("count"):
                data["count"] = int(p["count"])
            else:
                data["ratio"] = float(p.get("ratio") or 0)
        except ValueError:
            from .scope import problem

            raise problem("ratio", "抽查比例或数量须为数字", "the ratio or count must be a number") from None
        return plans.create(actor, data)

    return write_then_redirect(request, "/supervision/", write, to_made=lambda plan: f"/supervision/plans/{plan.pk}/")


@require_POST
def plan_publish(request, pk):
    return write_then_redirect(
        request, f"/supervision/plans/{pk}/", lambda a, p: plans.publish(a, pk, p.get("version"))
    )


@require_POST
def plan_draw(request, pk):
    return write_then_redirect(
        request, f"/supervision/plans/{pk}/", lambda a, p: plans.run_draw(a, pk, p.get("seed"), p.get("version"))
    )


def verify(request):
    """Anyone uploads (or pastes) a result file; the page recomputes the draw from it alone."""
    ctx = {"nav": "supervision"}
    if request.method == "POST":
        raw = request.FILES["file"].read() if "file" in request.FILES else request.POST.get("text", "").encode("utf-8")
        try:
            published = json.loads(raw.decode("utf-8"))
            ctx["problems"] = plans.verify(published)
            ctx["checked"] = True
            if isinstance(published, dict):
                ctx["summary"] = {
                    "seed": published.get("seed"),
                    "subjects": len(published.get("subjects") or []),
                    "drawn": len(published.get("drawn") or []),
                    "subjects_sha256": published.get("subjects_sha256"),
                    "inspectors_sha256": published.get("inspectors_sha256"),
                }
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            ctx["problems"], ctx["checked"] = ["the file is not JSON / 不是 JSON 文件"], True
    return render(request, "supervision/verify.html", ctx)


def case(request, pk):
    actor = page_actor(request)
    try:
        c = enforcement.get(actor, pk)
    except NotFound:
        raise Http404 from None
    d = enforcement.describe(actor, c)
    return render(
        request,
        "supervision/case.html",
        {
            "nav": "supervision",
            "c": d,
            "actions": [(a, ACTION_WORDS[a]) for a in d.get("allowed", [])],
            "today": dt.date.today(),
        },
    )


@require_POST
def case_act(request, pk):
    return write_then_redirect(
        request, f"/supervision/cases/{pk}/", lambda a, p: enforcement.act(a, pk, p.get("action", ""), p.dict())
    )


@require_POST
def finding_create(request):
    made = {}

    def write(actor, p):
        try:
            ent = int(p.get("enterprise") or 0)
        except ValueError:
            ent = None
        made["case"] = enforcement.record_finding(
            actor,
            {
                "enterprise": ent,
                "inspection": p.get("inspection") or None,
                "entry": p.get("entry", ""),
                "description": p.get("description", ""),
            },
        )
        if request.FILES.get("file"):
            enforcement.attach(
                actor,
                finding=made["case"].finding_id,
                filename=request.FILES["file"].name,
                content=attachments.read(request.FILES["file"]),
            )

    resp = write_then_redirect(request, "/supervision/", write)
    return HttpResponseRedirect(f"/supervision/cases/{made['case'].pk}/") if "case" in made else resp


@require_POST
def order_attach(request, pk, order):
    f = request.FILES.get("file")
    return write_then_redirect(
        request,
        f"/supervision/cases/{pk}/",
        lambda a, p: enforcement.attach(a, order=order, filename=f.name if f else "", content=attachments.read(f)),
    )
