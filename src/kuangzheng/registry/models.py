"""Registry tables. Geometry is WKB in CGCS2000 (EPSG:4490) with bounding-box columns, so the embedded
SQLite default needs no spatial extension; on PostGIS an expression index makes it queryable there."""

from django.db import models

from .core import vocab


class Division(models.Model):
    """GB/T 2260 administrative division (province, prefecture/league, county/banner)."""

    code = models.CharField("区划代码", max_length=6, primary_key=True)
    name_zh = models.CharField("名称", max_length=64)
    name_en = models.CharField("英文名", max_length=128, blank=True)
    level = models.CharField("级别", max_length=12, choices=vocab.DIVISION_LEVELS)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级区划"
    )
    boundary = models.BinaryField("边界(WKB, EPSG:4490)", null=True, blank=True, editable=False)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    source = models.CharField("数据来源", max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "行政区划"

    def __str__(self):
        return f"{self.code} {self.name_zh}"


class ImportBatch(models.Model):
    """One bulk import. Its records are written in short chunked transactions, each tagged with the
    batch; they stay invisible (`services.scoped`) until the batch is `done`, and a batch that fails
    (or whose process died) is deleted record by record with an audit entry each (`rolled_back`)."""

    STATES = [("running", "进行中"), ("done", "已完成"), ("rolled_back", "已撤回")]
    entity = models.CharField("对象类型", max_length=16)
    actor = models.CharField("操作人", max_length=150)
    source = models.CharField("来源", max_length=200, blank=True)
    host = models.CharField("主机", max_length=255, blank=True)  # where the writing process runs
    pid = models.PositiveIntegerField("进程号", null=True, blank=True)
    state = models.CharField("状态", max_length=12, choices=STATES, default="running", db_index=True)
    rows = models.PositiveIntegerField("行数", default=0)
    written = models.PositiveIntegerField("已写入", default=0)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    heartbeat = models.DateTimeField("最近写入", auto_now=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    problem = models.TextField("失败原因", blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "批量导入"


class Record(models.Model):
    """Fields every registry record shares: scope, optimistic-locking version, provenance."""

    division = models.ForeignKey(Division, on_delete=models.PROTECT, verbose_name="所在区划")
    version = models.PositiveIntegerField("版本", default=1)
    is_generated = models.BooleanField(
        "演示生成数据", default=False, help_text="True for demo records generated where no real data exists"
    )
    source = models.CharField("数据来源", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class Spatial(models.Model):
    boundary = models.BinaryField("边界(WKB, EPSG:4490)", null=True, blank=True, editable=False)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    area_km2 = models.DecimalField("面积(km²)", max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        abstract = True


class Enterprise(Record):
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    name = models.CharField("企业名称", max_length=200)
    ownership = models.CharField("所有制类型", max_length=16, choices=vocab.OWNERSHIP, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=64, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "企业"
        constraints = [models.UniqueConstraint(fields=["name", "division"], name="enterprise_name_division")]

    def __str__(self):
        return self.name


class Zone(Record, Spatial):
    """Planning zones and blocks, protected areas and parks."""

    code = models.CharField("编号", max_length=64, unique=True)
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=40, choices=vocab.ZONE_KINDS)
    minerals = models.JSONField("矿种", default=list, blank=True)
    plan = models.CharField("所属规划", max_length=64, blank=True)
    release_date = models.DateField("投放时间", null=True, blank=True)
    attrs = models.JSONField("其他属性", default=dict, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "规划分区与区块"

    def __str__(self):
        return f"{self.code} {self.name}"


class Facility(Record):
    """Mines, concentrators, smelters, electrolytic-aluminium lines, processing plants."""

    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="facilities", verbose_name="企业"
    )
    external_id = models.CharField("外部编号", max_length=64, blank=True, db_index=True)
    # the same real site in other sources (ICMM and GEM ids of one mine), external_id among them
    source_ids = models.JSONField("各来源编号", default=list, blank=True)
    name = models.CharField("名称", max_length=200)
    name_en = models.CharField("英文名称", max_length=200, blank=True)
    kind = models.CharField("类型", max_length=24, choices=vocab.FACILITY_KINDS)
    metals = models.JSONField("金属/矿种", default=list, blank=True)
    status = models.CharField("状态", max_length=24, choices=vocab.FACILITY_STATUS, default="operating")
    project_type = models.CharField("项目类型", max_length=16, choices=vocab.PROJECT_TYPES, default="existing")
    lon = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    park = models.ForeignKey(
        Zone,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilities",
        limit_choices_to={"kind": "industrial_park"},
        verbose_name="所在园区",
    )
    process = models.CharField("工艺", max_length=200, blank=True)
    capacity = models.FloatField("产能", null=True, blank=True)
    capacity_unit = models.CharField("产能单位", max_length=16, choices=vocab.CAPACITY_UNITS, blank=True)
    single_series_capacity = models.FloatField("单系列产能(万吨/年)", null=True, blank=True)
    daily_capacity = models.FloatField("处理能力(吨/日)", null=True, blank=True)
    cell_current_ka = models.FloatField("槽电流(kA)", null=True, blank=True)
    ac_molten_kwh_t = models.FloatField("铝液电解交流电耗(kWh/t)", null=True, blank=True)
    ac_ingot_kwh_t = models.FloatField("铝锭综合交流电耗(kWh/t)", null=True, blank=True)
    current_efficiency_pct = models.FloatField("电流效率(%)", null=True, blank=True)
    capital_ratio_pct = models.FloatField("资本金比例(%)", null=True, blank=True)
    self_supply_pct = models.FloatField("自给资源保障(%)", null=True, blank=True)
    equipment_level = models.CharField("装备工艺水平", max_length=24, choices=vocab.EQUIPMENT_LEVELS, blank=True)
    mining_method = models.CharField("开采方式", max_length=16, choices=vocab.MINING_METHODS, blank=True)
    coal_rank = models.CharField("煤种", max_length=24, blank=True)
    commissioned = models.PositiveSmallIntegerField("投产年份", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "生产设施"
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self):
        return self.name


class MineralRight(Record, Spatial):
    licence_no = models.CharField("许可证号", max_length=40, unique=True)
    kind = models.CharField("类别", max_length=12, choices=vocab.RIGHT_KINDS)
    name = models.CharField("项目/矿山名称", max_length=200)
    holder = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="rights", verbose_name="权利人")
    minerals = models.JSONField("矿种", default=list)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")
    obtained_by = models.CharField("取得方式", max_length=12, choices=vocab.OBTAINED_BY)
    designed_scale = models.FloatField("设计规模", null=True, blank=True)
    designed_scale_unit = models.CharField("规模单位", max_length=16, choices=vocab.CAPACITY_UNITS, blank=True)
    elevation_top = models.FloatField("开采标高上限(m)", null=True, blank=True)
    elevation_bottom = models.FloatField("开采标高下限(m)", null=True, blank=True)
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.SET_NULL, related_name="rights", verbose_name="对应矿山"
    )
    # Derived from the events by lifecycle.state_after(); stored so lists can filter on it.
    status = models.CharField("状态", max_length=12, choices=vocab.RIGHT_STATES, editable=False)

    class Meta:
        ordering = ["licence_no"]
        verbose_name = verbose_name_plural = "矿业权"
        indexes = [
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["min_lon", "min_lat", "max_lon", "max_lat"]),
        ]

    def __str__(self):
        return f"{self.licence_no} {self.name}"


class RightEvent(models.Model):
    """A life-cycle transition of a mineral right. Append-only; the right's state is their fold."""

    right = models.ForeignKey(MineralRight, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField("事项", max_length=12, choices=vocab.RIGHT_EVENTS)
    date = models.DateField("日期")
    actor = models.CharField("经办人", max_length=150)
    reason = models.CharField("事由", max_length=500, blank=True)
    document_ref = models.CharField("文号", max_length=120, blank=True)
    payload = models.JSONField("变更内容", default=dict, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["right", "seq"]
        constraints = [models.UniqueConstraint(fields=["right", "seq"], name="right_event_seq")]
        verbose_name = verbose_name_plural = "矿业权变更事项"
