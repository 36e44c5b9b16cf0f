"""Pages: the restoration dashboard, plans with their phases, acceptance and fund, a mine's public
page, the responsibility ledger, the green-mine lists and the yearly report. Server-rendered, no
inline script or style; every write goes through the services."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kuangzheng import attachments
from kuangzheng.access.forms import show_errors, write_then_redirect
from kuangzheng.access.http import page_actor
from kuangzheng.errors import FieldProblem, InvalidInput, NotFound, ServiceError
from kuangzheng.registry import services as registry

from . import config, fund, green, indicators, reports, responsibility, services
from .core import phases
from .core import responsibility as resp_rules
from .models import FundAccount

NAV = "restoration"


def dashboard(request):
    actor = page_actor(request)
    staff = actor.is_admin or actor.is_regulator
    s = indicators.summary(actor if staff else None, request.GET.get("division") or None)
    return render(request, "restoration/dashboard.html", {"nav": NAV, "s": s, "staff": staff})


def plan_list(request):
    actor = page_actor(request)
    rights = []
    if actor.is_enterprise:
        rights = list(registry.scoped(actor, "right").filter(holder_id=actor.enterprise_id, kind="mining")[:200])
    return render(
        request,
        "restoration/plans.html",
        {"nav": NAV, "plans": [services.plan_dict(p, actor) for p in services.plans(actor)[:300]], "rights": rights},
    )


@require_POST
def plan_new(request):
    actor = page_actor(request)
    p = request.POST
    try:
        plan = services.create_plan(
            actor,
            {
                "right": p.get("right"),
                "title": p.get("title", ""),
                "first_year": p.get("first_year"),
                "last_year": p.get("last_year"),
                "development_plan_ref": p.get("development_plan_ref", ""),
            },
        )
    except ServiceError as exc:
        show_errors(request, exc)
        return HttpResponseRedirect("/restoration/plans/")
    f = request.FILES.get("file")
    if f is not None:
        try:
            services.attach(actor, plan.pk, f.name, attachments.read(f))
        except ServiceError as exc:
            show_errors(request, exc)
    messages.success(request, "方案已提交 / plan submitted")
    return HttpResponseRedirect(f"/restoration/plans/{plan.pk}/")


def plan_detail(request, pk):
    actor = page_actor(request)
    try:
        p = services.get_plan(actor, pk)
    except NotFound:
        raise Http404 from None
    d = services.plan_dict(p, actor)
    acc = FundAccount.objects.filter(right_id=p.right_id).first()
    state = None
    if acc is not None and (actor.covers_division(p.division_id) or actor.enterprise_id == p.enterprise_id):
        state = fund.state(acc)
    holder = actor.is_enterprise and actor.enterprise_id == p.enterprise_id
    return render(
        request,
        "restoration/plan.html",
        {
            "nav": NAV,
            "p": d,
            "fund": state,
            "holder": holder,
            "staff": actor.covers_division(p.division_id),
            "checklist": [(k, zh, en) for k, (_ok, zh, en) in phases.CHECKLIST.items()],
            "land_uses": phases.LAND_USES.items(),
            "kinds_holder": [("deposit", "缴存基金"), ("provision", "计提"), ("bond_deposit", "缴存保证金")],
        },
    )


def _back(pk):
    return f"/restoration/plans/{pk}/"


@require_POST
def plan_act(request, pk):
    return write_then_redirect(
        request, _back(pk), lambda a, p: services.act(a, pk, p.get("action", ""), p.get("version"))
    )


@require_POST
def plan_letter(request, pk):
    return write_then_redirect(
        request, _back(pk), lambda a, p: services.record_letter(a, pk, p.get("ref"), p.get("version"))
    )


@require_POST
def plan_attach(request, pk):
    def write(a, p):
        f = request.FILES.get("file")
        if f is None:
            raise InvalidInput([FieldProblem("file", "请选择文件", "choose a file")])
        services.attach(a, pk, f.name, attachments.read(f))

    return write_then_redirect(request, _back(pk), write)


def _areas(post, prefix: str) -> dict:
    """One land use's areas from a form: <prefix>_use, <prefix>_<measure> (empty fields left out)."""
    use = post.get(f"{prefix}_use", "")
    row = {}
    for m in phases.MEASURES:
        raw = post.get(f"{prefix}_{m}", "").strip()
        if raw:
            try:
                row[m] = float(raw)
            except ValueError:
                raise InvalidInput(
                    [
                        FieldProblem(
                            f"{prefix}.{use}.{m}", "面积须为数字（公顷）", "the area must be a number of hectares"
                        )
                    ]
                ) from None
    return {use: row} if row else {}


