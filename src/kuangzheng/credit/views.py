"""Pages: the public lists (current entries), an entry with its history and the regulators' forms,
and the annual information filing. Server-rendered: no script, no inline style."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kuangzheng.access.actor import PUBLIC_ACTOR
from kuangzheng.access.forms import write_then_redirect
from kuangzheng.access.http import page_actor
from kuangzheng.errors import NotFound

from . import services
from .core import rules


def _on(request) -> dt.date:
    """The day whose list to show (`?on=YYYY-MM-DD`, default today): the list as it stood that day."""
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return services.current_date()


def lists(request):
    actor = page_actor(request)
    chosen = request.GET.get("list", "")
    on = _on(request)
    current = services.entries(PUBLIC_ACTOR, list_key=chosen, on=on)
    staff = actor.is_admin or actor.is_regulator
    return render(
        request,
        "credit/lists.html",
        {
            "nav": "credit",
            "lists": rules.lists(),
            "chosen": chosen,
            "on": on,
            "rows": [services.public(e) for e in current[:500]],
            "staff": staff,
            "proposed": [services.serialize(actor, e) for e in services.entries(actor, status="proposed")[:200]]
            if staff
            else [],
            "history": [services.serialize(actor, e) for e in services.entries(actor, status="removed")[:200]]
            if staff
            else [],
        },
    )


def detail(request, pk):
    actor = page_actor(request)
    try:
        e = services.get(actor, pk)
    except NotFound:
        raise Http404 from None
    d = services.serialize(actor, e)
    return render(
        request,
        "credit/entry.html",
        {
            "nav": "credit",
            "e": d,
            "definition": rules.list_def(e.list_key),
            "staff": services.staff_sees(actor, e),
            "own": actor.is_enterprise and actor.enterprise_id == e.enterprise_id,
        },
    )


@require_POST
def enter(request):
    def write(actor, p):
        return services.enter(
            actor,
            p.get("list", ""),
            p.get("enterprise"),
            p.get("reason", ""),
            detail_zh=p.get("detail_zh", ""),
            detail_en=p.get("detail_en", ""),
            basis=p.get("basis", ""),
            entered_on=p.get("entered_on") or None,
        )

    return write_then_redirect(request, "/credit/", write, to_made=lambda entry: f"/credit/entries/{entry.pk}/")


@require_POST
def confirm(request, pk):
    return write_then_redirect(
        request, f"/credit/entries/{pk}/", lambda a, p: services.confirm(a, pk, version=p.get("version"))
    )


@require_POST
def remove(request, pk):
    return write_then_redirect(
        request,
        f"/credit/entries/{pk}/",
        lambda a, p: services.remove(
            a, pk, p.get("kind", ""), p.get("reason_zh", ""), p.get("reason_en", ""), version=p.get("version")
        ),
    )


@require_POST
def ask_removal(request, pk):
    return write_then_redirect(
        request, f"/credit/entries/{pk}/", lambda a, p: services.request_removal(a, pk, p.get("text", ""))
    )


def filings(request):
    actor = page_actor(request)
    year = request.GET.get("year", "")
    rows = services.filings(actor, int(year) if year.isdigit() else None)
    return render(
        request,
        "credit/filings.html",
        {
            "nav": "credit",
            "rows": [services.filing_dict(f) | {"enterprise": f.enterprise.name} for f in rows[:500]],
            "fields": rules.filing()["fields"],
            "definition": rules.filing(),
            "can_file": actor.is_enterprise,
            "last_year": services.current_date().year - 1,
            "due": rules.filing_due(services.current_date().year - 1),
        },
    )


@require_POST
def file_annual(request):
    def write(actor, p):
        services.file_annual(actor, {k: v for k, v in p.items() if k != "csrfmiddlewaretoken"})

    return write_then_redirect(request, "/credit/filings/", write)
