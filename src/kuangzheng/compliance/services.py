"""Compliance services: the one way in for checks, sweeps, diffs and result queries.

Scopes: a sweep is started by staff (an administrator over the whole registry, a regulator over its
own divisions); sweep results are read by administrators (all), regulators (subjects in their
division prefix) and enterprise users (verdicts on their own records only); the public reads none.
A check of a registry subject needs the full view of that subject. The what-if check is open to every
signed-in user but not to the public: its verdicts count other holders' rights and pending
applications at a place, which the public may not see (see docs/compliance.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time

import shapely
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.compliance.core import engine
from kuangzheng.errors import Forbidden, NotFound
from kuangzheng.exports import inert_row
from kuangzheng.registry import services as registry

from . import context, store
from .models import SweepResult, SweepRun, Wording

KIND_OF = {"facility": "facility", "right": "right", "zone": "zone"}


def require_reader(actor: Actor) -> None:
    if actor.is_public:
        raise Forbidden("公众无权查看合规审查结果，请登录", "The public may not read compliance results; sign in")


def run_sweep(actor: Actor, as_of: dt.date, progress=None) -> SweepRun:
    """Evaluate every rule over the registry, column-wise, and store the results under a new run id."""
    actor.require_staff()
    started = time.perf_counter()
    step = progress or (lambda *a: None)
    reg = context.load(as_of, step)
    batches = context.registry_batches(reg)
    step("spatial", sum(len(b) for b in batches.values()))
    t0 = time.perf_counter()
    evals = engine.evaluate(batches)
    seconds = time.perf_counter() - t0
    return store_sweep(actor, as_of, evals, context.labels(reg), seconds=seconds, progress=step, started=started)


def store_sweep(
    actor: Actor,
    as_of: dt.date,
    evals: list[engine.Evaluation],
    labels: dict[str, store.Labels],
    *,
    seconds: float = 0.0,
    progress=None,
    started: float | None = None,
) -> SweepRun:
    """Store evaluated rules as a new sweep run, in one transaction, audited: the rows other than
    not applicable, of subjects in the actor's scope (a regulator's divisions; all for an
    administrator), written in chunks (store.py). `labels` names each batch's subjects. The run
    records the code version and the catalogue's content hash it ran with, and keeps the wording its
    verdicts render with. `seconds` is the rule step's time; the run's total time is measured from
    `started` (a `time.perf_counter()` value; default: now) to the end of the store."""
    started = time.perf_counter() if started is None else started
    actor.require_staff()
    step = progress or (lambda *a: None)
    prefix = "" if actor.is_admin else actor.scope_prefix
    subjects = sum(len(b) for b in {id(ev.batch): ev.batch for ev in evals}.values())
    evaluations = sum(len(ev.batch) for ev in evals)
    counts: dict = {}
    catalogue = next((ev.batch.catalogue for ev in evals if ev.batch.catalogue is not None), None)
    with transaction.atomic():
        run = SweepRun.objects.create(
            as_of=as_of,
            scope=prefix or "",
            started_by=actor.username,
            subjects=subjects,
            evaluations=evaluations,
            seconds=round(seconds, 4),
            code_version=engine.code_version(),
            catalogue_hash=engine.catalogue_digest(catalogue),
            wording=_keep_wording(evals, catalogue),
        )
        n = store.write(store.result_rows(run.pk, _stepped(evals, step), labels, prefix, counts))
        run.counts = counts
        run.finished_at = timezone.now()
        run.total_seconds = round(time.perf_counter() - started, 4)
        run.save(update_fields=["counts", "finished_at", "total_seconds"])
        audit.record(
            actor,
            "sweep",
            "compliance_run",
            run.pk,
            None,
            {"as_of": as_of.isoformat(), "scope": run.scope, "results": n, "evaluations": evaluations},
        )
    step("stored", n)
    return run


def _keep_wording(evals: list[engine.Evaluation], catalogue) -> Wording:
    """The wording of the evaluated rules and of every entry the batches cite, stored once per content."""
    rules = {(ev.rule.subject, ev.rule.id): ev.rule for ev in evals}.values()
    entries = {e for b in {id(ev.batch): ev.batch for ev in evals}.values() for e in b.entry_table}
    content = engine.wording(rules, entries, catalogue)
    words, _ = Wording.objects.get_or_create(digest=engine.digest(content), defaults={"content": content})
    return words


def wording_of(run: SweepRun) -> dict:
    """The wording a run's verdicts render with (read once per run object)."""
    if not hasattr(run, "_words"):
        run._words = run.wording.content if run.wording_id else None
    return run._words


