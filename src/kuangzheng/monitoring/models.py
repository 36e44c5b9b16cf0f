"""Monitoring tables: enterprise reports, three-rate standards, warnings and releases, and the
electrolytic-aluminium capacity-replacement ledger. Writes go through services.py only."""

from django.db import models

REPORT_STATUSES = [("draft", "草稿"), ("submitted", "已报送"), ("returned", "已退回"), ("accepted", "已受理")]
MOVEMENT_KINDS = [("retire", "退出产能登记"), ("transfer", "指标转让"), ("consume", "新项目使用")]


class Report(models.Model):
    """One facility's report for one period, report type and metal; values keyed by field."""

    facility = models.ForeignKey("registry.Facility", on_delete=models.PROTECT, related_name="monitoring_reports")
    enterprise = models.ForeignKey("registry.Enterprise", null=True, on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey("registry.Division", on_delete=models.PROTECT, related_name="+")
    report_type = models.CharField("报表类型", max_length=40)
    period = models.CharField("报告期", max_length=7)  # "2024-03" (monthly) or "2024" (annual)
    metal = models.CharField("品种", max_length=16)
    values = models.JSONField("数值", default=dict)
    warnings = models.JSONField("提示", default=list, blank=True)  # history flags found on upload
    status = models.CharField("状态", max_length=12, choices=REPORT_STATUSES, default="draft")
    reasons = models.JSONField("退回理由", default=list, blank=True)  # every return, kept
    version = models.PositiveIntegerField(default=1)
    is_generated = models.BooleanField("演示生成数据", default=False)
    source = models.CharField(max_length=200, blank=True)
    updated_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period", "facility_id"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "report_type", "period", "metal"], name="report_unique_key")
        ]
        indexes = [models.Index(fields=["report_type", "status", "period"])]


class RateStandard(models.Model):
    """A mine's approved three-rate standards (%, 自治区主管部门核定标准); null = not applicable."""

    facility = models.OneToOneField("registry.Facility", on_delete=models.CASCADE, related_name="rate_standard")
    mining_recovery = models.FloatField(null=True, blank=True)
    processing_recovery = models.FloatField(null=True, blank=True)
    comprehensive_utilisation = models.FloatField(null=True, blank=True)
    is_generated = models.BooleanField(default=False)
    source = models.CharField(max_length=200, blank=True)


class WarningRecord(models.Model):
    """A rule breached for one division, metal and period; kept with its history."""

    rule_id = models.CharField(max_length=80)
    citation_id = models.CharField(max_length=120)
    severity = models.CharField(max_length=16)
    indicator = models.CharField(max_length=60)
    division = models.CharField(max_length=6)
    metal = models.CharField(max_length=16, blank=True)
    period = models.CharField(max_length=7)
    value = models.FloatField()
    threshold = models.FloatField()
    unit = models.CharField(max_length=24)
    comparison = models.CharField(max_length=2)
    message_zh = models.CharField(max_length=300, blank=True)
    message_en = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)  # false once a later evaluation no longer finds it
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)
    acknowledged_by = models.CharField(max_length=150, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    ack_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-period", "rule_id", "division"]
        constraints = [
            models.UniqueConstraint(fields=["rule_id", "division", "metal", "period"], name="warning_unique_key")
        ]


class Release(models.Model):
    """A published 产能监测预警信息: a frozen snapshot of warnings, public."""

    number = models.CharField(max_length=40, unique=True)
    period = models.CharField(max_length=7)
    division = models.CharField(max_length=6)
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    items = models.JSONField(default=list)
    published_by = models.CharField(max_length=150)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at"]


class Quota(models.Model):
    """Retired electrolytic-aluminium capacity, available for replacement (t/a)."""

    code = models.CharField("指标编号", max_length=40, unique=True)
    amount = models.PositiveBigIntegerField("退出产能(吨/年)")
    retired_facility = models.ForeignKey(
        "registry.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey("registry.Division", on_delete=models.PROTECT, related_name="+")
    is_generated = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)


class QuotaBalance(models.Model):
    quota = models.ForeignKey(Quota, on_delete=models.PROTECT, related_name="balances")
    holder = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quota", "holder"], name="quota_balance_holder"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="quota_balance_nonneg"),
        ]


class LedgerMovement(models.Model):
    """One ledger entry. Append-only; balances are kept in step in the same transaction."""

    request_id = models.CharField("申请编号", max_length=64, unique=True)
    kind = models.CharField(max_length=10, choices=MOVEMENT_KINDS)
    quota = models.ForeignKey(Quota, on_delete=models.PROTECT, related_name="movements")
    amount = models.PositiveBigIntegerField()
    holder = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    to_holder = models.ForeignKey(
        "registry.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey("registry.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    province = models.CharField(max_length=6)
    to_province = models.CharField(max_length=6, blank=True)
    document_ref = models.CharField(max_length=120, blank=True)
    actor = models.CharField(max_length=150)
    is_generated = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class PlanPublication(models.Model):
    """A published plan-implementation report (规划实施情况评估报告) for a year (M74: the plan's
    implementation under public supervision). Its notice on the board links to that year's report
    page; `counts` freezes the targets by status as the public read them when it was published.
    Withdrawn ones stay, marked, as their notice does."""

    year = models.PositiveIntegerField("评估年度")
    division = models.CharField("发布区划", max_length=6)
    counts = models.JSONField(default=dict)
    published_by = models.CharField(max_length=150)
    published_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True)
    withdrawn_by = models.CharField(max_length=150, blank=True)
    withdraw_reason_zh = models.TextField(blank=True)
    withdraw_reason_en = models.TextField(blank=True)

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "division"], condition=models.Q(withdrawn_at=None), name="monitoring_plan_report_once"
            )
        ]


class PlanAdjustment(models.Model):
    """An adjustment of the plan (规划调整: planning zones or blocks added or changed), announced for
    public comment before approval and announced again once approved (M74). The regulator sets the
    publicity period: the seeds give none."""

    PUBLICITY, APPROVED, WITHDRAWN = "publicity", "approved", "withdrawn"

    division = models.CharField("发布区划", max_length=6)
    title_zh = models.CharField("调整事项", max_length=200)
    title_en = models.CharField(max_length=200, blank=True)
    summary_zh = models.TextField("调整内容")
    summary_en = models.TextField(blank=True)
    zones = models.JSONField("涉及的规划分区与区块（编号）", default=list)
    publicity_ends_on = models.DateField("公示截止日")
    state = models.CharField(max_length=12, default=PUBLICITY)
    version = models.PositiveIntegerField(default=1)
    approval_no = models.CharField("批准文号", max_length=120, blank=True)
    approved_on = models.DateField(null=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.CharField(max_length=150, blank=True)
    withdraw_reason_zh = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