@require_POST
def phase_plan(request, plan_pk, pk):
    return write_then_redirect(
        request,
        _back(plan_pk),
        lambda a, p: services.plan_phase(
            a,
            pk,
            {
                "version": p.get("version"),
                "planned": _areas(p, "planned"),
                "cost_estimate": p.get("cost_estimate") or "0.01",
            },
        ),
    )


@require_POST
def phase_report(request, plan_pk, pk):
    return write_then_redirect(
        request,
        _back(plan_pk),
        lambda a, p: services.report_phase(a, pk, {"version": p.get("version"), "actual": _areas(p, "actual")}),
    )


@require_POST
def phase_accept(request, plan_pk, pk):
    def write(a, p):
        answers = {}
        for k in phases.CHECKLIST:
            v = p.get(k, "")
            answers[k] = {"yes": True, "no": False}.get(v, v)
        acc = services.accept_phase(
            a, pk, {"version": p.get("version"), "checklist": answers, "note": p.get("note", "")}
        )
        if not acc.passed:
            raise InvalidInput([FieldProblem(f["field"], f["message_zh"], f["message_en"]) for f in acc.failures])

    return write_then_redirect(request, _back(plan_pk), write)


@require_POST
def fund_post(request, plan_pk):
    def write(a, p):
        plan = services.get_plan(a, plan_pk)
        fund.post(
            a,
            right=plan.right_id,
            kind=p.get("kind", ""),
            amount=p.get("amount", ""),
            source=p.get("source", ""),
            phase=p.get("phase") or None,
            request_id=p.get("request_id", ""),
            year=int(p["year"]) if p.get("year", "").isdigit() else None,
        )

    return write_then_redirect(request, _back(plan_pk), write)


def mine(request, right):
    actor = page_actor(request)
    try:
        r = registry.get(actor, "right", right)
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "restoration/mine.html",
        {"nav": NAV, "r": r, "m": indicators.mine_page(r.pk), "level": services.green_mine_level(r)},
    )


def ledger(request):
    actor = page_actor(request)
    if not (actor.is_admin or actor.is_regulator):
        raise Http404
    return render(
        request,
        "restoration/ledger.html",
        {
            "nav": NAV,
            "problems": [responsibility.problem_dict(x) for x in responsibility.problems(actor)[:500]],
            "projects": [responsibility.project_dict(g) for g in responsibility.projects(actor)[:500]],
            "mine_states": resp_rules.MINE_STATES.items(),
            "sources": resp_rules.SOURCES.items(),
            "modes": resp_rules.FUNDING_MODES.items(),
            "effective": config.effective_date(),
            "effective_source": config.config()["responsibility"]["source"],
            "division": actor.division_code or "",
        },
    )


@require_POST
def problem_new(request):
    def write(a, p):
        responsibility.record_problem(
            a,
            {
                "division": p.get("division", ""),
                "site": p.get("site", ""),
                "problem_type": p.get("problem_type", ""),
                "area_ha": p.get("area_ha"),
                "arose_on": p.get("arose_on"),
                "mine_state": p.get("mine_state"),
                "party_exists": {"yes": True, "no": False}.get(p.get("party_exists", "")),
                "source": p.get("source", "survey"),
                "source_ref": p.get("source_ref", ""),
            },
        )

    return write_then_redirect(request, "/restoration/ledger/", write)


@require_POST
def project_new(request):
    def write(a, p):
        responsibility.create_project(
            a,
            {
                "name": p.get("name", ""),
                "funding_source": p.get("funding_source", ""),
                "mode": p.get("mode"),
                "budget": p.get("budget") or "0.01",
                "year": p.get("year"),
                "contractor": p.get("contractor", ""),
                "problems": [x for x in p.getlist("problems")],
            },
        )

    return write_then_redirect(request, "/restoration/ledger/", write)


def green_lists(request):
    return render(
        request,
        "restoration/green.html",
        {"nav": NAV, "lists": green.lists(), "levels": green.levels(), "sheet": green.sheet()},
    )


def report(request, year):
    actor = page_actor(request)
    staff = actor.is_admin or actor.is_regulator
    division = request.GET.get("division") or None
    data = reports.build(actor if staff else None, year, division)
    if request.GET.get("format") == "pdf":
        resp = HttpResponse(reports.pdf(data), content_type="application/pdf")
        resp["Content-Disposition"] = f'attachment; filename="restoration-{year}.pdf"'
        return resp
    return render(request, "restoration/report.html", {"nav": NAV, "r": data, "charts": reports.charts_svg(data)})
