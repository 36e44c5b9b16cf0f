"""The one way into the credit lists and the annual filings. Other domains call:

- `enter(actor, list_key, enterprise_id, reason, detail_zh=…, source="supervision.Case:42")`: a
  regulator's decision puts a holder on a list now (audited, announced on the notice board);
- `propose(...)`: the same, waiting for a regulator's `confirm` (the daily check proposes the abnormal
  list for a missing annual filing; supervision may propose from a case);
- `remove(actor, entry_id, kind, reason_zh, …)`: removal on repair, revocation, or rejection of a proposal;
- `standing(enterprise_id, on=date)`: the entries a holder stands on at a date (what applications consult);
- `due_alerts(today)`: the daily credit work — ends the entries whose term is over (removing or
  escalating them), proposes abnormal-list entries for missing filings, and returns the alerts.

Scopes: administrators act everywhere, regulators on holders inside their division; an enterprise
files its own annual information and asks for its own removal; the public reads current entries.
Nothing is deleted: removals and rejections stay in the history, and every step is audited in the
transaction that makes it."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from kuangzheng.access.actor import SYSTEM_ACTOR, Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, Forbidden, InvalidInput, NotFound, StaleVersion
from kuangzheng.registry import services as registry

from . import notice
from .core import rules
from .models import LISTED, PROPOSED, REMOVED, AnnualFiling, ListEntry

ENTITY = "credit.ListEntry"
FILING = "credit.AnnualFiling"
LIVE_RIGHTS = ("valid", "suspended")


def current_date() -> dt.date:
    return timezone.localdate()


# --- reading ----------------------------------------------------------------------------------


def snapshot(e: ListEntry) -> dict:
    return {
        f: getattr(e, f)
        for f in (
            "list_key",
            "enterprise_id",
            "division",
            "status",
            "version",
            "reason",
            "detail_zh",
            "detail_en",
            "basis",
            "source",
            "info_year",
            "decided_by",
            "entered_on",
            "last_day",
            "removal_requested",
            "removed_on",
            "removal_kind",
            "removal_reason_zh",
            "removal_reason_en",
            "removed_by",
            "followed_by_id",
        )
    }


def _standing_q(on: dt.date) -> Q:
    """Entries in force on `on`: confirmed, entered by then, not removed by then, term not over."""
    return (
        Q(status__in=(LISTED, REMOVED), entered_on__lte=on)
        & (Q(removed_on=None) | Q(removed_on__gt=on))
        & (Q(last_day=None) | Q(last_day__gte=on))
    )


def staff_sees(actor: Actor, e: ListEntry) -> bool:
    return actor.is_admin or (actor.is_regulator and actor.covers_division(e.division))


def visible(actor: Actor, on: dt.date | None = None) -> QuerySet:
    """The entries `actor` may read: the current entries (public), plus, for staff, every entry of
    their scope with its history, and for an enterprise its own entries."""
    on = on or current_date()
    qs = ListEntry.objects.select_related("enterprise")
    if actor.is_admin:
        return qs
    current = _standing_q(on)
    if actor.is_regulator:
        return qs.filter(current | Q(division__startswith=actor.scope_prefix))
    if actor.is_enterprise and actor.enterprise_id:
        return qs.filter(current | Q(enterprise_id=actor.enterprise_id))
    return qs.filter(current)


def entries(
    actor: Actor, *, list_key: str = "", division: str = "", status: str = "", on: dt.date | None = None
) -> QuerySet:
    qs = visible(actor, on)
    if list_key:
        qs = qs.filter(list_key=list_key)
    if division:
        qs = qs.filter(division__startswith=division.rstrip("0") or division)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-entered_on", "-pk")


def get(actor: Actor, pk, on: dt.date | None = None) -> ListEntry:
    try:
        return visible(actor, on).get(pk=pk)
    except (ListEntry.DoesNotExist, ValueError):
        raise NotFound("名单记录", "list entry") from None


def standing(enterprise_id: int, on: dt.date | None = None) -> list[dict]:
    """The entries `enterprise_id` stands on at `on` (default today), oldest first, each a dict with
    `id`, `list_key`, `list_zh`, `list_en`, `reason`, `reason_zh`, `reason_en`, `basis`, `entered_on`,
    `last_day` (None: no term), `source` — the public facts of the entry. Reads no scope: the lists
    are public. An empty list means the holder is on no list that day."""
    on = on or current_date()
    rows = ListEntry.objects.filter(_standing_q(on), enterprise_id=enterprise_id).order_by("entered_on", "pk")
    return [public(e) for e in rows]


def public(e: ListEntry) -> dict:
    d = rules.list_def(e.list_key) or {}
    r = rules.reason_def(e.list_key, e.reason) or {}
    return {
        "id": e.pk,
        "list_key": e.list_key,
        "list_zh": d.get("zh", e.list_key),
        "list_en": d.get("en", e.list_key),
        "enterprise_id": e.enterprise_id,
        "enterprise": e.enterprise.name,
        "credit_code": e.enterprise.credit_code or "",
        "division": e.division,
        "reason": e.reason,
        "reason_zh": r.get("zh", e.reason),
        "reason_en": r.get("en", e.reason),
        "detail_zh": e.detail_zh,
        "detail_en": e.detail_en,
        "basis": e.basis,
        "source": e.source,
        "entered_on": e.entered_on.isoformat() if e.entered_on else None,
        "last_day": e.last_day.isoformat() if e.last_day else None,
        "leaves_on": rules.leaves_on(e.last_day).isoformat() if e.last_day else None,
    }


def serialize(actor: Actor, e: ListEntry) -> dict:
    """The public facts, plus status and removal history for those who see the whole entry."""
    d = public(e)
    full = staff_sees(actor, e) or (actor.is_enterprise and actor.enterprise_id == e.enterprise_id)
    if full:
        kind = rules.removal_kinds().get(e.removal_kind, {})
        d.update(
            status=e.status,
            version=e.version,
            info_year=e.info_year,
            proposed_by=e.proposed_by,
            proposed_at=e.proposed_at.isoformat(),
            decided_by=e.decided_by,
            removal_requested=e.removal_requested,
            removed_on=e.removed_on.isoformat() if e.removed_on else None,
            removal_kind=e.removal_kind,
            removal_kind_zh=kind.get("zh", ""),
            removal_kind_en=kind.get("en", ""),
            removal_reason_zh=e.removal_reason_zh,
            removal_reason_en=e.removal_reason_en,
            removed_by=e.removed_by,
            followed_by=e.followed_by_id,
        )
    return d


# --- entering ---------------------------------------------------------------------------------


def _enterprise(actor: Actor, enterprise_id):
    """The holder, inside the actor's scope (outside it: 404, as the registry answers)."""
    try:
        return registry.get(actor, "enterprise", int(enterprise_id))
    except (TypeError, ValueError):
        raise InvalidInput(
            [FieldProblem("enterprise", "企业编号应为整数", "the enterprise id must be a whole number")]
        ) from None


