"""Enterprise reports: template download, upload with cell-by-cell validation, and the workflow
draft → submitted → returned (with reasons) / accepted. Every write is audited in its transaction."""

from __future__ import annotations

import io
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from kuangzheng import limits, uploads
from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, Forbidden, InvalidInput, NotFound, StaleVersion
from kuangzheng.monitoring.core import reports as core
from kuangzheng.monitoring.core.reports.template import DATA_SHEET, FIRST_DATA_ROW
from kuangzheng.registry import services as registry

from .models import Report
from .scope import facility_code, facility_pk, scope_reports

# allowed transitions: action → (from states, to state, who)
TRANSITIONS = {
    "submit": (("draft", "returned"), "submitted", "owner"),
    "return": (("submitted",), "returned", "staff"),
    "accept": (("submitted",), "accepted", "staff"),
}
NUMERIC_TYPES = ("number",)


def report_type(rt_id: str):
    try:
        return core.get_report_type(rt_id)
    except ValueError as exc:
        raise InvalidInput([FieldProblem("report_type", exc.zh, exc.en)]) from None


def period_of(rt, row: dict) -> str:
    return str(row["period"] if "period" in rt.key else row["year"])


def reports(actor: Actor, *, status: str = "", report_type: str = "", period: str = ""):
    qs = scope_reports(actor, Report.objects.select_related("facility", "enterprise"))
    for k, v in (("status", status), ("report_type", report_type), ("period__startswith", period)):
        if v:
            qs = qs.filter(**{k: v})
    return qs


def get(actor: Actor, pk) -> Report:
    try:
        return reports(actor).get(pk=pk)
    except (Report.DoesNotExist, ValueError):
        raise NotFound("报表", "report") from None


def serialize(r: Report) -> dict:
    return {
        "id": r.pk,
        "facility": r.facility_id,
        "facility_code": facility_code(r.facility),
        "facility_name": r.facility.name,
        "enterprise": r.enterprise_id,
        "division": r.division_id,
        "report_type": r.report_type,
        "period": r.period,
        "metal": r.metal,
        "values": r.values,
        "warnings": r.warnings,
        "status": r.status,
        "reasons": r.reasons,
        "version": r.version,
        "is_generated": r.is_generated,
        "updated_by": r.updated_by,
        "updated_at": r.updated_at.isoformat() if r.updated_at else None,
    }


