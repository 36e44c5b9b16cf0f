"""Inspection plans and their verifiable draws (双随机一公开, M14): a plan names its pools and rules,
publishes the pools' hashes and the seed's source, then draws; the result file is public.
The algorithm is in core/draw.py and docs/supervision.md."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kuangzheng import bulkinsert
from kuangzheng.access.actor import Actor, division_prefix
from kuangzheng.audit import service as audit
from kuangzheng.compliance import services as compliance
from kuangzheng.errors import FieldProblem, InvalidInput
from kuangzheng.registry import services as registry

from . import publicity
from .core import draw as core
from .models import Inspection, Inspector, Plan
from .scope import check_version, one, problem, require_staff_in, staff_filter

ENTITIES = {"right": ("矿业权", "mineral rights"), "facility": ("设施", "facilities")}
FILTERS = {"kind", "status", "mineral", "division", "risk"}
RISKS = {
    "fail": ("有不通过的合规结论", "a failing compliance verdict"),
    "warning": ("有警示的合规结论", "a compliance warning"),
}


def enrol(actor: Actor, user, division: str, links: list[int] | None = None) -> Inspector:
    """Put a regulator into the inspector pool (their division; the enterprises they are linked to)."""
    require_staff_in(actor, division)
    profile = getattr(user, "kz_profile", None)
    if profile is None or profile.role != "regulator":
        raise problem("user", "只有监管人员可以进入执法人员库", "only regulators can join the inspector pool")
    with transaction.atomic():
        ins, _ = Inspector.objects.update_or_create(
            user=user,
            defaults={
                "code": f"I-{user.pk:05d}",
                "division": division,
                "links": sorted(set(links or [])),
                "active": True,
            },
        )
        audit.record(actor, "enrol", "supervision.inspector", ins.pk, None, {"division": division, "links": ins.links})
    return ins


def plans(actor: Actor):
    """Published and drawn plans are public (双随机一公开); drafts are for staff in scope."""
    qs = Plan.objects.order_by("-pk")
    if actor.is_admin or actor.is_regulator:
        return staff_filter(actor, qs) | qs.exclude(state="draft")
    return qs.exclude(state="draft")


def get(actor: Actor, pk) -> Plan:
    return one(plans(actor), pk, "检查计划", "inspection plan")


def create(actor: Actor, data: dict) -> Plan:
    data = dict(data or {})
    division = str(data.get("division") or actor.division_code or "")
    actor.require_staff()
    probs = []
    title = str(data.get("title") or "").strip()
    if not title:
        probs.append(FieldProblem("title", "请填写计划名称", "the title is required"))
    entity = data.get("entity", "right")
    if entity not in ENTITIES:
        probs.append(FieldProblem("entity", "对象类型须为 right 或 facility", "entity must be right or facility"))
    filters = data.get("filters") or {}
    if not isinstance(filters, dict) or set(filters) - FILTERS:
        probs.append(
            FieldProblem(
                "filters", f"对象库条件只能是 {sorted(FILTERS)}", f"pool filters may only be {sorted(FILTERS)}"
            )
        )
        filters = {}
    if filters.get("risk") and filters["risk"] not in RISKS:
        probs.append(
            FieldProblem(
                "filters.risk", f"风险条件只能是 {sorted(RISKS)}", f"the risk filter is one of {sorted(RISKS)}"
            )
        )
    if filters.get("division") and not str(filters["division"]).startswith(division[:2]):
        probs.append(
            FieldProblem("filters.division", "条件区划须在计划区划内", "the pool's division must be in the plan's")
        )
    ratio, count = data.get("ratio"), data.get("count")
    if (ratio is None) == (count is None):
        probs.append(FieldProblem("ratio", "抽查比例与抽查数量须且只能填一项", "give either a ratio or a count"))
    elif ratio is not None and not (isinstance(ratio, int | float) and 0 < ratio <= 1):
        probs.append(FieldProblem("ratio", "抽查比例须大于 0 且不超过 1", "the ratio must be in (0, 1]"))
    elif count is not None and not (isinstance(count, int) and count >= 1):
        probs.append(FieldProblem("count", "抽查数量须为正整数", "the count must be a positive whole number"))
    per = data.get("per_subject", core.MIN_INSPECTORS)
    if not isinstance(per, int) or per < core.MIN_INSPECTORS:
        probs.append(
            FieldProblem("per_subject", "每个检查对象至少派 2 名执法人员", "at least two inspectors per subject")
        )
    seed_source = str(data.get("seed_source") or "").strip()
    if not seed_source or "\n" in seed_source:
        probs.append(
            FieldProblem(
                "seed_source",
                "请事先写明随机种子的来源（如某日公开的数值），单行",
                "name the seed's source in advance (e.g. a public figure of a given day), one line",
            )
        )
    recusal = {"own_division": bool(data.get("recuse_own_division", True)), "linked": True}
    if probs:
        raise InvalidInput(probs)
    require_staff_in(actor, division)
    with transaction.atomic():
        plan = Plan.objects.create(
            title=title,
            division=division,
            entity=entity,
            filters=filters,
            ratio=ratio,
            count=count,
            per_subject=per,
            recusal=recusal,
            seed_source=seed_source,
            created_by=actor.username,
        )
        audit.record(actor, "create", "supervision.plan", plan.pk, None, _public(plan))
    return plan


def _subjects(plan: Plan) -> list[dict]:
    """The subject pool: a registry query in the plan's division."""
    f = plan.filters
    prefix = f.get("division") or division_prefix(plan.division)
    if plan.entity == "right":
        qs = registry.records("right").filter(division__code__startswith=prefix, status=f.get("status", "valid"))
        if f.get("kind"):
            qs = qs.filter(kind=f["kind"])
        # minerals (a JSON column, decoded per row) are read only when the plan filters by one
        rows = qs.values_list(
            "pk", "licence_no", "division_id", "holder_id", "minerals" if f.get("mineral") else "kind"
        )
    else:
        qs = registry.records("facility").filter(division__code__startswith=prefix)
        if f.get("kind"):
            qs = qs.filter(kind=f["kind"])
        if f.get("status"):
            qs = qs.filter(status=f["status"])
        rows = (
            (pk, f"facility:{pk}", d, e, m)
            for pk, d, e, m in qs.values_list("pk", "division_id", "enterprise_id", "metals")
        )
    mineral = f.get("mineral")
    risky = _risk_flagged(plan.entity, f.get("risk"))
    return [
        {"id": sid, "division": div, "enterprise": ent}
        for pk, sid, div, ent, minerals in rows
        if (not mineral or mineral in (minerals or [])) and (risky is None or pk in risky)
    ]


