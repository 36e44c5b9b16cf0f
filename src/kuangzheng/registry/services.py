"""The registry's service layer: the one way in for every read and write of registry records.

Every function takes the acting `Actor` first. Reads return only what the actor's role and division
scope allow; writes check permission, validate every field (all problems at once), refuse stale
versions, write in one transaction and append to the audit chain in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Min, Q, QuerySet

from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, Forbidden, InvalidInput, NotFound, StaleVersion
from kuangzheng.prepared import compiled

from . import bulk, geometry
from .core import lifecycle, minerals, projects, specs
from .models import Division, Enterprise, Facility, ImportBatch, MineralRight, RightEvent, Zone


@dataclass(frozen=True)
class Entity:
    name: str
    model: type
    specs: list
    zh: str
    en: str
    natural_key: str  # the field a re-import matches on


ENTITIES = {
    "enterprise": Entity("enterprise", Enterprise, specs.ENTERPRISE, "企业", "enterprise", "credit_code"),
    "facility": Entity("facility", Facility, specs.FACILITY, "设施", "facility", "external_id"),
    "right": Entity("right", MineralRight, specs.RIGHT, "矿业权", "mineral right", "licence_no"),
    "zone": Entity("zone", Zone, specs.ZONE, "规划分区", "zone", "code"),
}


def entity(name: str) -> Entity:
    try:
        return ENTITIES[name]
    except KeyError:
        raise NotFound("对象类型", "entity type") from None


# ---------------------------------------------------------------- reading


def records(name: str) -> QuerySet:
    """Every record of one kind, for system jobs that show no viewer anything by themselves (indicators,
    sweeps, the demo loader): what a user sees goes through `scoped`. Other domains read the registry
    through this, never through its models."""
    return _finished(entity(name).model.objects.all())


def newest(name: str) -> tuple | None:
    """(id, creation time) of the newest record of one kind, an import's still being written
    included: a cheap key that changes when a record is added (one plain query, read per request)."""
    table = connection.ops.quote_name(entity(name).model._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, created_at FROM {table} ORDER BY id DESC LIMIT 1")
        return cur.fetchone()


def widest_span(name: str) -> float:
    """The widest longitude span of any record of one kind, an import's still being written included."""
    span = entity(name).model.objects.aggregate(w=Max(F("max_lon") - F("min_lon")))["w"]
    return float(span or 0.0)


def _finished(qs: QuerySet) -> QuerySet:
    """Without the records of an import still being written: they are not there yet, for anyone."""
    # a subquery, not a list read first: one query a read instead of two
    return qs.exclude(import_batch_id__in=bulk.running_batches())


def scoped(actor: Actor, name: str) -> QuerySet:
    """The records of one kind this actor may see at all (full or public view)."""
    qs = _finished(entity(name).model.objects.all())
    if actor.is_admin:
        return qs
    if actor.is_regulator:
        return qs.filter(division__code__startswith=actor.scope_prefix)
    if name == "right":  # applications are not public; an enterprise sees its own in any state
        visible = ~Q(status="applied")
        if actor.is_enterprise:
            visible |= Q(holder_id=actor.enterprise_id)
        return qs.filter(visible)
    return qs


def scope_key(actor: Actor) -> tuple:
    """What `scoped` reads of the actor: callers with equal keys see the same records (a key for
    queries compiled once per scope)."""
    return (actor.role, actor.division_code, actor.enterprise_id)


def owner_id(name: str, obj) -> int | None:
    return {"enterprise": lambda o: o.pk, "facility": lambda o: o.enterprise_id, "right": lambda o: o.holder_id}.get(
        name, lambda o: None
    )(obj)


def sees_full(actor: Actor, name: str, obj) -> bool:
    if actor.is_admin:
        return True
    if actor.is_regulator:
        return actor.covers_division(obj.division_id)
    if actor.is_enterprise:
        return actor.enterprise_id is not None and owner_id(name, obj) == actor.enterprise_id
    return False


def get(actor: Actor, name: str, pk) -> object:
    ent = entity(name)
    try:
        return scoped(actor, name).get(pk=pk)
    except (ent.model.DoesNotExist, ValueError):
        raise NotFound(ent.zh, ent.en) from None


def _ref(value):
    return value.pk if hasattr(value, "pk") else value


def snapshot(name: str, obj) -> dict:
    """All spec'd fields as plain values (references as keys, the boundary as WKB)."""
    snap = {}
    for f in entity(name).specs:
        v = getattr(obj, f.name + "_id") if f.type in specs.REFERENCES else getattr(obj, f.name)
        snap[f.name] = bytes(v) if isinstance(v, memoryview) else _ref(v)
    if name in ("right", "zone"):
        snap["area_km2"] = float(obj.area_km2) if obj.area_km2 is not None else None
    if name == "right":
        snap["status"] = obj.status
    snap["version"] = obj.version
    return snap