def versions(run: SweepRun) -> dict:
    """The code version and catalogue hash a run ran with, and whether they are today's."""
    code, cat = engine.code_version(), engine.catalogue_digest()
    return {
        "code_version": run.code_version,
        "catalogue_hash": run.catalogue_hash,
        "current_code_version": code,
        "current_catalogue_hash": cat,
        "older_code": run.code_version != code,
        "older_catalogue": run.catalogue_hash != cat,
        "legacy": run.code_version == "legacy",
    }


def _stepped(evals, step):
    for ev in evals:
        step("rule", ev.rule.id)
        yield ev


def visible_results(actor: Actor, run: SweepRun):
    require_reader(actor)
    qs = run.results.all()
    if actor.is_admin:
        return qs
    if actor.is_regulator:
        return qs.filter(division_code__startswith=actor.scope_prefix)
    own = Q(enterprise_id=actor.enterprise_id) & Q(subject_kind__in=("facility", "right"))
    return qs.filter(own) if actor.enterprise_id else qs.none()


def runs(actor: Actor):
    require_reader(actor)
    return SweepRun.objects.all()


def flagged(kind: str, outcome: str = "fail") -> set[int] | None:
    """The ids of the subjects of `kind` ("right", "facility") with at least one `outcome` verdict in
    the latest finished sweep, or None when no sweep has finished yet. A system read (no scope):
    supervision's inspection plans narrow their pools by it (risk flags)."""
    run = SweepRun.objects.exclude(finished_at=None).order_by("-finished_at", "-pk").first()
    if run is None:
        return None
    rows = SweepResult.objects.filter(run=run, subject_kind=kind, outcome=engine.OUTCOME_CODE[outcome])
    return set(rows.values_list("subject_id", flat=True).distinct())


def get_run(actor: Actor, run_id) -> SweepRun:
    require_reader(actor)
    try:
        return SweepRun.objects.get(pk=run_id)
    except (SweepRun.DoesNotExist, ValueError):
        raise NotFound("合规扫描", "sweep run") from None


def result(actor: Actor, run: SweepRun, pk) -> SweepResult:
    """One stored verdict of a run, if this actor may see it."""
    try:
        return visible_results(actor, run).get(pk=pk)
    except (SweepResult.DoesNotExist, ValueError):
        raise NotFound("审查结果", "sweep result") from None


def render_row(row: SweepResult, as_of: dt.date, run: SweepRun | None = None) -> dict:
    """A stored verdict, worded as it was produced (the run's kept wording, not today's)."""
    words = wording_of(run if run is not None else row.run)
    v = engine.render(
        row.rule, row.subject_kind, row.subject_id, row.outcome, row.reason, row.facts, row.entries, as_of, words=words
    )
    v["subject"]["name"] = row.subject_name
    v["subject"]["division"] = row.division_code
    return v


def results(actor: Actor, run: SweepRun, *, rule: str = "", outcome: str = "", kind: str = "", q: str = ""):
    qs = visible_results(actor, run)
    if rule:
        qs = qs.filter(rule=rule)
    if outcome:
        if outcome not in engine.OUTCOME_CODE:
            raise NotFound("结果类型", "outcome")
        qs = qs.filter(outcome=engine.OUTCOME_CODE[outcome])
    if kind:
        qs = qs.filter(subject_kind=kind)
    if q:
        qs = qs.filter(subject_name__icontains=q)
    return qs


def summary(actor: Actor, run: SweepRun) -> dict:
    """Counts by rule and outcome over the results this actor may see (counted by the database)."""
    out: dict = {}
    for row in visible_results(actor, run).order_by().values("rule", "outcome").annotate(n=Count("id")):
        out.setdefault(row["rule"], {})[engine.OUTCOMES[row["outcome"]]] = row["n"]
    return out


def run_info(run: SweepRun) -> dict:
    return {
        "id": run.pk,
        "as_of": run.as_of.isoformat(),
        "scope": run.scope,
        "started_by": run.started_by,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at and run.finished_at.isoformat(),
        "subjects": run.subjects,
        "evaluations": run.evaluations,
        "seconds": run.seconds,
        "total_seconds": run.total_seconds,
        **versions(run),
    }


def diff(actor: Actor, old: SweepRun, new: SweepRun) -> list[dict]:
    """What changed between two runs, by (rule, subject): outcomes or reasons that differ, rows that
    appear or disappear (a missing row is 'not_applicable'). Only subjects this actor may see."""
    return describe_changes(actor, old, new, changes(actor, old, new))


