"""The registry's portal pages: lists with filters, detail with history and conflicts, forms, life-cycle
events. Like the API, they only translate between HTTP and `registry.services`."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kuangzheng.access.forms import error_texts, show_errors
from kuangzheng.access.http import language, page_actor
from kuangzheng.errors import Forbidden, InvalidInput, NotFound, ServiceError
from kuangzheng.registry import services
from kuangzheng.registry.core import vocab
from kuangzheng.registry.models import Division, Enterprise, Zone

# list columns per entity: (field, zh, en)
COLUMNS = {
    "right": [
        ("licence_no", "许可证号", "Licence no."),
        ("kind", "类别", "Kind"),
        ("name", "名称", "Name"),
        ("holder_name", "权利人", "Holder"),
        ("minerals", "矿种", "Minerals"),
        ("area_km2", "面积(km²)", "Area (km²)"),
        ("valid_to", "有效期止", "Valid to"),
        ("status", "状态", "Status"),
    ],
    "enterprise": [
        ("name", "企业名称", "Name"),
        ("credit_code", "统一社会信用代码", "Credit code"),
        ("division_name", "所在区划", "Division"),
        ("ownership", "所有制", "Ownership"),
    ],
    "facility": [
        ("name", "名称", "Name"),
        ("kind", "类型", "Kind"),
        ("metals", "金属/矿种", "Metals"),
        ("enterprise_name", "企业", "Enterprise"),
        ("division_name", "所在区划", "Division"),
        ("status", "状态", "Status"),
    ],
    "zone": [
        ("code", "编号", "Code"),
        ("name", "名称", "Name"),
        ("kind", "类型", "Kind"),
        ("division_name", "所在区划", "Division"),
        ("area_km2", "面积(km²)", "Area (km²)"),
        ("release_date", "投放时间", "Release date"),
    ],
}
TITLES = {
    "right": ("矿业权", "Mineral rights"),
    "enterprise": ("企业", "Enterprises"),
    "facility": ("生产设施", "Facilities"),
    "zone": ("规划分区与区块", "Zones and blocks"),
}
FILTER_CHOICES = {
    "right": {"kind": vocab.RIGHT_KINDS, "status": vocab.RIGHT_STATES},
    "facility": {"kind": vocab.FACILITY_KINDS, "status": vocab.FACILITY_STATUS},
    "zone": {"kind": vocab.ZONE_KINDS},
    "enterprise": {},
}
STATUS_VOCAB = {"right": "RIGHT_STATES", "facility": "FACILITY_STATUS"}
PATHS = {"right": "rights", "enterprise": "enterprises", "facility": "facilities", "zone": "zones"}


def list_view(request, name):
    actor = page_actor(request)
    g = request.GET
    filters = {k: g.get(k, "") for k in ("q", "division", "kind", "status", "mineral")}
    try:
        qs = services.search(actor, name, **filters)
    except InvalidInput as exc:
        messages.error(request, exc.zh if language(request) == "zh" else exc.en)
        qs = services.scoped(actor, name)
    page = Paginator(qs, 50).get_page(g.get("page"))
    rows = [services.serialize(actor, name, o) for o in page.object_list]
    can_create = actor.is_admin or actor.is_regulator or (actor.is_enterprise and name == "facility")
    return render(
        request,
        "registry/list.html",
        {
            "nav": name,
            "name": name,
            "path": PATHS[name],
            "title": TITLES[name],
            "columns": COLUMNS[name],
            "status_vocab": STATUS_VOCAB.get(name, ""),
            "rows": rows,
            "page": page,
            "filters": filters,
            "filter_choices": FILTER_CHOICES[name],
            "can_create": can_create,
            "querystring": g.copy().urlencode()
            if "page" not in g
            else "&".join(f"{k}={v}" for k, v in g.items() if k != "page"),
        },
    )


def _field_rows(actor, name, specs, values, obj=None):
    """Form rows from the field specs, with options for references."""
    rows = []
    for f in specs:
        opts = None
        if f.type == "choice":
            opts = [(c, c) for c in f.choices]
        elif f.type == "division":
            qs = Division.objects.all()
            if actor.is_regulator:
                qs = qs.filter(code__startswith=actor.scope_prefix)
            opts = [(d.code, f"{d.code} {d.name_zh}") for d in qs]
        elif f.type == "enterprise":
            qs = services.scoped(actor, "enterprise")
            if actor.is_enterprise:
                qs = Enterprise.objects.filter(pk=actor.enterprise_id)
            opts = [(str(e.pk), e.name) for e in qs[:2000]]
        elif f.type == "zone":
            opts = [(str(z.pk), z.name) for z in Zone.objects.filter(kind="industrial_park")]
        v = values.get(f.name, "")
        if isinstance(v, list):
            v = ", ".join(v)
        elif isinstance(v, dict):
            v = json.dumps(v, ensure_ascii=False)
        rows.append({"f": f, "value": "" if v is None else v, "options": opts})
    return rows


def _save(request, name, write):
    """Run a service write for a form: (redirect to the record, []) on success, (403, []) when the
    actor may not, (None, messages) when the input is wrong — the form is shown again with them."""
    try:
        obj = write()
    except Forbidden as exc:
        return HttpResponseForbidden(f"{exc.zh} / {exc.en}"), []
    except ServiceError as exc:
        return None, error_texts(request, exc)
    messages.success(request, "已保存 / saved")
    return HttpResponseRedirect(f"/{PATHS[name]}/{obj.pk}/"), []


def create_view(request, name):
    actor = page_actor(request)
    ent = services.entity(name)
    specs = [f for f in ent.specs if not (name == "facility" and actor.is_enterprise and f.name == "enterprise")]
    values, errors = {}, []
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"/login/?next={request.path}")
    if request.method == "POST":
        values = {f.name: request.POST.get(f.name, "") for f in specs}
        if name == "facility" and actor.is_enterprise:
            values["enterprise"] = actor.enterprise_id
        event = None
        if name == "right":
            event = {
                "kind": request.POST.get("event_kind", "granted"),
                "date": request.POST.get("event_date", ""),
                "document_ref": request.POST.get("event_document_ref", ""),
                "reason": request.POST.get("event_reason", ""),
            }
        response, errors = _save(request, name, lambda: services.create(actor, name, values, first_event=event))
        if response:
            return response
    return render(
        request,
        "registry/form.html",
        {
            "nav": name,
            "name": name,
            "title": TITLES[name],
            "rows": _field_rows(actor, name, specs, values),
            "errors": errors,
            "creating": True,
            "post": request.POST,
        },
    )


def edit_view(request, name, pk):
    actor = page_actor(request)
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"/login/?next={request.path}")
    try:
        obj = services.get(actor, name, pk)
    except NotFound:
        raise Http404 from None
    if not services.can_edit(actor, name, obj):
        return HttpResponseForbidden("无权修改该记录 / You may not edit this record")
    ent = services.entity(name)
    locked = {"holder", "valid_to", "boundary"} if name == "right" else set()
    specs = [f for f in ent.specs if f.name not in locked and (f.type != "geometry")]
    current = services.snapshot(name, obj)
    values, errors, version = current, [], obj.version
    if request.method == "POST":
        version = request.POST.get("version")
        values = {f.name: request.POST.get(f.name, "") for f in specs}
        changed = {k: v for k, v in values.items() if str(v) != _as_text(current.get(k))}
        response, errors = _save(request, name, lambda: services.update(actor, name, pk, changed, version))
        if response:
            return response
    return render(
        request,
        "registry/form.html",
        {
            "nav": name,
            "name": name,
            "title": TITLES[name],
            "rows": _field_rows(actor, name, specs, values, obj),
            "errors": errors,
            "creating": False,
            "version": version,
            "obj": obj,
        },
    )


def _as_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return ", ".join(v)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def detail_view(request, name, pk):
    actor = page_actor(request)
    try:
        obj = services.get(actor, name, pk)
    except NotFound:
        raise Http404 from None
    data = services.serialize(actor, name, obj, with_boundary=True)
    boundary = data.pop("boundary", None)
    ctx = {
        "nav": name,
        "name": name,
        "path": PATHS[name],
        "title": TITLES[name],
        "obj": obj,
        "data": data,
        "status_vocab": STATUS_VOCAB.get(name, ""),
        "boundary": boundary,
        "fields": [(f, data.get(f.name)) for f in services.entity(name).specs if f.name in data],
        "full": data["full_view"],
        "ref_names": _reference_names(obj),
    }
    if data["full_view"]:
        ctx["history"] = services.history(actor, name, obj)
        ctx["can_edit"] = services.can_edit(actor, name, obj)
    if name == "right":
        ctx["events"] = services.events(actor, obj)
        ctx["event_kinds"] = vocab.RIGHT_EVENTS
        from kuangzheng.registry import spatial

        ctx["conflicts"] = spatial.conflicts(actor, obj.pk)
        ctx["map_context"] = spatial.map_context(actor, obj)
        ctx["enterprises"] = services.scoped(actor, "enterprise")[:2000] if ctx.get("can_edit") else []
    return render(request, "registry/detail.html", ctx)


def _reference_names(obj) -> dict:
    """Show references by name, not by key: holder, enterprise, park, mine, division."""
    names = {"division": f"{obj.division_id} {obj.division.name_zh}"}
    for f in ("holder", "enterprise", "park", "facility"):
        ref = getattr(obj, f, None) if hasattr(obj, f + "_id") else None
        if ref is not None:
            names[f] = ref.name
    return names


@require_POST
def right_event_view(request, pk):
    actor = page_actor(request)
    p = request.POST
    data = {k: p.get(k, "") for k in ("kind", "date", "reason", "document_ref")}
    for k in ("valid_to", "holder", "boundary", "into"):
        if p.get(k):
            data[k] = p.get(k)
    try:
        services.add_event(actor, pk, data, p.get("version"))
        messages.success(request, "已记录 / recorded")
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        show_errors(request, exc)
    return HttpResponseRedirect(f"/rights/{pk}/")