_PLAIN = (str, int, float, bool, type(None), bytes, dt.date, dt.datetime)


def snapshot_columns(name: str, columns: dict[str, list]) -> dict[str, list]:
    """`snapshot` of many rows given a column at a time (attname -> one value per row, as written
    by an import): the same values, field -> one value per row."""

    def plain(values):
        return [v if type(v) in _PLAIN else bytes(v) if isinstance(v, memoryview) else _ref(v) for v in values]

    snap = {
        f.name: plain(columns[f.name + "_id" if f.type in specs.REFERENCES else f.name]) for f in entity(name).specs
    }
    if name in ("right", "zone"):
        snap["area_km2"] = [float(v) if v is not None else None for v in columns["area_km2"]]
    if name == "right":
        snap["status"] = columns["status"]
    snap["version"] = columns["version"]
    return snap


def serialize(actor: Actor, name: str, obj, with_boundary: bool = False) -> dict:
    """The record as this actor may see it. Public viewers get only the spec's public fields."""
    full = sees_full(actor, name, obj)
    out = {"id": obj.pk, "full_view": full, "is_generated": obj.is_generated, "source": obj.source}
    for f in entity(name).specs:
        if f.type == "geometry" or (not full and not f.public):
            continue
        if f.type in specs.REFERENCES:
            out[f.name] = getattr(obj, f.name + "_id")
        else:
            v = getattr(obj, f.name)
            out[f.name] = v.isoformat() if isinstance(v, dt.date) else v
    if name in ("right", "zone"):
        out["area_km2"] = float(obj.area_km2) if obj.area_km2 is not None else None
        out["bbox"] = [obj.min_lon, obj.min_lat, obj.max_lon, obj.max_lat] if obj.min_lon is not None else None
        if with_boundary:
            out["boundary"] = geometry.to_geojson(obj.boundary)
    if name == "right":
        out["status"] = obj.status
        out["holder_name"] = obj.holder.name
    if name == "facility":
        out["enterprise_name"] = obj.enterprise.name if obj.enterprise_id else None
    if name != "enterprise":  # minerals as the vocabulary names them, for each language of the interface
        listed = obj.metals if name == "facility" else obj.minerals
        out["mineral_names"] = {lang: minerals.display_list(listed, lang) for lang in ("zh", "en")}
    out["division_name"] = obj.division.name_zh
    if full:
        out["version"] = obj.version
    return out


def events(actor: Actor, right: MineralRight) -> list[dict]:
    full = sees_full(actor, "right", right)
    rows = []
    for e in right.events.order_by("seq"):
        row = {"seq": e.seq, "kind": e.kind, "date": e.date.isoformat(), "document_ref": e.document_ref}
        if full:
            row.update(actor=e.actor, reason=e.reason, payload=e.payload)
        rows.append(row)
    return rows


def history(actor: Actor, name: str, obj) -> list[dict]:
    """The audit trail of one record, for those who see it in full."""
    if not sees_full(actor, name, obj):
        raise Forbidden("无权查看该记录的变更历史", "You may not see this record's change history")
    return [
        {
            "seq": e.seq,
            "at": e.at.isoformat(),
            "actor": e.actor,
            "action": e.action,
            "before": e.before,
            "after": e.after,
        }
        for e in audit.history(name, obj.pk)
    ]


# ---------------------------------------------------------------- writing


def _resolve(f, raw):
    """Turn a reference (division code, enterprise, zone or facility id, boundary text) into its object."""
    raw = _ref(raw)
    if f.type == "geometry":
        geom, p = geometry.parse(raw, f.name)
        return geom, p
    model = {"division": Division, "enterprise": Enterprise, "zone": Zone, "facility": Facility}[f.type]
    key = str(raw).strip()
    obj = model.objects.filter(pk=key).first() if (f.type == "division" or key.isdigit()) else None
    if obj is None and f.type == "division":
        return None, FieldProblem(f.name, f"未知的行政区划代码「{key}」", f"unknown division code '{key}'")
    if obj is None:
        return None, FieldProblem(
            f.name, f"「{f.zh}」引用的记录「{key}」不存在", f"'{f.en}' refers to '{key}', which does not exist"
        )
    return obj, None


def _check_write(
    actor: Actor, name: str, obj=None, division: Division | None = None, values: dict | None = None
) -> None:
    """Raise Forbidden unless the actor may write this record (before and after the change)."""
    if actor.is_admin:
        return
    if actor.is_regulator:
        for code in filter(None, [obj.division_id if obj else None, division.pk if division else None]):
            if not actor.covers_division(code):
                raise Forbidden(f"区划 {code} 不在您的管辖范围内", f"division {code} is outside your scope")
        return
    if actor.is_enterprise:
        own = actor.enterprise_id
        if name == "enterprise" and obj is not None and obj.pk == own:
            return
        if name == "facility" and (obj is None or obj.enterprise_id == own):
            if (
                values is None
                or (values.get("enterprise") is not None and values["enterprise"].pk == own)
                or ("enterprise" not in values and obj is not None)
            ):
                return
    raise Forbidden()