def _date(value, field: str, problems: list[FieldProblem]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(FieldProblem(field, "日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD"))
        return None


def _check_entry(list_key, reason, detail_zh, entered_on, on) -> list[FieldProblem]:
    problems = []
    if rules.list_def(list_key) is None:
        problems.append(
            FieldProblem(
                "list", f"未知名单「{list_key}」，可选：{'、'.join(rules.lists())}", f"unknown list '{list_key}'"
            )
        )
    elif rules.reason_def(list_key, reason) is None:
        keys = ", ".join(r["key"] for r in rules.list_def(list_key)["reasons"])
        problems.append(
            FieldProblem(
                "reason",
                f"「{reason}」不是该名单的列入事由，可选：{keys}",
                f"'{reason}' is not a reason for this list; one of: {keys}",
            )
        )
    if not str(detail_zh or "").strip():
        problems.append(
            FieldProblem("detail_zh", "须写明列入的事实与理由", "the facts and reasons of the entry are required")
        )
    if len(str(detail_zh or "")) > 4000:
        problems.append(FieldProblem("detail_zh", "事实与理由过长（至多4000字）", "the facts and reasons are too long"))
    if entered_on and entered_on > on:
        problems.append(
            FieldProblem("entered_on", "列入日期不能晚于今天", "the date of entry cannot be later than today")
        )
    return problems


def _basis(list_key: str, reason: str, basis: str) -> str:
    if basis and basis.strip():
        return basis.strip()
    return f"{rules.reason_def(list_key, reason)['source']}"


def _new_entry(
    actor: Actor,
    list_key: str,
    enterprise_id,
    reason: str,
    *,
    detail_zh: str,
    detail_en: str,
    basis: str,
    source: str,
    entered_on,
    on: dt.date | None,
    propose_only: bool,
    info_year: int | None = None,
) -> ListEntry:
    actor.require_staff()
    on = on or current_date()
    problems: list[FieldProblem] = []
    entered = _date(entered_on, "entered_on", problems) or on
    ent = _enterprise(actor, enterprise_id)
    problems += _check_entry(list_key, reason, detail_zh, entered, on)
    if problems:
        raise InvalidInput(problems)
    if not propose_only:
        _not_listed_already(ent.pk, list_key, entered)
    e = ListEntry(
        list_key=list_key,
        enterprise_id=ent.pk,
        division=ent.division_id,
        reason=reason,
        detail_zh=str(detail_zh).strip(),
        detail_en=str(detail_en or "").strip(),
        basis=_basis(list_key, reason, basis),
        source=str(source or "")[:120],
        info_year=info_year,
        proposed_by=actor.username,
    )
    with transaction.atomic():
        if propose_only:
            e.save()
            audit.record(actor, "credit-propose", ENTITY, e.pk, None, snapshot(e))
        else:
            _list(e, actor, entered)
            _save_listed(e, lambda: e.save())
            audit.record(actor, "credit-enter", ENTITY, e.pk, None, snapshot(e))
            notice.entered(actor, e)
    return e


def _save_listed(e: ListEntry, save) -> None:
    """Save an entry that is now listed; a concurrent listing of the same holder on the same list (both
    past `_not_listed_already`) meets the database's constraint and gets the same refusal."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        _not_listed_already(e.enterprise_id, e.list_key, e.entered_on)
        raise InvalidInput(
            [FieldProblem("list", "该企业已列入此名单", "the enterprise is already on this list")]
        ) from None


def _not_listed_already(enterprise_id: int, list_key: str, on: dt.date) -> None:
    dup = ListEntry.objects.filter(_standing_q(on), enterprise_id=enterprise_id, list_key=list_key).first()
    if dup:
        raise InvalidInput(
            [
                FieldProblem(
                    "list",
                    f"该企业已于 {dup.entered_on} 列入此名单（记录 {dup.pk}）",
                    f"the enterprise is on this list since {dup.entered_on} (entry {dup.pk})",
                )
            ]
        )


def _list(e: ListEntry, actor: Actor, entered: dt.date) -> None:
    e.status = LISTED
    e.decided_by = actor.username
    e.entered_on = entered
    e.last_day = rules.term_last_day(e.list_key, entered)


def enter(
    actor: Actor,
    list_key: str,
    enterprise_id: int,
    reason: str,
    *,
    detail_zh: str,
    detail_en: str = "",
    basis: str = "",
    source: str = "",
    entered_on: dt.date | str | None = None,
    today: dt.date | None = None,
) -> ListEntry:
    """Put a holder on a list by a regulator's decision, effective `entered_on` (default today).

    `list_key` is a key of core/lists.yaml (abnormal, serious_dishonesty, exploration_blacklist,
    geodata_blacklist, three_rate_negative); `reason` one of that list's reason keys; `detail_zh` the
    facts and reasons (required); `basis` the legal basis (default: the reason's source); `source` the
    record that caused it, as "<app_label>.<Model>:<pk>". The term's last day follows from the list's
    term. Raises InvalidInput (fields named, zh + en), Forbidden (not staff), NotFound (holder outside
    scope). Audited and announced on the notice board in the same transaction."""
    return _new_entry(
        actor,
        list_key,
        enterprise_id,
        reason,
        detail_zh=detail_zh,
        detail_en=detail_en,
        basis=basis,
        source=source,
        entered_on=entered_on,
        on=today,
        propose_only=False,
    )


def propose(
    actor: Actor,
    list_key: str,
    enterprise_id: int,
    reason: str,
    *,
    detail_zh: str,
    detail_en: str = "",
    basis: str = "",
    source: str = "",
    today: dt.date | None = None,
) -> ListEntry:
    """Like `enter`, but the entry waits (status "proposed") until a regulator confirms or rejects it.
    A proposal is not public and does not affect the holder's standing."""
    return _new_entry(
        actor,
        list_key,
        enterprise_id,
        reason,
        detail_zh=detail_zh,
        detail_en=detail_en,
        basis=basis,
        source=source,
        entered_on=None,
        on=today,
        propose_only=True,
    )


def _locked(actor: Actor, pk, version) -> ListEntry:
    actor.require_staff()
    e = get(actor, pk)
    if not staff_sees(actor, e):
        raise NotFound("名单记录", "list entry")
    e = ListEntry.objects.select_for_update().select_related("enterprise").get(pk=e.pk)
    if version not in (None, "") and int(version) != e.version:
        raise StaleVersion(e.version, int(version))
    return e


def _save(actor: Actor, e: ListEntry, action: str, before: dict) -> ListEntry:
    e.version += 1
    e.save()
    audit.record(actor, action, ENTITY, e.pk, before, snapshot(e))
    return e


def confirm(actor: Actor, pk: int, *, version=None, entered_on=None, today: dt.date | None = None) -> ListEntry:
    """A regulator confirms a proposal: the entry is in force from `entered_on` (default today)."""
    on = today or current_date()
    problems: list[FieldProblem] = []
    entered = _date(entered_on, "entered_on", problems) or on
    if entered > on:
        problems.append(
            FieldProblem("entered_on", "列入日期不能晚于今天", "the date of entry cannot be later than today")
        )
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        e = _locked(actor, pk, version)
        if e.status != PROPOSED:
            raise InvalidInput(
                [FieldProblem("status", "只能确认拟列入的记录", "only a proposed entry can be confirmed")]
            )
        _not_listed_already(e.enterprise_id, e.list_key, entered)
        before = snapshot(e)
        _list(e, actor, entered)
        _save_listed(e, lambda: _save(actor, e, "credit-confirm", before))
        notice.entered(actor, e)
    return e


def remove(
    actor: Actor,
    pk: int,
    kind: str,
    reason_zh: str,
    reason_en: str = "",
    *,
    version=None,
    today: dt.date | None = None,
) -> ListEntry:
    """Take an entry off its list, by a regulator, with a written reason. `kind`:
    "repair" (信用修复: the cause is cured; refused where the list allows no early removal),
    "revoked" (entered in error), or "rejected" (a proposal not confirmed). The entry stays in the
    history; its notice is withdrawn and a removal notice published."""
    on = today or current_date()
    problems = []
    if kind not in ("repair", "revoked", "rejected"):
        problems.append(
            FieldProblem("kind", "移出方式应为 repair、revoked 或 rejected", "kind must be repair, revoked or rejected")
        )
    if not str(reason_zh or "").strip():
        problems.append(FieldProblem("reason_zh", "须写明移出理由", "the reason for removal is required"))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        e = _locked(actor, pk, version)
        if kind == "rejected" and e.status != PROPOSED:
            raise InvalidInput(
                [FieldProblem("kind", "只有拟列入的记录可不予确认", "only a proposed entry can be rejected")]
            )
        if kind != "rejected" and (e.status != LISTED or e.removed_on):
            raise InvalidInput([FieldProblem("status", "该记录不在名单上", "the entry is not on the list")])
        if kind == "repair" and rules.list_def(e.list_key)["removal_on_repair"].get("allowed", True) is False:
            d = rules.list_def(e.list_key)["removal_on_repair"]
            raise InvalidInput([FieldProblem("kind", d["zh"], d["en"])])
        before = snapshot(e)
        _end(e, actor, kind, on, str(reason_zh).strip(), str(reason_en or "").strip())
        _save(actor, e, "credit-remove", before)
        if kind != "rejected":
            notice.removed(actor, e)
    return e


def _end(e: ListEntry, actor: Actor, kind: str, on: dt.date, zh: str, en: str) -> None:
    e.status = REMOVED
    e.removed_on = on
    e.removal_kind = kind
    e.removal_reason_zh, e.removal_reason_en = zh, en
    e.removed_by = actor.username


def request_removal(actor: Actor, pk: int, text: str) -> ListEntry:
    """The listed enterprise asks for removal (after repairing the cause); a regulator verifies it."""
    if not actor.is_enterprise:
        raise Forbidden("仅被列入的企业可申请移出", "Only the listed enterprise may ask for removal")
    if not str(text or "").strip():
        raise InvalidInput(
            [FieldProblem("text", "须说明已履行的义务或整改情况", "say what was done to repair the cause")]
        )
    with transaction.atomic():
        e = get(actor, pk)
        if e.enterprise_id != actor.enterprise_id:
            raise NotFound("名单记录", "list entry")
        e = ListEntry.objects.select_for_update().get(pk=e.pk)
        if e.status != LISTED:
            raise InvalidInput([FieldProblem("status", "该记录不在名单上", "the entry is not on the list")])
        before = snapshot(e)
        e.removal_requested = str(text).strip()[:4000]
        return _save(actor, e, "credit-removal-request", before)


# --- the daily work ---------------------------------------------------------------------------


def expire(on: dt.date, actor: Actor = SYSTEM_ACTOR) -> list[ListEntry]:
    """End every entry whose term is over on `on`: removed from the list the day after its last day,
    or (the abnormal list) escalated: removed and proposed for the list it escalates to."""
    ended = []
    due = ListEntry.objects.filter(status=LISTED, removed_on=None, last_day__lt=on).select_related("enterprise")
    for e in due:
        d = rules.list_def(e.list_key)
        with transaction.atomic():
            before = snapshot(e)
            leaves = rules.leaves_on(e.last_day)
            if d["at_term_end"] == "escalate":
                nxt = _escalation(actor, e, d, on)
                _end(e, actor, "escalated", leaves, rules.removal_kinds()["escalated"]["zh"], "")
                e.followed_by = nxt
            else:
                _end(e, actor, "term", leaves, rules.removal_kinds()["term"]["zh"], "")
            _save(actor, e, "credit-term-end", before)
            notice.removed(actor, e)
        ended.append(e)
    return ended


def _escalation(actor: Actor, e: ListEntry, d: dict, on: dt.date) -> ListEntry:
    target = d["escalate_to"]
    reason = rules.lists()[target]["reasons"][0]
    nxt = ListEntry(
        list_key=target,
        enterprise_id=e.enterprise_id,
        division=e.division,
        reason=reason["key"],
        detail_zh=f"列入{d['zh']}（记录 {e.pk}，{e.entered_on}）届满仍未移出",
        detail_en=f"on the {d['en']} (entry {e.pk}, {e.entered_on}) to the end of its term",
        basis=reason["source"],
        source=f"{ENTITY}:{e.pk}",
        proposed_by=actor.username,
    )
    nxt.save()
    audit.record(actor, "credit-propose", ENTITY, nxt.pk, None, snapshot(nxt))
    return nxt


def obliged_holders() -> dict[int, str]:
    """Holders of live rights (矿业权人) who file annual information: enterprise id → division code."""
    rows = registry.records("right").filter(status__in=LIVE_RIGHTS).values_list("holder_id", "holder__division_id")
    return dict(rows)


def _propose_missing(info_year: int, holders: dict[int, str], on: dt.date) -> list[ListEntry]:
    filed = set(AnnualFiling.objects.filter(info_year=info_year).values_list("enterprise_id", flat=True))
    proposed = set(
        ListEntry.objects.filter(reason="annual_filing_missing", info_year=info_year).values_list(
            "enterprise_id", flat=True
        )
    )
    reason = rules.reason_def("abnormal", "annual_filing_missing")
    due = rules.filing_due(info_year)
    made = [
        ListEntry(
            list_key="abnormal",
            enterprise_id=ent_id,
            division=division,
            reason="annual_filing_missing",
            detail_zh=f"{info_year}年度勘查开采信息未在 {due} 前公示",
            detail_en=f"the {info_year} exploration and mining information was not filed by {due}",
            basis=reason["source"],
            source=f"registry.Enterprise:{ent_id}",
            info_year=info_year,
            proposed_by=SYSTEM_ACTOR.username,
        )
        for ent_id, division in sorted(holders.items())
        if ent_id not in filed and ent_id not in proposed
    ]
    if not made:
        return []
    try:  # one statement and one audit append for the lot: the daily run may propose thousands
        with transaction.atomic():
            ListEntry.objects.bulk_create(made, batch_size=2000)
            if made[0].pk is None:  # a backend that returns no ids: read them back
                ids = dict(
                    ListEntry.objects.filter(reason="annual_filing_missing", info_year=info_year).values_list(
                        "enterprise_id", "pk"
                    )
                )
                for e in made:
                    e.pk = ids[e.enterprise_id]
            audit.record_many(SYSTEM_ACTOR, "credit-propose", ENTITY, [(e.pk, None, snapshot(e)) for e in made])
    except IntegrityError:
        return []  # another run proposed them first; the next run proposes what is still missing
    return made


def _alert(division: str, kind: str, subject: str, due: dt.date | None, zh: str, en: str) -> dict:
    return {"division": division, "kind": kind, "subject": subject, "due": due, "text_zh": zh, "text_en": en}


def due_alerts(today: dt.date) -> list[dict]:
    """The daily credit check at `today`; register it in the daily job. It writes, idempotently:
    entries whose term is over are ended (and abnormal-list entries escalated to a proposal for the
    serious-dishonesty list); holders of live rights who have not filed last year's information by
    its due date get a proposed abnormal-list entry (a regulator confirms or rejects it). It returns
    the alerts, each a dict with `division` (GB/T 2260 code), `kind`, `subject` ("credit.ListEntry:7"
    or "registry.Enterprise:3"), `due` (a date or None), `text_zh`, `text_en`. Kinds:
    credit_filing_due (due within the reminder period), credit_filing_missing (overdue, proposal made),
    credit_proposal_pending (a proposal waits for a regulator), credit_term_ending (abnormal list: 60
    days before three years), credit_term_ended (ended today by this run)."""
    alerts = []
    for e in expire(today):
        alerts.append(
            _alert(
                e.division,
                "credit_term_ended",
                f"{ENTITY}:{e.pk}",
                e.removed_on,
                f"{e.enterprise.name} 的{rules.list_def(e.list_key)['zh']}记录期满，已{rules.removal_kinds()[e.removal_kind]['zh']}",
                f"{e.enterprise.name}: {rules.list_def(e.list_key)['en']} entry ended at its term ({e.removal_kind})",
            )
        )
    info_year = today.year - 1
    due = rules.filing_due(info_year)
    holders = obliged_holders()
    if today > due:
        _propose_missing(info_year, holders, today)
    elif today >= rules.remind_from(info_year):
        filed = set(AnnualFiling.objects.filter(info_year=info_year).values_list("enterprise_id", flat=True))
        names = dict(registry.records("enterprise").filter(pk__in=holders).values_list("pk", "name"))
        for ent_id, division in sorted(holders.items()):
            if ent_id not in filed:
                alerts.append(
                    _alert(
                        division,
                        "credit_filing_due",
                        f"registry.Enterprise:{ent_id}",
                        due,
                        f"{names.get(ent_id, ent_id)} 应于 {due} 前公示{info_year}年度勘查开采信息",
                        f"{names.get(ent_id, ent_id)} must file its {info_year} information by {due}",
                    )
                )
    for e in ListEntry.objects.filter(status=PROPOSED).select_related("enterprise").order_by("pk"):
        missing = e.reason == "annual_filing_missing"
        alerts.append(
            _alert(
                e.division,
                "credit_filing_missing" if missing else "credit_proposal_pending",
                f"{ENTITY}:{e.pk}",
                rules.filing_due(e.info_year) if missing and e.info_year else None,
                f"{e.enterprise.name} 拟列入{rules.list_def(e.list_key)['zh']}：{e.detail_zh}，待确认",
                f"{e.enterprise.name} proposed for the {rules.list_def(e.list_key)['en']}: awaiting confirmation",
            )
        )
    warned = {
        k: d["warn_days_before_term_end"]["days"]
        for k, d in rules.lists().items()
        if d.get("warn_days_before_term_end")
    }
    ending = ListEntry.objects.filter(
        status=LISTED,
        removed_on=None,
        list_key__in=list(warned),
        last_day__gte=today,
        last_day__lt=today + dt.timedelta(days=max(warned.values(), default=0)),
    )  # only the entries inside a warning period are read, however long the lists
    for e in ending.select_related("enterprise"):
        start = rules.warn_from(e.list_key, e.last_day)
        if start is not None and today >= start:
            alerts.append(
                _alert(
                    e.division,
                    "credit_term_ending",
                    f"{ENTITY}:{e.pk}",
                    e.last_day,
                    f"{e.enterprise.name} 列入{rules.list_def(e.list_key)['zh']}将于 {e.last_day} 届满，届时仍未移出的将转入"
                    f"{rules.list_def(rules.list_def(e.list_key)['escalate_to'])['zh']}",
                    f"{e.enterprise.name}: the {rules.list_def(e.list_key)['en']} term ends on {e.last_day}",
                )
            )
    return alerts


# --- annual information filing ----------------------------------------------------------------


def _clean_filing(raw: dict) -> tuple[dict, list[FieldProblem]]:
    problems, out = [], {}
    fields = rules.filing()["fields"]
    known = {f["key"] for f in fields} | {"info_year"}
    for k in raw:
        if k not in known:
            problems.append(FieldProblem(k, f"未知字段「{k}」", f"unknown field '{k}'"))
    for f in fields:
        v = raw.get(f["key"])
        if v in (None, ""):
            if f["required"]:
                problems.append(FieldProblem(f["key"], f"{f['zh']}为必填项", f"{f['en']} is required"))
            continue
        if f["type"] == "number":
            try:
                num = float(v)
            except (TypeError, ValueError):
                problems.append(FieldProblem(f["key"], f"{f['zh']}应为数字", f"{f['en']} must be a number"))
                continue
            if not (num >= 0 and num < 1e12):
                problems.append(
                    FieldProblem(f["key"], f"{f['zh']}应为非负数", f"{f['en']} must be a non-negative number")
                )
                continue
            out[f["key"]] = num
        else:
            text = str(v).strip()
            if len(text) > 2000:
                problems.append(FieldProblem(f["key"], f"{f['zh']}过长（至多2000字）", f"{f['en']} is too long"))
            out[f["key"]] = text[:2000]
    return out, problems


def file_annual(actor: Actor, raw: dict, today: dt.date | None = None) -> AnnualFiling:
    """An enterprise files (公示) its annual information for `info_year` (default: last year). Once
    per year; a filing after the due date is marked late. A later filing does not remove an
    abnormal-list entry by itself: the enterprise asks for removal and a regulator verifies it."""
    on = today or current_date()
    if not (actor.is_enterprise and actor.enterprise_id):
        raise Forbidden("仅企业用户可公示本企业年度信息", "Only an enterprise user files its own annual information")
    raw = raw if isinstance(raw, dict) else {}
    data, problems = _clean_filing(raw)
    year = raw.get("info_year", on.year - 1)
    try:
        year = int(year)
    except (TypeError, ValueError):
        problems.append(FieldProblem("info_year", "信息年度应为整数", "info_year must be a whole number"))
        year = None
    if year is not None and not (1990 <= year < on.year):
        problems.append(
            FieldProblem(
                "info_year", "只能公示已结束年度的信息", "only the information of a finished year can be filed"
            )
        )
    if problems:
        raise InvalidInput(problems)
    ent = registry.get(SYSTEM_ACTOR, "enterprise", actor.enterprise_id)
    if AnnualFiling.objects.filter(enterprise_id=ent.pk, info_year=year).exists():
        raise InvalidInput(
            [FieldProblem("info_year", f"{year}年度信息已公示", f"the {year} information is already filed")]
        )
    f = AnnualFiling(
        enterprise_id=ent.pk,
        division=ent.division_id,
        info_year=year,
        filed_on=on,
        filed_by=actor.username,
        data=data,
        late=on > rules.filing_due(year),
    )
    try:
        with transaction.atomic():
            f.save()
            audit.record(actor, "credit-annual-filing", FILING, f.pk, None, filing_dict(f))
    except IntegrityError:
        raise InvalidInput(
            [FieldProblem("info_year", f"{year}年度信息已公示", f"the {year} information is already filed")]
        ) from None
    return f


def filing_dict(f: AnnualFiling) -> dict:
    return {
        "id": f.pk,
        "enterprise_id": f.enterprise_id,
        "division": f.division,
        "info_year": f.info_year,
        "filed_on": f.filed_on.isoformat() if isinstance(f.filed_on, dt.date) else f.filed_on,
        "filed_by": f.filed_by,
        "due": rules.filing_due(f.info_year).isoformat(),
        "late": f.late,
        "data": f.data,
    }


def filings(actor: Actor, info_year: int | None = None) -> QuerySet:
    """Annual filings are public information (公示): everyone reads them; filters by year."""
    qs = AnnualFiling.objects.select_related("enterprise").order_by("-info_year", "-pk")
    if info_year:
        qs = qs.filter(info_year=info_year)
    return qs


def application_verdicts(enterprise_id: int, application_kind: str, on: dt.date | None = None) -> dict:
    """The standing check an application records at filing: one verdict per entry the applicant
    stands on at `on`, with its effect on this kind of application ("block", "flag" or None, from
    the list's `bars` in lists.yaml) and the citation (the entry's basis and the bar's source).
    `blocking` holds the keys ("credit:<list>:<entry id>") a reviewer must override with a reason."""
    verdicts = []
    for e in standing(enterprise_id, on):
        effect = rules.effect(e["list_key"], application_kind)
        verdicts.append(
            {
                **e,
                "key": f"credit:{e['list_key']}:{e['id']}",
                "effect": effect,
                "blocking": effect == "block",
                "bar_source": rules.list_def(e["list_key"])["bars"]["source"],
            }
        )
    return {
        "checked": True,
        "as_of": (on or current_date()).isoformat(),
        "verdicts": verdicts,
        "blocking": [v["key"] for v in verdicts if v["blocking"]],
    }
