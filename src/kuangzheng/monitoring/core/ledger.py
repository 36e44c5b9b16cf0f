"""The electrolytic-aluminium capacity-replacement ledger (产能等量或减量置换), as pure rules.

A quota is created once, by retiring capacity (``retire``: credited to the enterprise that
retired it); it may be ``transfer``-red, in part or whole, between holders (enterprises, also
across provinces); and it is used up by ``consume``: a new project locks it. Amounts are whole
tonnes per year (t/a) so that balances are exact.

Invariants: every quota is retired once; no (quota, holder) balance is ever negative; for each
quota, retired = available (Σ balances) + consumed. Applying only movements that
``validate_movement`` accepts, one at a time against the current ledger, keeps them — the
database side serialises concurrent requests (row locks) and calls the same check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .columns import group
from .errors import MonitorInputError

KINDS = ("retire", "transfer", "consume")


@dataclass(frozen=True)
class Movement:
    id: str  # unique movement id (a request replayed with the same id is refused)
    kind: str  # "retire" | "transfer" | "consume"
    quota_id: str
    amount: int  # t/a, positive whole number
    holder: str  # retire: credited holder; transfer: from; consume: holder drawn on
    to_holder: str = ""  # transfer only
    project_id: str = ""  # consume only: the new project the capacity is locked to
    province: str = ""  # division code of ``holder`` (reporting of cross-province moves)
    to_province: str = ""  # transfer only


@dataclass(frozen=True)
class QuotaState:
    retired: int
    available: int  # Σ balances over holders
    consumed: int


def _columns(movements: Sequence[Movement]):
    """Signed balance entries: (quota, holder, delta) per effect, plus consumed per quota."""
    q, h, d = [], [], []
    for m in movements:
        sign_from = 1 if m.kind == "retire" else -1
        q.append(m.quota_id), h.append(m.holder), d.append(sign_from * m.amount)
        if m.kind == "transfer":
            q.append(m.quota_id), h.append(m.to_holder), d.append(m.amount)
    return np.array(q, object), np.array(h, object), np.array(d, np.int64)


def balances(movements: Sequence[Movement]) -> dict[tuple[str, str], int]:
    """Available balance per (quota id, holder)."""
    q, h, d = _columns(movements)
    if not len(d):
        return {}
    g = group(quota=q.astype(str), holder=h.astype(str))
    sums = np.bincount(g.ids, weights=d, minlength=g.count).round().astype(np.int64)
    return {(str(a), str(b)): int(s) for a, b, s in zip(g.keys["quota"], g.keys["holder"], sums)}


def quota_states(movements: Sequence[Movement]) -> dict[str, QuotaState]:
    """Retired, available and consumed capacity per quota."""
    out: dict[str, list[int]] = {}
    for m in movements:
        s = out.setdefault(m.quota_id, [0, 0, 0])
        if m.kind == "retire":
            s[0] += m.amount
        elif m.kind == "consume":
            s[2] += m.amount
    avail: dict[str, int] = {}
    for (quota, _), b in balances(movements).items():
        avail[quota] = avail.get(quota, 0) + b
    return {k: QuotaState(r, avail.get(k, 0), c) for k, (r, _, c) in out.items()}


def validate_movement(movement: Movement, movements: Sequence[Movement]) -> list[MonitorInputError]:
    """Problems that forbid applying ``movement`` to the ledger ``movements`` (empty: accept)."""
    m, errors = movement, []

    def err(field, zh, en):
        errors.append(MonitorInputError(f"movement {m.id}: {field}", zh, en))

    if m.kind not in KINDS:
        err("kind", f"类型须为 {KINDS} 之一", f"kind must be one of {KINDS}")
        return errors
    if not isinstance(m.amount, (int, np.integer)) or isinstance(m.amount, bool) or m.amount <= 0:
        err("amount", "数量须为正整数（吨/年）", "amount must be a positive whole number (t/a)")
        return errors
    if not m.quota_id or not m.holder:
        err("quota_id/holder", "指标编号和持有人不能为空", "quota id and holder are required")
        return errors
    if any(x.id == m.id for x in movements):
        err("id", "该变动已记账，不能重复提交", "this movement is already recorded; it cannot be applied twice")
    retired = any(x.quota_id == m.quota_id and x.kind == "retire" for x in movements)
    if m.kind == "retire":
        if retired:
            err("quota_id", "该指标已经退出登记，不能再次登记", "this quota was already retired and registered")
        return errors
    if not retired:
        err("quota_id", "指标不存在（未登记退出产能）", "no such quota (no retired capacity registered)")
        return errors
    if m.kind == "transfer" and (not m.to_holder or m.to_holder == m.holder):
        err("to_holder", "转让须指定另一受让人", "a transfer needs a different receiving holder")
    if m.kind == "consume" and not m.project_id:
        err("project_id", "使用指标须指明新建项目", "consumption must name the new project")
    available = balances(movements).get((m.quota_id, m.holder), 0)
    if m.amount > available:
        err(
            "amount",
            f"超出可用余额：申请 {m.amount}，可用 {available}（指标不能透支或重复使用）",
            f"exceeds the available balance: {m.amount} asked, {available} available "
            "(a quota cannot be overdrawn or used twice)",
        )
    return errors


def apply(movement: Movement, movements: Sequence[Movement]) -> list[Movement]:
    """The ledger with ``movement`` appended, or MonitorInputError if it is not allowed."""
    errors = validate_movement(movement, movements)
    if errors:
        raise errors[0]
    return [*movements, movement]


def check_invariants(movements: Sequence[Movement]) -> list[str]:
    """Broken invariants of a recorded ledger, as bilingual sentences (empty: it balances)."""
    problems = []
    ids = [m.id for m in movements]
    if len(set(ids)) != len(ids):
        problems.append("存在重复的变动编号 / duplicate movement ids")
    retires = [m.quota_id for m in movements if m.kind == "retire"]
    if len(set(retires)) != len(retires):
        problems.append("同一指标被登记退出多次 / a quota is retired more than once")
    q, h, d = _columns(movements)
    if len(d):
        # running balance per (quota, holder) in ledger order: cumsum within each key
        g = group(quota=q.astype(str), holder=h.astype(str))
        order = np.argsort(g.ids, kind="stable")
        run = np.cumsum(d[order])
        starts = np.searchsorted(g.ids[order], np.arange(g.count))
        base = np.concatenate([[0], run])[starts]
        running = run - base[g.ids[order]]
        if (running < 0).any():
            i = order[int(np.flatnonzero(running < 0)[0])]
            problems.append(f"指标 {q[i]} 持有人 {h[i]} 余额曾为负 / quota {q[i]} holder {h[i]} went below zero")
    for quota, s in quota_states(movements).items():
        if s.retired != s.available + s.consumed:
            problems.append(
                f"指标 {quota}：退出 {s.retired} ≠ 可用 {s.available} + 已用 {s.consumed} / "
                f"quota {quota}: retired {s.retired} ≠ available {s.available} + "
                f"consumed {s.consumed}"
            )
    return problems


@dataclass(frozen=True)
class ReplacementCheck:
    new_capacity: int
    ratio: float
    required: float  # new capacity × ratio
    offered: int  # Σ quota amounts in the plan
    sufficient: bool  # offered ≥ required and no errors
    shortfall: float  # max(required − offered, 0)
    errors: tuple[MonitorInputError, ...]


def check_replacement(
    new_capacity: int,
    quotas: Iterable[tuple[str, int]],
    ratio: float,
    *,
    holder: str | None = None,
    movements: Sequence[Movement] | None = None,
) -> ReplacementCheck:
    """Equal-or-reduced replacement: Σ retired capacity offered ≥ new capacity × ratio.

    ``quotas`` is the plan: (quota id, amount in t/a) pairs; ``ratio`` (≥ 1) comes from the
    catalogue. With ``movements`` and ``holder``, each amount must also be within the holder's
    available balance of that quota. A quota named twice in one plan is an error.
    """
    if not ratio >= 1:
        raise MonitorInputError(
            "ratio",
            "置换比例须 ≥ 1（等量或减量置换）",
            "the replacement ratio must be ≥ 1 (equal or reduced replacement)",
        )
    if not isinstance(new_capacity, (int, np.integer)) or new_capacity <= 0:
        raise MonitorInputError(
            "new_capacity", "新增产能须为正整数（吨/年）", "new capacity must be a positive whole number (t/a)"
        )
    plan = list(quotas)
    errors, seen = [], set()
    bal = balances(movements) if movements is not None else None
    for i, (qid, amount) in enumerate(plan):
        field = f"quotas[{i}] ({qid})"
        if qid in seen:
            errors.append(
                MonitorInputError(field, "同一指标在方案中出现两次", "the same quota appears twice in the plan")
            )
        seen.add(qid)
        if not isinstance(amount, (int, np.integer)) or amount <= 0:
            errors.append(
                MonitorInputError(field, "数量须为正整数（吨/年）", "amount must be a positive whole number (t/a)")
            )
        elif bal is not None:
            avail = bal.get((qid, holder or ""), 0)
            if amount > avail:
                errors.append(
                    MonitorInputError(field, f"超出可用余额 {avail}", f"exceeds the available balance {avail}")
                )
    offered = sum(int(a) for _, a in plan if isinstance(a, (int, np.integer)) and a > 0)
    required = new_capacity * float(ratio)
    return ReplacementCheck(
        int(new_capacity),
        float(ratio),
        required,
        offered,
        offered >= required and not errors,
        max(required - offered, 0.0),
        tuple(errors),
    )