def changes(actor: Actor, old: SweepRun, new: SweepRun) -> list[tuple]:
    """((rule, kind, subject id), outcome before, outcome after) of every change, sorted; the runs are
    compared on (key, outcome, reason) tuples only, so that large runs compare quickly."""

    def index(run):
        rows = (
            visible_results(actor, run)
            .order_by()
            .values_list("rule", "subject_kind", "subject_id", "outcome", "reason")
        )
        return {(r, k, i): (o, why) for r, k, i, o, why in rows.iterator(chunk_size=20_000)}

    a, b = index(old), index(new)
    return [
        (key, a[key][0] if key in a else engine.NA, b[key][0] if key in b else engine.NA)
        for key in sorted(a.keys() | b.keys())
        if a.get(key) != b.get(key)
    ]


def describe_changes(actor: Actor, old: SweepRun, new: SweepRun, keyed: list[tuple]) -> list[dict]:
    """Some changes (from `changes`) with subject names and the new explanation: full rows are read for
    these only (a page of them on the portal)."""
    after = _rows(actor, new, [key for key, _, ob in keyed if ob != engine.NA])
    before = _rows(actor, old, [key for key, _, ob in keyed if ob == engine.NA])
    out = []
    for key, oa, ob in keyed:
        rb = after.get(key)
        row = rb or before[key]
        out.append(
            {
                "rule": key[0],
                "subject_kind": key[1],
                "subject_id": key[2],
                "subject_name": row.subject_name,
                "division": row.division_code,
                "before": engine.OUTCOMES[oa],
                "after": engine.OUTCOMES[ob],
                "explanation_after": render_row(rb, new.as_of, new)["explanation"] if rb else None,
            }
        )
    return out


def _rows(actor: Actor, run: SweepRun, keys: list[tuple]) -> dict:
    """The stored rows of some (rule, kind, subject id) keys of a run, read by rule and kind in chunks."""
    groups: dict = {}
    for rule, kind, sid in keys:
        groups.setdefault((rule, kind), []).append(sid)
    out = {}
    for (rule, kind), ids in groups.items():
        for s in range(0, len(ids), 500):
            for r in visible_results(actor, run).filter(rule=rule, subject_kind=kind, subject_id__in=ids[s : s + 500]):
                out[(r.rule, r.subject_kind, r.subject_id)] = r
    return out


def check_subject(actor: Actor, kind: str, pk, as_of: dt.date) -> list[dict]:
    """All verdicts on one registry subject (a batch of one through the same rules as the sweep)."""
    if kind not in KIND_OF:
        raise NotFound("对象类型", "subject kind")
    obj = registry.get(actor, kind, pk)
    if not registry.sees_full(actor, kind, obj):
        raise Forbidden("只能审查您有完整查看权限的对象", "You may only check subjects you can see in full")
    rec = [context.subject(kind, obj.pk)]
    if kind == "facility":
        reg = context.around_point(as_of, rec[0]["lon"], rec[0]["lat"], rec[0]["park_id"])
        b = context.facility_batch(reg, rec, "subject")
    elif kind == "right":
        boundary = rec[0]["boundary"]
        reg = context.around_parcel(as_of, None if boundary is None else shapely.from_wkb(bytes(boundary)))
        b = context.right_batch(reg, rec, _layer_of(reg, rec))
    else:
        b = context.zone_batch(context.around_parcel(as_of, None), rec)
    return engine.verdicts(engine.evaluate([b]))


def _layer_of(reg: context.Registry, records: list[dict], name: str = "subject") -> str:
    """A layer holding exactly these subjects (none when they have no boundary): the spatial facts
    map their pairs onto the subjects, so the layer must not hold the rest of the registry."""
    rows = [r for r in records if r.get("boundary") is not None]
    reg.index.add_layer(name, [r["id"] for r in rows], [bytes(r["boundary"]) for r in rows])
    return name


EXPORT_COLUMNS = (
    "run",
    "as_of",
    "rule",
    "mechanism",
    "title_zh",
    "subject_kind",
    "subject_id",
    "subject_name",
    "division",
    "outcome",
    "explanation_zh",
    "explanation_en",
    "citations",
)


def export_rows(actor: Actor, run: SweepRun, **filters):
    for row in results(actor, run, **filters).iterator():
        v = render_row(row, run.as_of, run)
        yield (
            run.pk,
            run.as_of.isoformat(),
            row.rule,
            v["mechanism"],
            v["title"]["zh"],
            row.subject_kind,
            row.subject_id,
            row.subject_name,
            row.division_code,
            v["outcome"],
            v["explanation"]["zh"],
            v["explanation"]["en"],
            " ".join(c["id"] for c in v["citations"]),
        )


def export_csv(actor: Actor, run: SweepRun, **filters) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(EXPORT_COLUMNS)
    w.writerows(inert_row(row) for row in export_rows(actor, run, **filters))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CSV correctly


