"""Pages: an enterprise's applications and a regulator's queue (one list, scoped by the services),
the application page with its checks, history and the forms of the next actions, and the public
notices with the objection form. Server-rendered: no script, no inline style."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kuangzheng import attachments
from kuangzheng.access.forms import show_errors, write_then_redirect
from kuangzheng.access.http import page_actor
from kuangzheng.errors import FieldProblem, InvalidInput, NotFound, ServiceError

from . import services
from .core import kinds, machine


def queue(request):
    actor = page_actor(request)
    g = request.GET
    rows = services.queue(actor, status=g.get("status", ""), kind=g.get("kind", ""), overdue=g.get("overdue") == "1")
    return render(
        request,
        "applications/queue.html",
        {
            "nav": "applications",
            "rows": [services.serialize(actor, a, full=False) for a in rows],
            "states": machine.states(),
            "kinds": kinds.kinds(),
            "filters": {k: g.get(k, "") for k in ("status", "kind", "overdue")},
            "can_file": actor.is_enterprise,
        },
    )


def detail(request, pk):
    actor = page_actor(request)
    try:
        app = services.get(actor, pk)
    except NotFound:
        raise Http404 from None
    d = services.serialize(actor, app)
    map_features = services.map_features(actor, app)
    actions = [{"name": a, **machine.actions()[a]} for a in d["next_actions"]]
    return render(
        request,
        "applications/detail.html",
        {
            "nav": "applications",
            "a": d,
            "actions": actions,
            "editable": services.is_applicant(actor, app) and app.status in services.EDITABLE,
            "handles": services.handles(actor, app),
            "documents": kinds.kind(app.kind)["documents"],
            "map_features": map_features,
            "states": machine.states(),
            "record_form": _record_form(app.record),
            **FORM_CHOICES,
        },
    )


def _back(pk) -> str:
    return f"/applications/{pk}/"


@require_POST
def act(request, pk):
    return write_then_redirect(
        request, _back(pk), lambda actor, p: services.act(actor, pk, p.get("action", ""), p.dict())
    )


@require_POST
def edit(request, pk):
    def write(actor, p):
        # the fields the form shows come from the form; the record's other fields are kept
        kept = {k: v for k, v in services.get(actor, pk).record.items() if k not in RECORD_FIELDS}
        data = {"record": {**kept, **_record_from(p)}, "corner_points": p.get("corner_points", "")}
        return services.edit(actor, pk, data, p.get("version"))

    return write_then_redirect(request, _back(pk), write)


@require_POST
def review(request, pk):
    return write_then_redirect(
        request,
        _back(pk),
        lambda actor, p: services.review(actor, pk, p.get("role", ""), p.get("opinion"), p.get("version")),
    )


@require_POST
def override(request, pk):
    return write_then_redirect(
        request,
        _back(pk),
        lambda actor, p: services.override(actor, pk, p.get("key", ""), p.get("reason"), p.get("version")),
    )


@require_POST
def answer(request, pk):
    return write_then_redirect(
        request, _back(pk), lambda actor, p: services.answer(actor, pk, p.get("objection"), p.get("answer"))
    )


RECORD_FIELDS = (
    "name",
    "division",
    "minerals",
    "valid_from",
    "valid_to",
    "obtained_by",
    "designed_scale",
    "designed_scale_unit",
    "elevation_top",
    "elevation_bottom",
    "transferee",
    "change",
)
LISTS = ("minerals",)
OBTAINED_CHOICES = (
    ("application", "申请在先", "application"),
    ("listing", "挂牌", "listing"),
    ("auction", "拍卖", "auction"),
    ("tender", "招标", "tender"),
    ("agreement", "协议出让", "agreement"),
)
CHANGE_CHOICES = (
    ("", "—", "—"),
    ("holder_name", "权利人名称", "holder name"),
    ("area_reduced", "缩减范围", "area reduced"),
    ("minerals", "矿种", "minerals"),
    ("scale", "规模", "scale"),
)
FORM_CHOICES = {"obtained_choices": OBTAINED_CHOICES, "change_choices": CHANGE_CHOICES}


def _record_form(record: dict) -> dict:
    """The record as the form shows it: lists comma-separated."""
    return {f: "、".join(map(str, v)) if isinstance(v, list) else v for f, v in record.items() if f in RECORD_FIELDS}


def _record_from(post) -> dict:
    """The record fields a form filled in; lists are comma- or 、-separated."""
    rec = {}
    for f in RECORD_FIELDS:
        v = post.get(f, "").strip()
        if v:
            rec[f] = [x.strip() for x in v.replace("、", ",").split(",") if x.strip()] if f in LISTS else v
    return rec


def new(request):
    """The filing form: a draft from the kind, the record and the corner points; documents are
    uploaded on the application's page, then it is filed there."""
    actor = page_actor(request)
    if not actor.is_enterprise:
        return (
            HttpResponseRedirect("/login/?next=/applications/new/")
            if actor.is_public
            else render(
                request,
                "applications/new.html",
                {"nav": "applications", "kinds": kinds.kinds(), "refused": True, **FORM_CHOICES},
                status=403,
            )
        )
    if request.method == "POST":
        p = request.POST
        data = {"kind": p.get("kind", ""), "record": _record_from(p), "corner_points": p.get("corner_points", "")}
        if p.get("licence_no", "").strip():
            data["licence_no"] = p["licence_no"].strip()
        try:
            app = services.create(actor, data)
            return HttpResponseRedirect(f"/applications/{app.pk}/")
        except ServiceError as exc:
            show_errors(request, exc)
    return render(
        request,
        "applications/new.html",
        {"nav": "applications", "kinds": kinds.kinds(), "post": request.POST, **FORM_CHOICES},
    )


@require_POST
def attach(request, pk):
    def write(actor, p):
        f = request.FILES.get("file")
        if f is None:
            raise InvalidInput([FieldProblem("file", "请选择文件", "choose a file")])
        services.attach(actor, pk, p.get("item", ""), f.name, attachments.read(f))

    return write_then_redirect(request, _back(pk), write)


def notices(request):
    return render(
        request,
        "applications/notices.html",
        {"nav": "notices", "notices": [services.public_notice(a) for a in services.notices()]},
    )


@require_POST
def object_to(request, pk):
    try:
        services.object_to(page_actor(request), pk, request.POST.get("text"), request.POST.get("contact", ""))
        messages.success(request, "异议已提交 / objection submitted")
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        show_errors(request, exc)
    return HttpResponseRedirect("/notices/")