def can_edit(actor: Actor, name: str, obj) -> bool:
    """Whether `update` would accept this actor's change to this record (for showing edit links)."""
    try:
        _check_write(actor, name, obj=obj)
        if name == "right":
            _require_staff_for_rights(actor)
    except Forbidden:
        return False
    return True


def _invariants(name: str, v: dict, current=None) -> list[FieldProblem]:
    """Cross-field rules and the natural key's uniqueness; `v` holds the record's values after the change."""
    problems = _value_invariants(name, v)
    ent = entity(name)
    key = ent.natural_key
    if v.get(key):
        clash = ent.model.objects.filter(**{key: v[key]})
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if clash.exists():
            problems.append(_key_exists(ent, v[key]))
    return problems


def _key_exists(ent: Entity, value) -> FieldProblem:
    f = specs.by_name(ent.specs)[ent.natural_key]
    return FieldProblem(ent.natural_key, f"「{f.zh}」{value} 已存在", f"'{f.en}' {value} already exists")


def _value_invariants(name: str, v: dict) -> list[FieldProblem]:
    """The cross-field rules that need no database."""
    problems = []
    if name == "enterprise" and v.get("credit_code"):
        p = specs.credit_code_check(v["credit_code"])
        if p:
            problems.append(p)
    if name == "right":
        if v.get("valid_from") and v.get("valid_to") and v["valid_to"] <= v["valid_from"]:
            problems.append(FieldProblem("valid_to", "有效期止必须晚于有效期起", "valid to must be after valid from"))
        top, bottom = v.get("elevation_top"), v.get("elevation_bottom")
        if top is not None and bottom is not None and top <= bottom:
            problems.append(
                FieldProblem(
                    "elevation_bottom",
                    "开采标高下限必须低于上限",
                    "the bottom elevation must be below the top elevation",
                )
            )
        if v.get("kind") == "exploration" and (v.get("designed_scale") is not None or top is not None):
            problems.append(
                FieldProblem(
                    "designed_scale",
                    "探矿权没有设计规模和开采标高",
                    "an exploration right has no designed scale or elevation range",
                )
            )
    return problems


def _to_columns(name: str, values: dict) -> dict:
    cols = {}
    for k, v in values.items():
        if k == "boundary":
            cols.update(geometry.columns(v))
            cols["area_km2"] = geometry.ellipsoidal_area_km2(v) if v is not None else None
        elif k == "credit_code":
            cols[k] = v or None
        else:
            cols[k] = v
    return cols


def _current_values(name: str, obj) -> dict:
    vals = {}
    for f in entity(name).specs:
        vals[f.name] = geometry.load(obj.boundary) if f.type == "geometry" else getattr(obj, f.name)
    return vals


def validate_new(actor: Actor, name: str, data: dict) -> dict:
    """Clean and check a new record without writing it; raise InvalidInput with every problem."""
    ent = entity(name)
    values, problems = specs.clean(ent.specs, data, _resolve)
    problems += _invariants(name, values)  # on the fields that did parse: report everything at once
    if problems:
        raise InvalidInput(problems)
    _derive(name, values)
    return values


def _derive(name: str, values: dict) -> None:
    """Fill what the record implies: a facility's project type from its status, as the what-if
    check derives it (registry.core.projects). Single creates and bulk imports both call this."""
    if name == "facility" and not values.get("project_type"):
        values["project_type"] = projects.project_type_of("", values.get("status") or "operating")


def create(
    actor: Actor, name: str, data: dict, *, generated: bool = False, source: str = "", first_event: dict | None = None
):
    """Create one record. Rights need `first_event` (applied or granted) and go through register_right."""
    ent = entity(name)
    if name == "right" and first_event is None:
        raise InvalidInput(
            [
                FieldProblem(
                    "event",
                    "登记矿业权须同时记录首个事项（申请或批准登记）",
                    "registering a right needs its first event (applied or granted)",
                )
            ]
        )
    _check_write(actor, name, division=None)  # role check before revealing validation details
    values = validate_new(actor, name, data)
    _check_write(actor, name, division=values.get("division"), values=values)
    if name == "right":
        _require_staff_for_rights(actor)
    with transaction.atomic():
        try:
            with transaction.atomic():
                obj = ent.model.objects.create(
                    is_generated=generated,
                    source=source,
                    **_to_columns(name, values),
                    **({"status": ""} if name == "right" else {}),
                )
        except IntegrityError as exc:  # a concurrent insert of the same natural key
            raise InvalidInput(
                [FieldProblem(ent.natural_key, f"记录已存在：{exc}", f"record already exists: {exc}")]
            ) from exc
        audit.record(actor, "create", name, obj.pk, None, snapshot(name, obj))
        if name == "right":
            add_event(actor, obj.pk, first_event, version=obj.version)
            obj.refresh_from_db()
    return obj


