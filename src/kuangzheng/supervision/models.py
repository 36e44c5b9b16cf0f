"""Supervision's records: inspector pool, plans and their draws, inspections, findings, cases with
their steps and orders, attachments, the alert inbox and the reports the daily job watches (M15, M19).
Registry records are referred to by id (other domains never import the registry's models)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kuangzheng.attachments import StoredFile

from .core import cases


class Inspector(models.Model):
    """A regulator enrolled in the inspector pool (执法检查人员库): their division and the enterprises
    they are linked to (recusal)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kz_inspector")
    code = models.CharField("执法人员编号", max_length=32, unique=True)  # what the published draw shows
    division = models.CharField("所属区划", max_length=6, db_index=True)
    links = models.JSONField("关联企业", default=list, blank=True)
    active = models.BooleanField("在库", default=True)


class Plan(models.Model):
    STATES = [("draft", "草稿"), ("published", "已公布"), ("drawn", "已抽取")]
    title = models.CharField("计划名称", max_length=200)
    division = models.CharField("组织机关区划", max_length=6, db_index=True)
    entity = models.CharField("对象类型", max_length=12)  # right | facility
    filters = models.JSONField("对象库条件", default=dict)
    ratio = models.FloatField("抽查比例", null=True, blank=True)
    count = models.PositiveIntegerField("抽查数量", null=True, blank=True)
    per_subject = models.PositiveSmallIntegerField("每户检查人员数", default=2)
    recusal = models.JSONField("回避规则", default=dict)
    seed_source = models.CharField("随机种子来源", max_length=300)
    state = models.CharField("状态", max_length=12, choices=STATES, default="draft")
    announced = models.JSONField("公布的库哈希", default=dict, blank=True)
    subjects = models.JSONField("冻结的检查对象库", default=list, blank=True)
    inspectors = models.JSONField("冻结的执法人员库", default=list, blank=True)
    seed = models.CharField("随机种子", max_length=300, blank=True)
    result = models.JSONField("抽取结果", default=dict, blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)


class Inspection(models.Model):
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="inspections")
    subject = models.CharField("检查对象", max_length=64)  # the draw's subject id (licence number or facility:<pk>)
    subject_name = models.CharField(max_length=200, blank=True)
    enterprise_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    division = models.CharField(max_length=6, db_index=True)
    inspectors = models.JSONField("检查人员", default=list)
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    notes = models.TextField("检查情况", blank=True)


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="findings")
    enterprise_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    division = models.CharField(max_length=6, db_index=True)
    subject = models.CharField(max_length=64, blank=True)
    entry = models.CharField("政策目录条目", max_length=80, blank=True)
    rule = models.CharField("合规规则", max_length=64, blank=True)
    verdict = models.CharField("合规结论", max_length=40, blank=True)  # "compliance.SweepResult:<pk>"
    source = models.CharField("来源", max_length=80, blank=True, db_index=True)  # e.g. "hj212.Alarm:<pk>"
    description = models.TextField("问题描述")
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)


class Case(models.Model):
    KINDS = [("finding", "检查发现问题"), ("zombie", "僵尸探矿权清理")]
    kind = models.CharField("类型", max_length=12, choices=KINDS, default="finding")
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    right_id = models.BigIntegerField(null=True, blank=True)
    subject_name = models.CharField(max_length=200, blank=True)
    enterprise_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    enterprise_name = models.CharField(max_length=200, blank=True)
    division = models.CharField(max_length=6, db_index=True)
    state = models.CharField(
        "状态", max_length=12, choices=[(k, v[0]) for k, v in cases.STATES.items()], default="open"
    )
    evidence = models.JSONField("证据", default=list, blank=True)
    opened_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["state", "division"])]


class Step(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=24)
    before = models.CharField(max_length=12)
    after = models.CharField(max_length=12)
    actor = models.CharField(max_length=150)
    on = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="supervision_step_seq")]


class Order(models.Model):
    KINDS = [("rectify", "限期整改"), ("stop_work", "停产整顿"), ("closure", "关闭/取缔")]
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="orders")
    kind = models.CharField(max_length=12, choices=KINDS)
    issued_on = models.DateField()
    deadline = models.DateField(null=True, blank=True, db_index=True)
    text = models.TextField(blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answer = models.TextField(blank=True)
    late = models.BooleanField(default=False)
    verified = models.CharField(max_length=12, blank=True)  # accepted | rejected


class Attachment(StoredFile):
    """A photo or document on a finding or an order's answer (PDF, PNG, JPEG; kuangzheng.attachments)."""

    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")


class Alert(models.Model):
    """The supervision inbox: one row per alert key, raised by the daily job and resolved by it when
    the condition no longer holds."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=32, db_index=True)
    source = models.CharField(max_length=64)
    division = models.CharField(max_length=6, db_index=True)
    enterprise_id = models.BigIntegerField(null=True, blank=True)
    due = models.DateField(null=True, blank=True)
    text_zh = models.CharField(max_length=300)
    text_en = models.CharField(max_length=300)
    raised_on = models.DateField(db_index=True)
    resolved_on = models.DateField(null=True, blank=True, db_index=True)


class WorkReport(models.Model):
    """M15 开工/收工报告 of an exploration right."""

    KINDS = [("start", "开工报告"), ("finish", "收工报告")]
    right_id = models.BigIntegerField(db_index=True)
    kind = models.CharField(max_length=8, choices=KINDS)
    reported_on = models.DateField()
    filed_by = models.CharField(max_length=150)


class InvestmentReport(models.Model):
    """An exploration right's reported exploration investment for one calendar year (M19)."""

    right_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    amount_yuan = models.DecimalField(max_digits=16, decimal_places=2)
    filed_by = models.CharField(max_length=150)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["right_id", "year"], name="supervision_investment_year")]
