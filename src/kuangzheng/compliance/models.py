"""Sweep runs and their results. A result row is compact: rule, subject, outcome and reason codes,
and the facts and catalogue entry ids the verdict is rendered from (`engine.render`)."""

import json

from django.db import models


class OrderedJSONField(models.TextField):
    """JSON kept as text. PostgreSQL's jsonb reorders an object's keys, and a verdict's facts are
    ordered: the first one is the fact its explanation names, and the trace lists them in order."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else json.loads(value)

    def to_python(self, value):
        return json.loads(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False)


class Wording(models.Model):
    """What verdicts are rendered with besides their facts (`engine.wording`): the rules' titles,
    reasons and labels and the cited catalogue entries, kept once per distinct content (its digest)."""

    digest = models.CharField(max_length=64, unique=True)
    content = OrderedJSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "审查措辞版本"

    def __str__(self):
        return self.digest[:12]


class SweepRun(models.Model):
    as_of = models.DateField("评估基准日")
    scope = models.CharField(
        "区划范围前缀",
        max_length=6,
        blank=True,
        help_text="GB/T 2260 prefix of the divisions covered; empty for the whole registry",
    )
    started_by = models.CharField("发起人", max_length=150)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    subjects = models.PositiveIntegerField("审查对象数", default=0)
    evaluations = models.PositiveIntegerField("规则评估次数", default=0)
    seconds = models.FloatField("规则评估耗时(秒)", default=0)
    total_seconds = models.FloatField("扫描总耗时(秒)", default=0, help_text="load, spatial facts, rules and storing")
    counts = models.JSONField("按规则和结果计数", default=dict)
    code_version = models.CharField("代码版本", max_length=80, blank=True, help_text="engine.code_version()")
    catalogue_hash = models.CharField("政策目录内容哈希", max_length=64, blank=True)
    wording = models.ForeignKey(Wording, null=True, blank=True, on_delete=models.PROTECT, related_name="runs")

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "合规扫描"

    def __str__(self):
        return f"sweep {self.pk} as of {self.as_of}"


class SweepResult(models.Model):
    run = models.ForeignKey(SweepRun, on_delete=models.CASCADE, related_name="results")
    rule = models.CharField(max_length=64)
    subject_kind = models.CharField(max_length=12)
    subject_id = models.BigIntegerField()
    subject_name = models.CharField(max_length=200, blank=True)
    division_code = models.CharField(max_length=6, blank=True)
    enterprise_id = models.BigIntegerField(null=True, blank=True)
    outcome = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=48)  # a stable key (engine.REASON_KEYS), worded by the run's wording
    facts = OrderedJSONField(default=dict)
    entries = models.JSONField(default=list)

    class Meta:
        ordering = ["run", "rule", "subject_kind", "subject_id"]
        indexes = [
            models.Index(fields=["run", "rule", "outcome"]),
            models.Index(fields=["run", "subject_kind", "subject_id"]),
            models.Index(fields=["run", "division_code"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["run", "rule", "subject_kind", "subject_id"], name="sweep_result_unique")
        ]