def _require_staff_for_rights(actor: Actor) -> None:
    if not (actor.is_admin or actor.is_regulator):
        raise Forbidden("仅登记机关可办理矿业权登记", "Only the registration authority may register mineral rights")


def update(actor: Actor, name: str, pk, data: dict, version) -> object:
    """Change some fields of one record. `version` is the version the editor loaded: if someone saved
    since, the change is refused (StaleVersion) instead of silently overwriting theirs."""
    ent = entity(name)
    obj = get(actor, name, pk)
    _check_write(actor, name, obj=obj)
    if name == "right":
        _require_staff_for_rights(actor)
        if set(data) & {"holder", "valid_to", "boundary"}:
            raise InvalidInput(
                [
                    FieldProblem(
                        k,
                        "权利人、有效期止和边界只能通过变更事项（转让、延续、缩减）修改",
                        "holder, validity end and boundary change only through life-cycle events",
                    )
                    for k in sorted(set(data) & {"holder", "valid_to", "boundary"})
                ]
            )
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise InvalidInput(
            [
                FieldProblem(
                    "version",
                    "缺少版本号（用于防止覆盖他人修改）",
                    "the version you edited is required (it prevents lost updates)",
                )
            ]
        ) from None
    values, problems = specs.clean(ent.specs, data, _resolve, partial=True)
    if problems:
        raise InvalidInput(problems)
    merged = {**_current_values(name, obj), **values}
    problems = _invariants(name, merged, current=obj)
    if problems:
        raise InvalidInput(problems)
    _check_write(actor, name, obj=obj, division=merged.get("division"), values=values)
    return _save(actor, name, obj, _to_columns(name, values), version, "update")


def _save(actor: Actor, name: str, obj, columns: dict, version: int, action: str):
    """Conditional update on the version: a concurrent editor's save makes this one match no row."""
    ent = entity(name)
    with transaction.atomic():
        before = snapshot(name, obj)
        n = ent.model.objects.filter(pk=obj.pk, version=version).update(
            **columns, version=version + 1, updated_at=dt.datetime.now(dt.UTC)
        )
        if n == 0:
            current = ent.model.objects.filter(pk=obj.pk).values_list("version", flat=True).first()
            raise StaleVersion(current, version)
        obj = ent.model.objects.get(pk=obj.pk)
        audit.record(actor, action, name, obj.pk, before, snapshot(name, obj))
    return obj


# ---------------------------------------------------------------- importing many


@dataclass(frozen=True)
class Prepared:
    """Rows that passed `prepare_many`: the only input `create_many` accepts."""

    name: str
    actor: Actor
    records: list[dict]  # column values by attname
    first_events: list[dict] | None  # rights: the cleaned first event of each