def _risk_flagged(entity: str, risk: str | None) -> set[int] | None:
    """The pool's risk flags: subjects with a failing (or warning) verdict in the latest compliance
    sweep. None when the plan does not filter by risk."""
    if not risk:
        return None
    ids = compliance.flagged(entity, risk)
    if ids is None:
        raise InvalidInput(
            [
                FieldProblem(
                    "filters.risk",
                    "尚无已完成的合规扫描，无法按风险筛选对象库；请先运行扫描",
                    "no compliance sweep has finished, so the pool cannot be narrowed by risk; run a sweep first",
                )
            ]
        )
    return ids


def _inspectors(plan: Plan) -> list[dict]:
    """The inspector pool: active inspectors of the plan's province (own-division recusal then keeps
    a city's inspectors away from the city's enterprises)."""
    qs = Inspector.objects.filter(active=True, division__startswith=plan.division[:2])
    return [{"id": c, "division": d, "links": links} for c, d, links in qs.values_list("code", "division", "links")]


def publish(actor: Actor, pk, version) -> Plan:
    """Freeze both pools and announce their hashes with the seed's source, before any seed exists."""
    plan = get(actor, pk)
    require_staff_in(actor, plan.division)
    check_version(plan, version)
    if plan.state != "draft":
        raise problem("state", "只有草稿计划可以公布", "only a draft plan can be published")
    subjects, inspectors = core.frozen(_subjects(plan)), core.frozen(_inspectors(plan))
    if not subjects:
        raise problem("filters", "检查对象库为空", "the subject pool is empty")
    if len(inspectors) < plan.per_subject:
        raise problem("inspectors", "执法人员库人数不足", "too few inspectors in the pool")
    with transaction.atomic():
        before = _public(plan)
        plan.subjects, plan.inspectors, plan.state = subjects, inspectors, "published"
        plan.announced = {
            "subjects_sha256": core.pool_hash(subjects),
            "inspectors_sha256": core.pool_hash(inspectors),
            "subjects": len(subjects),
            "inspectors": len(inspectors),
            "seed_source": plan.seed_source,
            "at": timezone.now().replace(microsecond=0).isoformat(),
        }
        plan.version += 1
        plan.save()
        audit.record(actor, "publish", "supervision.plan", plan.pk, before, _public(plan))
        publicity.plan_published(actor, plan)
    return plan