def template_bytes(actor: Actor, rt_id: str) -> bytes:
    """The blank template, with the actor's own facilities' codes pre-filled for an enterprise."""
    rt = report_type(rt_id)
    wb = core.build_template(rt)
    if actor.is_enterprise and actor.enterprise_id:
        ws = wb[DATA_SHEET]
        for i, f in enumerate(registry.records("facility").filter(enterprise_id=actor.enterprise_id).order_by("pk")):
            ws.cell(row=FIRST_DATA_ROW + i, column=1, value=facility_code(f))
        notes = wb["说明"]
        start = notes.max_row + 2
        notes.cell(row=start, column=1, value="贵企业的设施编码 Your facilities' codes:")
        for i, f in enumerate(registry.records("facility").filter(enterprise_id=actor.enterprise_id).order_by("pk")):
            notes.cell(row=start + 1 + i, column=1, value=f"{facility_code(f)}  {f.name}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _history(rt, codes: list[str]) -> dict:
    """facility code → field → past accepted values, for the unit-error heuristic."""
    pks = [p for p in map(facility_pk, codes) if p is not None]
    hist: dict = defaultdict(lambda: defaultdict(list))
    for r in Report.objects.filter(facility_id__in=pks, report_type=rt.id, status="accepted"):
        for k, v in r.values.items():
            if isinstance(v, (int, float)):
                hist[f"KZF-{r.facility_id}"][k].append(v)
    return hist


def _err(row, column, field, zh, en, severity="error") -> dict:
    return {
        "sheet": DATA_SHEET,
        "row": row,
        "column": column,
        "field": field,
        "message_zh": zh,
        "message_en": en,
        "severity": severity,
    }


def read_upload(f) -> bytes:
    """An uploaded file's bytes, reading at most one byte past the limit (so a huge file costs nothing)."""
    return f.read(limits.get("upload_bytes") + 1) if f else b""


def upload(actor: Actor, rt_id: str, data: bytes, *, submit: bool = False) -> dict:
    """Validate a filled template and store its rows as drafts (or submitted), all or none.

    Returns ``{"ok", "errors", "warnings", "reports"}``; errors and warnings name sheet, row and
    column. Nothing is stored when there is any error.
    """
    if not (actor.is_enterprise or actor.is_admin or actor.is_regulator):
        raise Forbidden("请登录后报送报表", "Sign in to submit reports")
    rt = report_type(rt_id)
    if not data:
        raise InvalidInput([FieldProblem("file", "未上传文件", "no file uploaded")])
    uploads.check(data, "file")  # size here; the core checks the unpacked size and rows before parsing
    rows, problems = core.parse_workbook(data, rt, history=lambda codes: _history(rt, codes))
    errors = [_err(p.row, p.column, p.field, p.zh, p.en) for p in problems if p.severity == "error"]
    warnings = [_err(p.row, p.column, p.field, p.zh, p.en, "warning") for p in problems if p.severity != "error"]
    facilities = {
        f.pk: f
        for f in registry.records("facility").filter(
            pk__in=[p for p in (facility_pk(r["facility_code"]) for r in rows) if p]
        )
    }
    existing = {}
    for row in rows:
        f = facilities.get(facility_pk(row["facility_code"]))
        if f is None or not _may_report(actor, f):
            errors.append(
                _err(
                    row["_row"],
                    "A",
                    "facility_code",
                    f"设施编码“{row['facility_code']}”不存在或不属于贵单位",
                    f"facility code “{row['facility_code']}” does not exist or is not yours",
                )
            )
            continue
        key = (f.pk, period_of(rt, row), row["metal"])
        old = Report.objects.filter(facility=f, report_type=rt.id, period=key[1], metal=key[2]).first()
        if old is not None and old.status in ("submitted", "accepted"):
            errors.append(
                _err(
                    row["_row"],
                    "",
                    "",
                    f"该设施 {key[1]} 的报表已{old.get_status_display()}，不能覆盖",
                    f"the report for {key[1]} is already {old.status} and cannot be overwritten",
                )
            )
        existing[row["_row"]] = (f, key, old)
    if not rows and not errors:
        errors.append(_err(0, "", "", "文件中没有数据行", "the file has no data rows"))
    if errors:
        errors.sort(key=lambda e: (e["row"], e["column"]))
        return {"ok": False, "errors": errors, "warnings": warnings, "reports": []}
    row_warnings = defaultdict(list)
    for w in warnings:
        row_warnings[w["row"]].append(w)
    saved = []
    with transaction.atomic():
        for row in rows:
            f, (_, period, metal), old = existing[row["_row"]]
            values = {k: v for k, v in row.items() if not k.startswith("_") and k not in rt.key}
            status = "submitted" if submit else "draft"
            if old is None:
                rep = Report.objects.create(
                    facility=f,
                    enterprise_id=f.enterprise_id,
                    division_id=f.division_id,
                    report_type=rt.id,
                    period=period,
                    metal=metal,
                    values=values,
                    warnings=row_warnings[row["_row"]],
                    status=status,
                    updated_by=actor.username,
                )
                audit.record(actor, "create", "report", rep.pk, None, _snap(rep))
            else:
                before = _snap(old)
                old.values, old.warnings, old.status = values, row_warnings[row["_row"]], status
                old.version += 1
                old.updated_by = actor.username
                old.save()
                rep = old
                audit.record(actor, "update", "report", rep.pk, before, _snap(rep))
            saved.append(rep)
    return {"ok": True, "errors": [], "warnings": warnings, "reports": [serialize(r) for r in saved]}


def _snap(r: Report) -> dict:
    return {
        "facility": r.facility_id,
        "report_type": r.report_type,
        "period": r.period,
        "metal": r.metal,
        "values": r.values,
        "status": r.status,
        "reasons": r.reasons,
        "version": r.version,
    }


def _may_report(actor: Actor, f) -> bool:
    if actor.is_admin:
        return True
    if actor.is_regulator:
        return actor.covers_division(f.division_id)
    return actor.is_enterprise and f.enterprise_id is not None and f.enterprise_id == actor.enterprise_id


def transition(actor: Actor, pk, action: str, *, version=None, reason: str = "") -> Report:
    """Move a report through the workflow; returning needs a reason. Checks the version if given."""
    if action not in TRANSITIONS:
        raise InvalidInput([FieldProblem("action", f"未知操作 {action}", f"unknown action {action}")])
    sources, target, who = TRANSITIONS[action]
    with transaction.atomic():
        rep = get(actor, pk)
        rep = Report.objects.select_for_update().get(pk=rep.pk)
        if who == "staff" and not (actor.is_admin or (actor.is_regulator and actor.covers_division(rep.division_id))):
            raise Forbidden("仅监管人员可受理或退回报表", "Only regulators may accept or return reports")
        if who == "owner" and not (
            actor.is_admin or (actor.is_enterprise and rep.enterprise_id == actor.enterprise_id)
        ):
            raise Forbidden("仅报送企业可提交报表", "Only the reporting enterprise may submit its report")
        if version is not None and str(version) != str(rep.version):
            raise StaleVersion(rep.version, int(version) if str(version).isdigit() else 0)
        if rep.status not in sources:
            raise InvalidInput(
                [
                    FieldProblem(
                        "status",
                        f"报表当前状态为“{rep.get_status_display()}”，不能{action}",
                        f"the report is {rep.status}; it cannot be {action}ed",
                    )
                ]
            )
        if action == "return" and not reason.strip():
            raise InvalidInput([FieldProblem("reason", "退回须说明理由", "a return needs a reason")])
        before = _snap(rep)
        rep.status = target
        if action == "return":
            rep.reasons = [
                *rep.reasons,
                {"at": timezone.now().isoformat(timespec="seconds"), "by": actor.username, "reason": reason.strip()},
            ]
        rep.version += 1
        rep.updated_by = actor.username
        rep.save()
        audit.record(actor, action, "report", rep.pk, before, _snap(rep))
    return rep
