"""The public notices of list entries and removals (公示), as text from templates: one notice per
entry, published on the notice board when the entry takes effect; withdrawn and followed by a
removal notice when it leaves the list. The board escapes the text wherever it shows it."""

from __future__ import annotations

from kuangzheng.access.actor import Actor
from kuangzheng.notices import services as board

from .core import rules
from .models import ListEntry

ENTERED, REMOVED = "credit_list_entry", "credit_list_removal"


def source(e: ListEntry) -> str:
    return f"credit.ListEntry:{e.pk}"


def url(e: ListEntry) -> str:
    return f"/credit/entries/{e.pk}/"


def entry_text(e: ListEntry) -> dict:
    d, r = rules.list_def(e.list_key), rules.reason_def(e.list_key, e.reason)
    term_zh = f"，期限至 {e.last_day}" if e.last_day else ""
    term_en = f", until {e.last_day}" if e.last_day else ""
    return {
        "kind": ENTERED,
        "title_zh": f"{e.enterprise.name} 列入{d['zh']}",
        "title_en": f"{e.enterprise.name} entered on the {d['en']}",
        "body_zh": f"事由：{r['zh']}。{e.detail_zh}\n依据：{e.basis}\n列入日期：{e.entered_on}{term_zh}。",
        "body_en": f"Reason: {r['en']}. {e.detail_en}\nBasis: {e.basis}\nEntered on {e.entered_on}{term_en}.",
    }


def removal_text(e: ListEntry) -> dict:
    d, k = rules.list_def(e.list_key), rules.removal_kinds()[e.removal_kind]
    return {
        "kind": REMOVED,
        "title_zh": f"{e.enterprise.name} 移出{d['zh']}",
        "title_en": f"{e.enterprise.name} removed from the {d['en']}",
        "body_zh": f"{k['zh']}，移出日期：{e.removed_on}。{e.removal_reason_zh}",
        "body_en": f"{k['en']}, on {e.removed_on}. {e.removal_reason_en}",
    }


def entered(actor: Actor, e: ListEntry):
    """Publish the entry on the notice board (inside the caller's transaction)."""
    return board.publish(actor, source=source(e), division=e.division, url=url(e), **entry_text(e))


def removed(actor: Actor, e: ListEntry):
    """Withdraw the entry's notice (it stays on the board, marked, with the reason) and publish the
    removal. The removal notice points to the lists' page: a removed entry leaves the public view."""
    t = removal_text(e)
    if board.current(source(e)):
        board.withdraw(actor, source=source(e), reason_zh=t["title_zh"], reason_en=t["title_en"])
    return board.publish(actor, source=source(e), division=e.division, url="/credit/", **t)