def run_draw(actor: Actor, pk, seed: str, version) -> Plan:
    """Draw with the seed read from the announced source; the subjects drawn become inspections."""
    plan = get(actor, pk)
    require_staff_in(actor, plan.division)
    check_version(plan, version)
    seed = str(seed or "").strip()
    if plan.state != "published":
        raise problem("state", "只有已公布的计划可以抽取", "only a published plan can be drawn")
    if not seed or "\n" in seed:
        raise problem(
            "seed", "请填写按公布来源取得的随机种子（单行）", "give the seed taken from the announced source (one line)"
        )
    n = core.how_many(len(plan.subjects), plan.ratio, plan.count)
    try:
        drawn = core.draw(seed, plan.subjects, plan.inspectors, n, plan.per_subject, plan.recusal)
    except core.DrawProblem as exc:
        raise problem("inspectors", f"回避后执法人员不足：{exc}", f"too few inspectors after recusal: {exc}") from None
    by_id = {s["id"]: s for s in plan.subjects}
    with transaction.atomic():
        before = _public(plan)
        plan.seed, plan.state = seed, "drawn"
        plan.result = {"drawn": [d.as_dict() for d in drawn]}  # the file is assembled from the plan when read
        plan.version += 1
        plan.save(update_fields=["seed", "state", "result", "version"])  # the frozen pools stay as published
        bulkinsert.insert(
            Inspection,
            [
                {
                    "id": iid,
                    "plan_id": plan.pk,
                    "subject": d.subject,
                    "subject_name": "",
                    "enterprise_id": by_id[d.subject]["enterprise"],
                    "division": by_id[d.subject]["division"],
                    "inspectors": list(d.inspectors),
                    "inspected_on": None,
                    "notes": "",
                }
                for iid, d in zip(bulkinsert.reserve_ids(Inspection, len(drawn)), drawn)
            ],
        )
        audit.record(actor, "draw", "supervision.plan", plan.pk, before, _public(plan) | {"seed": seed, "drawn": n})
        publicity.plan_drawn(actor, plan)
    return plan


def _plan_header(plan: Plan) -> dict:
    return {
        "id": plan.pk,
        "title": plan.title,
        "division": plan.division,
        "entity": plan.entity,
        "filters": plan.filters,
        "ratio": plan.ratio,
        "count": plan.count,
        "per_subject": plan.per_subject,
        "recusal": plan.recusal,
        "announced": plan.announced,
    }


def _public(plan: Plan) -> dict:
    return {"title": plan.title, "state": plan.state, "seed_source": plan.seed_source, "announced": plan.announced}


def describe(plan: Plan) -> dict:
    """What anyone may see of a plan (pools only through the result file, once drawn)."""
    return _plan_header(plan) | {
        "state": plan.state,
        "seed_source": plan.seed_source,
        "seed": plan.seed or None,
        "version": plan.version,
        "drawn": len(plan.result.get("drawn", [])) if plan.result else 0,
    }


def result(actor: Actor, pk) -> dict:
    plan = get(actor, pk)
    if plan.state != "drawn":
        raise problem("state", "该计划尚未抽取", "this plan has not been drawn yet")
    a = plan.announced
    return core.result_file(
        _plan_header(plan),
        plan.seed,
        plan.subjects,
        plan.inspectors,
        plan.result["drawn"],
        hashes=(a["subjects_sha256"], a["inspectors_sha256"]),
    )


def verify(published) -> list[str]:
    """Recompute a published draw from its file alone (what `kz supervise draw --verify` and the page run)."""
    if not isinstance(published, dict):
        return ["the file is not a JSON object"]
    return core.verify(published)