class _RowGeometry:
    """Stands for a row's already parsed geometry in the cleaner (see `prepare_many`)."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index


def prepare_many(actor: Actor, name: str, rows: list[tuple[int, dict, dict | None]]) -> Prepared:
    """Clean and check many new records as `create` does, with the same cleaner, rules and messages:
    `rows` are (row number, data, first event or None). Geometry is parsed, checked and measured
    in one vectorised pass, and each distinct value of a repeating field (a date, a choice, a
    division, a holder) is cleaned and looked up once. Raises InvalidInput with every problem of
    every row (each names its row); writes nothing."""
    ent = entity(name)
    _check_write(actor, name, division=None)
    if name == "right":
        _require_staff_for_rights(actor)
    geom_field = next((f.name for f in ent.specs if f.type == "geometry"), None)
    datas = [data for _, data, _ in rows]
    if geom_field:
        geoms, geom_problems = geometry.parse_many([data.get(geom_field) for data in datas], geom_field)
        areas, geom_columns = geometry.areas_km2(geoms), geometry.columns_many(geoms)
        datas = [
            {**data, geom_field: _RowGeometry(i)} if data.get(geom_field) is not None else data
            for i, data in enumerate(datas)
        ]

    found = _references(ent, datas)

    def resolve(f, raw):
        if isinstance(raw, _RowGeometry):
            return geoms[raw.index], geom_problems.get(raw.index)
        obj = found[f.type].get(str(_ref(raw)).strip())
        return (obj, None) if obj is not None else _resolve(f, raw)  # _resolve words the problem

    cleaned = specs.clean_many(ent.specs, datas, resolve)
    references = {f.name for f in ent.specs if f.type in specs.REFERENCES}
    events = specs.clean_many(specs.EVENT, [e or {} for _, _, e in rows], _resolve) if name == "right" else None
    problems: list[FieldProblem] = []
    records, first_events, keys = [], [] if name == "right" else None, {}
    for i, ((row, _, event), (values, found)) in enumerate(zip(rows, cleaned)):
        found += _value_invariants(name, values)
        if not found:
            try:
                _check_write(actor, name, division=values.get("division"), values=values)
            except Forbidden as exc:
                found.append(FieldProblem("division", exc.zh, exc.en))
        if name == "right":
            first, event_problems = _first_event(event, *events[i])
            found += event_problems
        key = values.get(ent.natural_key)
        if key:
            if key in keys:
                found.append(
                    FieldProblem(
                        ent.natural_key, f"文件内重复的{key}（第{keys[key]}行）", f"{key} repeats row {keys[key]}"
                    )
                )
            keys.setdefault(key, row)
        if found:
            problems += [FieldProblem(p.field, p.zh, p.en, row=row) for p in found]
            continue
        _derive(name, values)
        cols = {}
        for k, v in _to_columns(name, {k: v for k, v in values.items() if k != geom_field}).items():
            if k in references:  # a resolved reference, or none: every row fills the same columns
                cols[k + "_id"] = None if v is None else v.pk
            else:
                cols[k] = v
        if geom_field:
            cols.update(geom_columns[i], area_km2=areas[i])
        if name == "right":
            cols["status"] = lifecycle.state_after([first["kind"]])
            first_events.append(first)
        records.append(cols)
    taken = _existing_keys(ent, list(keys))
    problems += [FieldProblem(p.field, p.zh, p.en, row=keys[k]) for k, p in ((k, _key_exists(ent, k)) for k in taken)]
    if problems:
        raise InvalidInput(sorted(problems, key=lambda p: p.row or 0))
    return Prepared(name, actor, records, first_events)


def _references(ent: Entity, datas: list[dict]) -> dict[str, dict]:
    """The records the rows refer to (divisions, enterprises, zones, facilities), fetched in one query
    per kind."""
    found: dict[str, dict] = {}
    for f in ent.specs:
        model = {"division": Division, "enterprise": Enterprise, "zone": Zone, "facility": Facility}.get(f.type)
        if model is None:
            continue
        keys = {str(_ref(d[f.name])).strip() for d in datas if d.get(f.name) not in (None, "")}
        keys = [k for k in keys if f.type == "division" or k.isdigit()]
        found.setdefault(f.type, {}).update({str(k): v for k, v in model.objects.in_bulk(keys).items()})
    return found


def _first_event(raw: dict | None, values: dict, problems: list[FieldProblem]) -> tuple[dict, list[FieldProblem]]:
    """The first life-cycle event of an imported right (`raw` cleaned into `values`, `problems`),
    checked as `add_event` checks it."""
    if not raw:
        return {}, [
            FieldProblem(
                "event_kind", "缺少首个事项（applied 或 granted）", "the first event (applied or granted) is missing"
            )
        ]
    problems = list(problems)  # unknown keys included: a first event carries no changes
    if not problems:
        p = lifecycle.check_transition(None, values["kind"])
        problems += [p] if p else []
    event = {
        "kind": values.get("kind"),
        "date": values.get("date"),
        "reason": values.get("reason", ""),
        "document_ref": values.get("document_ref", ""),
        "payload": {},
    }
    return event, [FieldProblem("event_" + p.field, p.zh, p.en) for p in problems]


def _existing_keys(ent: Entity, keys: list) -> set:
    found: set = set()
    for start in range(0, len(keys), 900):  # SQLite's limit on variables per statement
        part = keys[start : start + 900]
        found.update(
            ent.model.objects.filter(**{f"{ent.natural_key}__in": part}).values_list(ent.natural_key, flat=True)
        )
    return found


def existing_keys(name: str, keys: list) -> dict:
    """Which of these natural keys are taken: key → None when registered, or the id of the import
    batch still writing it."""
    ent = entity(name)
    pending = set(bulk.pending_batches())
    found: dict = {}
    for start in range(0, len(keys), 900):  # SQLite's limit on variables per statement
        part = ent.model.objects.filter(**{f"{ent.natural_key}__in": keys[start : start + 900]})
        for key, batch in part.values_list(ent.natural_key, "import_batch_id"):
            found[key] = batch if batch in pending else None
    return found


def create_many(prepared: Prepared, *, source: str = "", progress=None, chunk: int = bulk.CHUNK) -> ImportBatch:
    """Write prepared records as one import batch: short transactions of `chunk` records, each with
    its audit entries (one `create` per record; for a right, its state after the first event, which
    is recorded too); invisible until all are written; all rolled back if any chunk fails."""
    ent = entity(prepared.name)
    return bulk.write(
        prepared.actor,
        prepared.name,
        ent.model,
        prepared.records,
        prepared.first_events,
        snapshot,
        snapshot_columns,
        source=source,
        chunk=chunk,
        progress=progress,
    )


def recover_stale_imports(actor: Actor) -> list[int]:
    """Roll back imports whose process died mid-way (left `running` and silent); their ids."""
    done = []
    for batch in bulk.stale_batches():
        bulk.rollback(
            actor, batch, entity(batch.entity).model, snapshot, problem="stale: the importing process stopped"
        )
        done.append(batch.pk)
    return done


# ---------------------------------------------------------------- mineral-right life cycle


def add_event(actor: Actor, right_pk, data: dict, version) -> MineralRight:
    """Record a life-cycle event. Some events carry changes: renewed → new `valid_to`; transferred →
    new `holder`; reduced → new (smaller) `boundary`; merged → `into` licence number."""
    _require_staff_for_rights(actor)
    right = get(actor, "right", right_pk)
    _check_write(actor, "right", obj=right)
    data = dict(data or {})
    payload_keys = {"valid_to", "holder", "boundary", "into"}
    payload_raw = {k: data.pop(k) for k in list(data) if k in payload_keys}
    values, problems = specs.clean(specs.EVENT, data, _resolve)
    if problems:
        raise InvalidInput(problems)
    kinds = list(right.events.order_by("seq").values_list("kind", flat=True))
    state = lifecycle.state_after(kinds)
    p = lifecycle.check_transition(state, values["kind"])
    if p:
        raise InvalidInput([p])
    last = right.events.order_by("-seq").first()
    if last and values["date"] < last.date:
        raise InvalidInput(
            [
                FieldProblem(
                    "date",
                    f"日期不得早于上一事项（{last.date}）",
                    f"the date must not be before the previous event ({last.date})",
                )
            ]
        )
    changes, payload = _event_changes(right, values["kind"], payload_raw)
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise InvalidInput([FieldProblem("version", "缺少版本号", "the version is required")]) from None
    with transaction.atomic():
        RightEvent.objects.create(
            right=right,
            seq=len(kinds) + 1,
            kind=values["kind"],
            date=values["date"],
            actor=actor.username,
            reason=values.get("reason", ""),
            document_ref=values.get("document_ref", ""),
            payload=payload,
        )
        changes["status"] = lifecycle.state_after(kinds + [values["kind"]])
        right = _save(actor, "right", right, changes, version, f"event:{values['kind']}")
    return right


def _event_changes(right: MineralRight, kind: str, raw: dict) -> tuple[dict, dict]:
    """Validate what an event changes; return (columns to write, payload to keep on the event)."""
    need = {"renewed": "valid_to", "transferred": "holder", "reduced": "boundary", "merged": "into"}.get(kind)
    extra = set(raw) - {need}
    if extra:
        raise InvalidInput(
            [FieldProblem(k, f"「{kind}」事项不带此项", f"a '{kind}' event does not take '{k}'") for k in sorted(extra)]
        )
    if need is None:
        return {}, {}
    if raw.get(need) in (None, ""):
        zh = {
            "valid_to": "延续须给出新的有效期止",
            "holder": "转让须给出受让人",
            "boundary": "缩减须给出缩减后的边界",
            "into": "合并须给出合并入的许可证号",
        }[need]
        raise InvalidInput([FieldProblem(need, zh, f"a '{kind}' event needs '{need}'")])
    if kind == "renewed":
        spec = specs.by_name(specs.RIGHT)["valid_to"]
        v, p = specs._one(spec, raw[need], None)
        if p:
            raise InvalidInput([p])
        if v <= right.valid_to:
            raise InvalidInput(
                [
                    FieldProblem(
                        "valid_to",
                        "延续后的有效期止必须晚于原有效期止",
                        "the renewed validity end must be after the current one",
                    )
                ]
            )
        return {"valid_to": v}, {"valid_to": [right.valid_to.isoformat(), v.isoformat()]}
    if kind == "transferred":
        holder = Enterprise.objects.filter(pk=_ref(raw[need])).first()
        if holder is None or holder.pk == right.holder_id:
            raise InvalidInput(
                [
                    FieldProblem(
                        "holder",
                        "受让人不存在或与原权利人相同",
                        "the transferee does not exist or is the current holder",
                    )
                ]
            )
        return {"holder_id": holder.pk}, {"holder": [right.holder_id, holder.pk]}
    if kind == "reduced":
        geom, p = geometry.parse(raw[need])
        if p:
            raise InvalidInput([p])
        old = geometry.load(right.boundary)
        if old is not None and not old.buffer(1e-9).contains(geom):
            raise InvalidInput(
                [
                    FieldProblem(
                        "boundary",
                        "缩减后的边界必须位于原边界之内",
                        "the reduced boundary must lie within the current boundary",
                    )
                ]
            )
        cols = {**geometry.columns(geom), "area_km2": geometry.ellipsoidal_area_km2(geom)}
        return cols, {"area_km2": [float(right.area_km2) if right.area_km2 is not None else None, cols["area_km2"]]}
    into = MineralRight.objects.filter(licence_no=str(raw[need]).strip()).exclude(pk=right.pk).first()
    if into is None:
        raise InvalidInput([FieldProblem("into", "合并入的许可证号不存在", "the right merged into does not exist")])
    return {}, {"into": into.licence_no}


def divisions(level: str | None = None, parent: str | None = None) -> QuerySet:
    qs = Division.objects.all()
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    return qs


# ---------------------------------------------------------------- searching

SEARCH_FIELDS = {
    "enterprise": ["name", "credit_code"],
    "facility": ["name", "name_en", "external_id"],
    "right": ["licence_no", "name", "holder__name"],
    "zone": ["code", "name"],
}


def search(
    actor: Actor,
    name: str,
    *,
    q: str = "",
    division: str = "",
    kind: str = "",
    status: str = "",
    mineral: str = "",
    holder: str = "",
    bbox: str = "",
) -> QuerySet:
    """The list filters shared by the API and the portal, applied inside the actor's scope."""
    qs = scoped(actor, name)
    if q:
        cond = Q()
        for f in SEARCH_FIELDS[name]:
            cond |= Q(**{f"{f}__icontains": q.strip()})
        qs = qs.filter(cond)
    if division:
        from kuangzheng.access.actor import division_prefix

        qs = qs.filter(division__code__startswith=division_prefix(division.strip()))
    if kind and name != "enterprise":
        qs = qs.filter(kind=kind)
    if status and name in ("facility", "right"):
        qs = qs.filter(status=status)
    if mineral and name != "enterprise":
        field = "metals" if name == "facility" else "minerals"
        qs = qs.filter(**{f"{field}__icontains": mineral.strip()})  # JSON list stored as text; substring match
    if holder and name == "right":
        qs = qs.filter(holder_id=_whole_number(holder, "holder", "持有人", "holder"))
    if bbox and name in ("right", "zone"):
        x0, y0, x1, y1 = parse_bbox(bbox)
        qs = qs.filter(max_lon__gte=x0, min_lon__lte=x1, max_lat__gte=y0, min_lat__lte=y1)
    if bbox and name == "facility":
        x0, y0, x1, y1 = parse_bbox(bbox)
        qs = qs.filter(lon__gte=x0, lon__lte=x1, lat__gte=y0, lat__lte=y1)
    related = {"right": ["holder", "division"], "facility": ["enterprise", "division"]}.get(name, ["division"])
    return qs.select_related(*related)


