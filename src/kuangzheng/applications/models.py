"""Applications, their path, review tasks, objections, attachments and the licence serials.
Writes go through services.py only."""

from __future__ import annotations

from django.db import models

from kuangzheng.attachments import StoredFile


class Application(models.Model):
    kind = models.CharField("申请类型", max_length=32)
    status = models.CharField("状态", max_length=32, default="draft", db_index=True)
    version = models.PositiveIntegerField(default=1)
    applicant = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="applications")
    filed_by = models.CharField(max_length=150)
    division = models.CharField("所在区划", max_length=6, blank=True)
    competent_division = models.CharField("审批机关区划", max_length=6, blank=True, db_index=True)
    competent_level = models.CharField(max_length=16, blank=True)
    right_kind = models.CharField(max_length=12, blank=True)
    licence_no = models.CharField("所涉许可证号", max_length=40, blank=True)
    record = models.JSONField(default=dict)
    context = models.JSONField(default=dict)
    corner_points = models.TextField(blank=True)
    boundary = models.BinaryField(null=True)  # WKB, EPSG:4490
    min_lon = models.FloatField(null=True)
    min_lat = models.FloatField(null=True)
    max_lon = models.FloatField(null=True)
    max_lat = models.FloatField(null=True)
    area_km2 = models.FloatField(null=True)
    filed_at = models.DateTimeField(null=True, db_index=True)
    checks = models.JSONField(default=dict)
    overrides = models.JSONField(default=dict)  # check key -> {by, reason, at}
    notice_until = models.DateField(null=True)
    decision_reason = models.TextField(blank=True)
    registered_licence_no = models.CharField(max_length=40, blank=True)
    registered_right_id = models.IntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"])]


class Step(models.Model):
    """One action on an application: the history the clocks are folded from."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=32)
    state = models.CharField(max_length=32)
    on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "seq"], name="application_step_seq")]
        ordering = ["seq"]


class ReviewTask(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="tasks")
    role = models.CharField(max_length=32)
    done = models.BooleanField(default=False)
    opinion = models.TextField(blank=True)
    reviewer = models.CharField(max_length=150, blank=True)
    done_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "role"], name="application_task_role")]


class Objection(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField()
    contact = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.CharField(max_length=150, blank=True)
    answered_at = models.DateTimeField(null=True)


class Attachment(StoredFile):
    """A document for one item of the application's kind (types and checks: kuangzheng.attachments)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    item = models.CharField(max_length=64)


class LicenceSerial(models.Model):
    """The last serial issued in one series (prefix + division + year-month). Incremented by a
    conditional UPDATE, which row-locks (PostgreSQL) or takes the write lock (SQLite) until commit."""

    series = models.CharField(max_length=32, unique=True)
    last = models.PositiveIntegerField(default=0)


class Message(models.Model):
    """An in-app inbox entry for one party of an application: the applicant enterprise's users
    (`enterprise:<id>`) or the deciding division's regulators (`division:<code>`)."""

    audience = models.CharField(max_length=32, db_index=True)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    action = models.CharField(max_length=32)
    text_zh = models.TextField()
    text_en = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
