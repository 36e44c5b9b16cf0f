"""The restoration fund ledger of one mine (M47), double-entry and append-only.

Amounts are whole cents (int) here; the service layer turns yuan (Decimal, two places) into cents.
Every posting is one of a few kinds, each with fixed legs (debit +, credit −) that sum to zero:

    provision    计提      Dr provided    Cr obligation   the enterprise books what it owes the fund
    deposit      缴存      Dr fund        Cr enterprise   money paid into the mine's fund account
    bond_deposit 保证金缴存 Dr bond        Cr enterprise   money paid as a (legacy) bond
    spend        支出      Dr works       Cr fund|bond    paid for an accepted phase of work
    refund       返还      Dr enterprise  Cr fund|bond    paid back to the enterprise
    carry_over   结转      Dr fund        Cr bond         a bond balance moved into the fund

`fund` and `bond` hold money and never go negative; a spend needs an accepted phase. Converting a
legacy bond (``conversion``): refund = paid − spent to the enterprise, or, when the responsible
party no longer exists, nothing refunded and the balance carried into the fund.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

HOLDING = ("fund", "bond")  # accounts that hold money: never negative
ACCOUNTS = ("fund", "bond", "enterprise", "works", "provided", "obligation")
KINDS = {
    "provision": ("provided", ("obligation",)),
    "deposit": ("fund", ("enterprise",)),
    "bond_deposit": ("bond", ("enterprise",)),
    "spend": ("works", ("fund", "bond")),
    "refund": ("enterprise", ("fund", "bond")),
    "carry_over": ("fund", ("bond",)),
}
KIND_ZH = {
    "provision": "计提",
    "deposit": "缴存",
    "bond_deposit": "保证金缴存",
    "spend": "治理支出",
    "refund": "返还",
    "carry_over": "结转",
}


@dataclass(frozen=True)
class Posting:
    kind: str
    cents: int
    source: str = ""  # the credited holding account for spend / refund ("fund" or "bond")
    phase_accepted: bool = False  # spend only: the phase it pays for has been accepted


@dataclass(frozen=True)
class Problem:
    field: str
    zh: str
    en: str


def to_cents(value, field: str = "amount") -> tuple[int | None, Problem | None]:
    """Yuan (str, int or Decimal; never float) to whole cents; more than two decimals is refused."""
    if isinstance(value, float) or isinstance(value, bool):
        return None, Problem(
            field, "金额须以文本或整数给出（不接受浮点数）", "give the amount as text or an integer, not a float"
        )
    try:
        d = Decimal(str(value).strip())
        cents = d * 100
        exact = d.is_finite() and cents == cents.to_integral_value()
    except (InvalidOperation, ValueError):
        exact = False
    if not exact:
        return None, Problem(
            field, "金额须为最多两位小数的数字（元）", "the amount must be a number of yuan with at most two decimals"
        )
    if cents <= 0:
        return None, Problem(field, "金额须大于 0", "the amount must be greater than 0")
    if cents >= 10**15:
        return None, Problem(field, "金额过大", "the amount is too large")
    return int(cents), None


def yuan(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def legs(p: Posting) -> list[tuple[str, int]]:
    """(account, signed cents): debit positive, credit negative; they sum to zero."""
    debit, credits = KINDS[p.kind]
    credit = p.source if len(credits) > 1 else credits[0]
    return [(debit, p.cents), (credit, -p.cents)]


def balances(postings) -> dict[str, int]:
    b: dict[str, int] = defaultdict(int)
    for p in postings:
        for account, cents in legs(p):
            b[account] += cents
    return {a: b.get(a, 0) for a in ACCOUNTS}


def validate(p: Posting, current: dict[str, int]) -> list[Problem]:
    """Problems with posting ``p`` on an account whose balances are ``current``."""
    if p.kind not in KINDS:
        return [Problem("kind", f"未知的记账类型「{p.kind}」", f"unknown posting kind '{p.kind}'")]
    if not isinstance(p.cents, int) or p.cents <= 0:
        return [Problem("amount", "金额须大于 0", "the amount must be greater than 0")]
    credits = KINDS[p.kind][1]
    if len(credits) > 1 and p.source not in credits:
        return [
            Problem(
                "source",
                "须指明从基金（fund）还是保证金（bond）支付",
                "say whether it is paid from the fund or the bond",
            )
        ]
    out = []
    if p.kind == "spend" and not p.phase_accepted:
        out.append(
            Problem("phase", "只能为已验收的分期治理支出", "money is spent only on a phase that has been accepted")
        )
    for account, cents in legs(p):
        if account in HOLDING and current.get(account, 0) + cents < 0:
            have = yuan(current.get(account, 0))
            out.append(
                Problem(
                    "amount",
                    f"{'基金' if account == 'fund' else '保证金'}余额不足（余额 {have} 元，需 {yuan(-cents)} 元）",
                    f"the {account} balance is too low ({have} yuan, {yuan(-cents)} needed)",
                )
            )
    return out


def check_invariants(postings) -> list[str]:
    """The ledger's promises, re-checked from the postings alone: every prefix keeps the holding
    accounts non-negative and the legs of the whole ledger sum to zero."""
    running: dict[str, int] = defaultdict(int)
    problems = []
    for i, p in enumerate(postings):
        for account, cents in legs(p):
            running[account] += cents
            if account in HOLDING and running[account] < 0:
                problems.append(f"第{i + 1}笔后{account}为负 / {account} negative after posting {i + 1}")
    if sum(running.values()) != 0:
        problems.append("借贷不平 / debits and credits do not balance")
    return problems


def conversion(paid_cents: int, spent_cents: int, party_exists: bool) -> dict:
    """Converting a legacy bond into the fund: refund = paid − spent, nothing when the party is gone
    (then the balance is carried into the fund the government draws on)."""
    remaining = max(paid_cents - spent_cents, 0)
    if party_exists:
        return {"refund": remaining, "carry_over": 0}
    return {"refund": 0, "carry_over": remaining}


def totals(postings) -> dict[str, int]:
    """The seed's style of totals: deposited (bond and fund), returned, carried over, spent, provided."""
    t = {"deposited": 0, "returned": 0, "carried_over": 0, "spent": 0, "provided": 0}
    key = {
        "deposit": "deposited",
        "bond_deposit": "deposited",
        "refund": "returned",
        "carry_over": "carried_over",
        "spend": "spent",
        "provision": "provided",
    }
    for p in postings:
        t[key[p.kind]] += p.cents
    return t