def _whole_number(raw: str, field: str, zh: str, en: str) -> int:
    try:
        return int(str(raw).strip())
    except ValueError:
        raise InvalidInput(
            [
                FieldProblem(
                    field, f"「{zh}」应为编号（整数）：{raw!r}", f"'{en}' must be an id (a whole number): {raw!r}"
                )
            ]
        ) from None


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    """min_lon,min_lat,max_lon,max_lat as four finite numbers."""
    try:
        box = tuple(float(v) for v in raw.split(","))
    except ValueError:
        box = ()
    if len(box) != 4 or not all(math.isfinite(v) for v in box):
        raise InvalidInput(
            [
                FieldProblem(
                    "bbox",
                    "bbox 应为四个数：最小经度,最小纬度,最大经度,最大纬度",
                    "bbox must be four numbers: min_lon,min_lat,max_lon,max_lat",
                )
            ]
        )
    return box


def feature(actor: Actor, name: str, obj) -> dict:
    """A GeoJSON feature of a spatial record (rights and zones by boundary, facilities by point)."""
    return features(actor, name, [obj])[0]


def features(actor: Actor, name: str, records) -> list[dict]:
    """GeoJSON features of many spatial records (model instances or `light` rows), their boundaries
    converted together."""
    records = list(records)
    if name == "facility":
        geoms = [{"type": "Point", "coordinates": [r.lon, r.lat]} if r.lon is not None else None for r in records]
    else:
        geoms = geometry.to_geojson_many([r.boundary for r in records])
    return [
        {"type": "Feature", "id": r.pk, "geometry": g, "properties": serialize(actor, name, r)}
        for r, g in zip(records, geoms, strict=True)
    ]


