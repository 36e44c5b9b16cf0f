"""The daily watch: alert SOURCES, the inbox and the e-mail digest.

A source is a function `(today) -> iterable[core.alerts.Alert]` registered with `@source("kind", zh,
en)`; the daily job runs every registered source, stores new alerts (one per key) and resolves the
ones no source raises any more. Another domain adds its source by registering a function here (the
credit domain's missing annual filings plug in the same way)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Max

from kuangzheng import bulkinsert
from kuangzheng.access.actor import Actor, division_prefix
from kuangzheng.credit import services as credit
from kuangzheng.registry import services as registry

from .core import alerts as core
from .core.alerts import Alert
from .models import Alert as Stored
from .models import Case, Order, WorkReport

Source = Callable[[dt.date], Iterable[Alert]]
SOURCES: dict[str, Source] = {}
KINDS: dict[str, tuple[str, str]] = {}


def source(*kinds: tuple[str, str, str]):
    """Register an alert source and the kinds of alert it raises: (kind, zh, en) …"""

    def register(fn: Source) -> Source:
        SOURCES[fn.__module__ + "." + fn.__name__] = fn
        for kind, zh, en in kinds:
            KINDS[kind] = (zh, en)
        return fn

    return register


RIGHT_FIELDS = ("id", "licence_no", "kind", "valid_from", "valid_to", "division_id", "holder_id", "obtained_by")


@source(("right_expiring", "矿业权即将到期", "right expiring"))
def rights_expiring(today: dt.date) -> Iterable[Alert]:
    last = today + dt.timedelta(days=max(core.EXPIRY_WINDOWS))
    rows = registry.records("right").filter(status="valid", valid_to__gte=today, valid_to__lte=last)
    for row in rows.values(*RIGHT_FIELDS):
        a = core.right_expiry(row, today)
        if a:
            yield a


@source(("contract_five_years", "整装勘查合同五年届满", "integrated-exploration contract at five years"))
def integrated_contracts(today: dt.date) -> Iterable[Alert]:
    """M03: exploration rights tendered in an integrated-exploration zone (obtained by tender)."""
    rows = registry.records("right").filter(status="valid", kind="exploration", obtained_by="tender")
    for row in rows.values(*RIGHT_FIELDS):
        a = core.contract_term(row, today)
        if a:
            yield a


@source(
    ("order_deadline", "整改期限将至", "rectification deadline near"),
    ("order_overdue", "整改逾期", "rectification overdue"),
)
def order_deadlines(today: dt.date) -> Iterable[Alert]:
    rows = Order.objects.filter(answered_on=None, deadline__isnull=False, deadline__lte=today + dt.timedelta(days=7))
    rows = rows.exclude(case__state__in=("rectified", "closed", "dismissed"))
    for row in rows.values("id", "case_id", "deadline", "case__division", "case__enterprise_id"):
        row["division"], row["enterprise_id"] = row.pop("case__division"), row.pop("case__enterprise_id")
        a = core.order_deadline(row, today)
        if a:
            yield a


@source(
    ("start_report_missing", "未报开工报告", "start-of-work report missing"),
    ("finish_report_missing", "未报收工报告", "completion report missing"),
)
def work_reports(today: dt.date) -> Iterable[Alert]:
    """M15 开工和收工报告. A finished right (validity over) that started work and filed no completion report;
    a granted right without a start report after KZ_START_REPORT_DAYS (off when not set: no seed gives it)."""
    reports = {}
    for rid, kind in WorkReport.objects.values_list("right_id", "kind"):
        reports.setdefault(rid, set()).add(kind)
    days = getattr(settings, "KZ_START_REPORT_DAYS", None)
    rows = registry.records("right").filter(kind="exploration", status__in=("valid", "expired"))
    if days is None:  # only the completion report can be missing: rights whose validity is over
        rows = rows.filter(valid_to__lt=today)
    for row in rows.values(*RIGHT_FIELDS):
        filed = reports.get(row["id"], set())
        src = f"registry.MineralRight:{row['id']}"
        if "start" in filed and "finish" not in filed and row["valid_to"] < today:
            yield Alert(
                "finish_report_missing",
                f"finish_report_missing:{row['id']}",
                src,
                row["division_id"],
                row["valid_to"],
                f"探矿权 {row['licence_no']} 已于 {row['valid_to']} 到期，未报收工报告",
                f"exploration right {row['licence_no']} ended on {row['valid_to']} without a completion report",
                row["holder_id"],
            )
        if days is not None and "start" not in filed and row["valid_from"] + dt.timedelta(days=days) < today:
            due = row["valid_from"] + dt.timedelta(days=days)
            yield Alert(
                "start_report_missing",
                f"start_report_missing:{row['id']}",
                src,
                row["division_id"],
                due,
                f"探矿权 {row['licence_no']} 自 {row['valid_from']} 起 {days} 天未报开工报告",
                f"exploration right {row['licence_no']}: no start-of-work report {days} days after {row['valid_from']}",
                row["holder_id"],
            )


@source(("zombie_right", "疑似僵尸探矿权", "suspected zombie exploration right"))
def zombie_rights(today: dt.date) -> Iterable[Alert]:
    from . import zombies

    for z in zombies.detect(today):
        reasons = sorted({e["reason"] for e in z["evidence"]})
        yield Alert(
            "zombie_right",
            f"zombie_right:{z['right']}",
            f"registry.MineralRight:{z['right']}",
            z["division"],
            None,
            f"探矿权 {z['licence_no']} 疑似僵尸探矿权（{'、'.join(reasons)}）",
            f"exploration right {z['licence_no']} looks like a zombie ({', '.join(reasons)})",
        )


@source(
    ("credit_filing_due", "年度信息公示即将到期", "annual information filing due"),
    ("credit_filing_missing", "未按期公示年度信息", "annual information not filed"),
    ("credit_proposal_pending", "拟列入名单待确认", "list proposal awaiting a decision"),
    ("credit_term_ending", "异常名录即将届满三年", "abnormal-list entry nearing three years"),
    ("credit_term_ended", "名单期限届满", "list term ended"),
)
def credit_lists(today: dt.date) -> Iterable[Alert]:
    """The credit domain's daily work (terms ended, annual filings missing, proposals waiting): its
    alerts, one per subject and due date."""
    for a in credit.due_alerts(today):
        yield Alert(
            a["kind"],
            f"{a['kind']}:{a['subject']}:{a['due'] or ''}",
            a["subject"],
            a["division"],
            a["due"],
            a["text_zh"],
            a["text_en"],
        )


# ---------------------------------------------------------------- the daily job


def run_daily(today: dt.date) -> dict:
    """Escalate overdue orders, run every source, store new alerts, resolve the ones gone, mail the digest."""
    from . import enforcement

    escalated = enforcement.escalate_overdue(today)
    raised: dict[str, Alert] = {}
    for fn in SOURCES.values():
        for a in fn(today):
            raised[a.key] = a
    with transaction.atomic():
        open_keys = set(Stored.objects.filter(resolved_on=None).values_list("key", flat=True))
        others = [k for k in raised if k not in open_keys]  # new, or raised again after being resolved
        back = []
        for i in range(0, len(others), 2000):
            back += Stored.objects.filter(key__in=others[i : i + 2000]).values_list("key", flat=True)
        seen = set(back)
        new = [raised[k] for k in others if k not in seen]
        ids = bulkinsert.reserve_ids(Stored, len(new))
        bulkinsert.insert(  # one COPY / executemany: the first run stores tens of thousands at once
            Stored,
            [
                {
                    "id": pk,
                    "key": a.key,
                    "kind": a.kind,
                    "source": a.source,
                    "division": a.division,
                    "enterprise_id": a.enterprise,
                    "due": a.due,
                    "text_zh": a.zh[:300],
                    "text_en": a.en[:300],
                    "raised_on": today,
                    "resolved_on": None,
                }
                for pk, a in zip(ids, new)
            ],
        )
        gone = [k for k in open_keys if k not in raised]
        for keys, value in ((gone, today), (back, None)):
            for i in range(0, len(keys), 2000):
                Stored.objects.filter(key__in=keys[i : i + 2000]).update(resolved_on=value)
    mailed = digest(today)
    return {
        "escalated": len(escalated),
        "raised": len(raised),
        "new": len(new),
        "resolved": len(gone),
        "mailed": mailed,
    }


def inbox(actor: Actor, *, open_only: bool = True):
    qs = Stored.objects.order_by("due", "pk")
    if open_only:
        qs = qs.filter(resolved_on=None)
    if actor.is_admin:
        return qs
    if actor.is_regulator:
        return qs.filter(division__startswith=actor.scope_prefix)
    if actor.is_enterprise:
        return qs.filter(enterprise_id=actor.enterprise_id)
    return qs.none()


def digest(today: dt.date) -> int:
    """One e-mail per regulator with an address: the alerts raised today in their division scope."""
    from django.contrib.auth import get_user_model

    fresh = list(Stored.objects.filter(raised_on=today, resolved_on=None).values_list("division", "text_zh", "text_en"))
    if not fresh:
        return 0
    sent = 0
    users = get_user_model().objects.filter(is_active=True, kz_profile__role="regulator").exclude(email="")
    for user in users.select_related("kz_profile"):
        prefix = division_prefix(user.kz_profile.division_id or "")
        mine = [(zh, en) for d, zh, en in fresh if prefix and d.startswith(prefix)]
        if not mine:
            continue
        body = "\n".join(f"- {zh}\n  {en}" for zh, en in mine)
        send_mail(
            f"矿政监管提醒 {today}：{len(mine)} 条 / Supervision alerts: {len(mine)}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        sent += 1
    return sent


def dashboard(actor: Actor) -> dict:
    """Open alerts and open cases counted by division and kind, in the actor's scope."""
    actor.require_staff()
    alerts = inbox(actor).values("division", "kind").annotate(n=Count("pk")).order_by("division", "kind")
    cases = Case.objects.exclude(state__in=("rectified", "closed", "dismissed"))
    if not actor.is_admin:
        cases = cases.filter(division__startswith=actor.scope_prefix)
    by_state = cases.values("division", "state").annotate(n=Count("pk")).order_by("division", "state")
    last = Stored.objects.aggregate(d=Max("raised_on"))["d"]
    return {
        "alerts": [{"division": r["division"], "kind": r["kind"], "count": r["n"]} for r in alerts],
        "cases": [{"division": r["division"], "state": r["state"], "count": r["n"]} for r in by_state],
        "kinds": {k: {"zh": zh, "en": en} for k, (zh, en) in KINDS.items()},
        "last_run": last,
    }