def export_xlsx(actor: Actor, run: SweepRun, **filters) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"sweep {run.pk}")
    ws.append(EXPORT_COLUMNS)
    for row in export_rows(actor, run, **filters):
        ws.append(inert_row(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def check_whatif(actor: Actor, data, as_of: dt.date | None = None) -> dict:
    """Verdicts on a subject described in JSON (docs/check-input.md), against the registry's zones
    and rights, through the same rules as the sweep. Nothing is stored."""
    from kuangzheng.compliance.core.rules import exploration, fees

    from . import whatif

    if actor.is_public:
        raise Forbidden("请登录后使用预审（公众不可用）", "Sign in to use the what-if check (not open to the public)")
    doc = whatif.parse(data, as_of)
    rec = doc["record"]
    if doc["subject"] == "facility":
        reg = context.around_point(doc["as_of"], rec.get("lon"), rec.get("lat"), rec.get("park_id"))
        b = context.facility_batch(reg, [rec], "subject")
    elif doc["subject"] == "right":
        reg = context.around_parcel(doc["as_of"], doc["geometry"])
        geoms = [] if doc["geometry"] is None else [doc["geometry"]]
        reg.index.add_layer("subject", [-1] * len(geoms), geoms)  # empty without a boundary: no spatial facts
        if not geoms:
            rec["boundary"] = None
        b = context.right_batch(reg, [rec], "subject")
    else:
        reg = context.around_parcel(doc["as_of"], None)
        b = context.zone_batch(reg, [{**rec, "division_id": rec["division"]}])
    out = {
        "subject": doc["subject"],
        "as_of": doc["as_of"].isoformat(),
        "verdicts": engine.verdicts(engine.evaluate([b])),
    }
    if doc["subject"] == "right" and rec.get("kind") == "exploration" and rec.get("area_km2") is not None:
        inside = bool(b.num("in_integrated_zone")[0] > 0)
        out["fees"] = fees.schedule_for(
            {
                "in_integrated_zone": inside,
                "area_km2": rec["area_km2"],
                **(integrated_parts(reg, doc["geometry"]) if inside else {"blank_km2": None}),
                "start_year": rec["valid_from"].year,
            },
            doc["as_of"],
            str(b.jurisdiction[0]),
        )
    if doc.get("tender") is not None:
        out["tender"] = _tender(doc["tender"], exploration)
    return out


def check_fields() -> dict:
    """The what-if document's fields (the portal's help page): public, like the format's docs."""
    from . import whatif

    return whatif.field_reference()


def integrated_parts(reg: context.Registry, geom) -> dict[str, float]:
    """The parts of a right inside integrated-exploration zones, priced differently by seed 000: the
    state-funded part (zone ∩ right ∩ state-funded exploration areas: priced by appraisal), the parts
    under existing live exploration rights (integrated on agreed terms) and the blank rest (the yearly
    rate). km², to the registered 1e-4."""
    import shapely

    from kuangzheng.geo.area import ellipsoidal_area_km2

    def union(layer: str):
        found = reg.index._layers.get(layer)
        return shapely.union_all(found.geoms) if found is not None else None

    part = shapely.intersection(geom, union("zone:integrated_exploration_zone"))
    funded = union("zone:state_funded_exploration_area")
    state = shapely.intersection(part, funded) if funded is not None else None
    rest = shapely.difference(part, funded) if funded is not None else part
    live = [
        r["boundary"]
        for r in reg.rights
        if r["kind"] == "exploration" and r["status"] in ("valid", "suspended") and r["boundary"] is not None
    ]
    social = None
    if live:
        held = shapely.union_all(shapely.from_wkb([bytes(x) for x in live]))
        social = shapely.intersection(rest, held)
        rest = shapely.difference(rest, held)

    def km2(g) -> float:
        return round(float(ellipsoidal_area_km2(g)), 4) if g is not None and not g.is_empty else 0.0

    return {"blank_km2": km2(rest), "state_funded_km2": km2(state), "social_rights_km2": km2(social)}


def blank_area(reg: context.Registry, geom) -> float:
    """The blank part of a right inside integrated-exploration zones (see `integrated_parts`)."""
    return integrated_parts(reg, geom)["blank_km2"]


def _tender(t, exploration) -> dict:
    from kuangzheng.errors import FieldProblem, InvalidInput

    if not isinstance(t, dict) or not isinstance(t.get("bids"), list):
        raise InvalidInput([FieldProblem("tender.bids", "应为投标列表", "must be a list of bids")])
    try:
        weights = exploration.Weights(**(t.get("weights") or {}))
        return exploration.rank_bids(t["bids"], weights)
    except (TypeError, ValueError, AttributeError) as exc:
        raise InvalidInput([FieldProblem("tender.weights", f"权重无效：{exc}", f"invalid weights: {exc}")]) from None