class _Row:
    """A record read as plain values, with the attributes `serialize` and `features` read of a model
    instance; a related record is reduced to the one name they show of it."""

    def __init__(self, values: dict, related: dict[str, tuple[str, str]]):
        self.__dict__.update(values)
        self.pk = values["id"]
        for attr, (column, field) in related.items():
            setattr(self, attr, SimpleNamespace(**{field: values[column]}))


# the related names `serialize` shows: attribute -> (the joined column, the field it stands for)
_LIGHT_RELATED = {
    "right": {"holder": ("holder__name", "name"), "division": ("division__name_zh", "name_zh")},
    "facility": {"enterprise": ("enterprise__name", "name"), "division": ("division__name_zh", "name_zh")},
    "zone": {"division": ("division__name_zh", "name_zh")},
}


def _light_columns(name: str) -> list[str]:
    columns = ["id", "version", "is_generated", "source", "division_id"]
    columns += [f.name + "_id" if f.type in specs.REFERENCES else f.name for f in entity(name).specs]
    if name in ("right", "zone"):
        columns += ["area_km2", "min_lon", "min_lat", "max_lon", "max_lat"]
    if name == "right":
        columns.append("status")
    columns += [column for column, _ in _LIGHT_RELATED[name].values()]
    return list(dict.fromkeys(columns))


