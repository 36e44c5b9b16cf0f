"""Monitoring points registered per facility, the regulator's limits, the received frames (one per
MN, QN, CN: the idempotency key) and the measurements' time series, and the alarms.

Facilities live in the registry: they are referenced by a string foreign key and read only through
`kuangzheng.registry.services`. A point keeps the division and enterprise of its facility (copied
at registration) so that scopes are a filter on its own row."""

from django.db import models

MEDIA = [("air", "废气 flue gas"), ("water", "废水 wastewater")]
BASES = [("measured", "实测浓度 measured"), ("converted", "折算浓度 converted to reference O₂")]
# the kind of value follows the command that carried it
KINDS = [
    ("rtd", "实时 real-time (2011)"),
    ("min", "分钟 minute (2051)"),
    ("hour", "小时 hourly (2061)"),
    ("day", "日 daily (2031)"),
    ("runtime", "运行时间 run time (2041)"),
    ("status", "运行状态 status (2021)"),
]
ALARM_KINDS = [
    ("exceedance", "超标 exceedance"),
    ("device", "仪器状态 device state"),
    ("silence", "数据中断 silent"),
    ("capture", "捕获率 capture rate"),
]


class MonitoringPoint(models.Model):
    facility = models.ForeignKey("registry.Facility", on_delete=models.PROTECT, related_name="hj212_points")
    division_code = models.CharField("所在区划", max_length=6, db_index=True)
    enterprise_id = models.IntegerField("企业", null=True, blank=True, db_index=True)
    mn = models.CharField("设备唯一标识 MN", max_length=24, unique=True)
    password = models.CharField("访问密码 PW", max_length=6)
    name = models.CharField("监测点名称", max_length=100)
    medium = models.CharField("介质", max_length=5, choices=MEDIA)
    rtd_interval = models.PositiveIntegerField("实时数据间隔(秒)", default=30)
    silence_allowed = models.PositiveIntegerField("允许中断(秒)", default=90)
    reference_o2 = models.FloatField("基准氧含量(%)", null=True, blank=True)
    capture_threshold = models.FloatField("数据捕获率报警下限", null=True, blank=True)  # 0..1, set by the regulator
    capture_source = models.CharField("捕获率下限依据", max_length=300, blank=True)
    is_public = models.BooleanField("公开", default=True)
    last_contact = models.DateTimeField("最近通讯", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_generated = models.BooleanField("演示生成数据", default=False)
    source = models.CharField("数据来源", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["division_code", "name"]
        verbose_name = verbose_name_plural = "在线监测点"

    def __str__(self):
        return f"{self.name} ({self.mn})"


class PollutantLimit(models.Model):
    """A limit entered by the regulator, with its source (the permit or the standard it names)."""

    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="limits")
    code = models.CharField("污染物编码", max_length=10)
    value = models.FloatField("限值")
    unit = models.CharField("单位", max_length=16)
    basis = models.CharField("比较对象", max_length=10, choices=BASES, default="measured")
    source = models.CharField("限值来源", max_length=300)
    is_example = models.BooleanField("示例限值", default=False)
    entered_by = models.CharField(max_length=150)
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["point", "code"]
        constraints = [models.UniqueConstraint(fields=["point", "code"], name="hj212_limit_unique")]


class ReceivedFrame(models.Model):
    """Every accepted message once: a re-sent frame (same MN, QN, CN) is not stored again."""

    mn = models.CharField(max_length=24)
    qn = models.CharField(max_length=20)
    cn = models.CharField(max_length=4)
    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="+")
    data_time = models.DateTimeField(null=True)
    received_at = models.DateTimeField(db_index=True)
    crc_ok = models.BooleanField(default=True)
    problems = models.CharField(max_length=500, blank=True)  # what lenient mode overlooked
    raw = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mn", "qn", "cn"], name="hj212_frame_once")]


class Measurement(models.Model):
    """One value of one pollutant at one time. On PostgreSQL the table is partitioned by month of
    `data_time` (migration 0002); the unique key doubles as the point-and-time index."""

    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=7, choices=KINDS)
    data_time = models.DateTimeField()
    code = models.CharField(max_length=10)
    value = models.FloatField(null=True)  # Rtd for real-time values, Avg for aggregates, RS / RT
    min = models.FloatField(null=True)
    max = models.FloatField(null=True)
    cou = models.FloatField(null=True)
    zs = models.FloatField(null=True)  # ZsRtd / ZsAvg: converted to the reference O₂
    flag = models.CharField(max_length=1, default="N")
    # an hourly value the platform computed from real-time or minute values because the logger sent
    # none; a reported one (2061) replaces it
    derived = models.BooleanField(default=False, db_default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["point", "kind", "data_time", "code"], name="hj212_measurement_once")
        ]


class Alarm(models.Model):
    """An alarm with its history: open while the condition holds, closed (`ended_at`) when it ends."""

    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="alarms")
    kind = models.CharField(max_length=10, choices=ALARM_KINDS)
    code = models.CharField(max_length=10, blank=True)
    at = models.DateTimeField()  # the hour, the flag's time, the last contact, the day
    value = models.FloatField(null=True)
    threshold = models.FloatField(null=True)
    unit = models.CharField(max_length=16, blank=True)
    severity = models.CharField(max_length=10)
    message_zh = models.CharField(max_length=300)
    message_en = models.CharField(max_length=300)
    source = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["point", "kind", "code", "ended_at"])]