def light(name: str, qs: QuerySet) -> list:
    """The records of `qs` (a query of `scoped` records, sliced or not) read as plain values: what
    `serialize` and `features` read, without model instances and without whole related rows (a
    division's row carries its boundary). For pages of many records, e.g. the OGC API's."""
    related = _LIGHT_RELATED[name]
    return [_Row(values, related) for values in qs.values(*_light_columns(name))]


_ID_MARKER = -(10**15)  # ids are positive: no real parameter is one of these
_COMPILED_IDS = 1024  # more ids: compiling is a small part of reading them (and a long SQL text to keep)


@lru_cache(maxsize=16)
def _id_names(size: int) -> tuple[str, ...]:
    return tuple(f"id{i}" for i in range(size))


def light_by_ids(actor: Actor, name: str, ids: list[int]) -> list:
    """`light` of the records with these ids that `actor` may see, in id order: up to _COMPILED_IDS
    ids, the query compiled once per caller scope and number of ids (rounded up to a power of two,
    the rest padded)."""
    if not ids:
        return []
    query = None
    if len(ids) <= _COMPILED_IDS:
        size = 1 << (len(ids) - 1).bit_length()
        names = _id_names(size)

        def build():
            markers = dict(zip(names, range(_ID_MARKER, _ID_MARKER - size, -1), strict=True))
            qs = scoped(actor, name).filter(pk__in=list(markers.values())).order_by("pk")
            return qs.values(*_light_columns(name)), markers

        query = compiled(("light", name, *scope_key(actor), size), build)
    if query is None:
        return light(name, scoped(actor, name).filter(pk__in=ids).order_by("pk"))
    padded = [*ids, *[ids[-1]] * (size - len(ids))]
    related = _LIGHT_RELATED[name]
    return [_Row(dict(zip(query.columns, row)), related) for row in query.rows(dict(zip(names, padded, strict=True)))]


# ---------------------------------------------------------------- reads for sweeps and checks (compliance)
# Unscoped, plain values: the compliance services decide who may start a sweep or a check and scope
# what they store and show.

SWEEP_MODELS = {"facility": Facility, "right": MineralRight, "zone": Zone}


def sweep_records(kind: str, fields: tuple[str, ...], *, bbox: tuple | None = None, ids=None) -> list[dict]:
    """Every facility, right or zone as a dict of the given values (ORM names, e.g. `division_id`);
    only those whose envelope (a facility's point) meets `bbox` (min_lon, min_lat, max_lon, max_lat,
    edges included), or with these `ids`, when given."""
    qs = _finished(SWEEP_MODELS[kind].objects.all())
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if bbox is not None:
        # unordered: ordered by the licence number, SQLite walks that index (every row) instead of the
        # bounding-box index
        qs = qs.order_by()
        x0, y0, x1, y1 = bbox
        if kind == "facility":
            qs = qs.filter(lon__gte=x0, lon__lte=x1, lat__gte=y0, lat__lte=y1)
        else:
            qs = qs.filter(max_lon__gte=x0, min_lon__lte=x1, max_lat__gte=y0, min_lat__lte=y1)
    return list(qs.values(*fields))


def first_transfers(ids=None) -> dict[int, dt.date]:
    """Each transferred right's first transfer date, by right id (of these rights, when given)."""
    qs = RightEvent.objects.filter(kind="transferred")
    if ids is not None:
        qs = qs.filter(right_id__in=list(ids))
    return dict(qs.values("right_id").annotate(d=Min("date")).values_list("right_id", "d"))


def industrial_park_id(code: str) -> int | None:
    """The id of the industrial-park zone with this code, if there is one."""
    return Zone.objects.filter(code=code, kind="industrial_park").values_list("pk", flat=True).first()


def right_boundary(licence_no: str) -> bytes | None:
    """The stored boundary (WKB) of the right with this licence number, if it has one."""
    found = MineralRight.objects.filter(licence_no=licence_no).values_list("boundary", flat=True).first()
    return bytes(found) if found else None
