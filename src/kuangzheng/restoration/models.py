"""Restoration tables. Writes go through services.py (plans, phases), fund.py (the ledger) and
responsibility.py (problems and projects) only."""

from django.db import models

from kuangzheng.attachments import StoredFile

from .core import ledger, phases, responsibility


class Plan(models.Model):
    """The geo-environment protection and restoration plan of one mining right (M45)."""

    right = models.ForeignKey("registry.MineralRight", on_delete=models.PROTECT, related_name="restoration_plans")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey("registry.Division", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("方案名称", max_length=200)
    development_plan_ref = models.CharField("开发利用方案文号", max_length=120, blank=True)
    first_year = models.PositiveIntegerField("起始年度")
    last_year = models.PositiveIntegerField("终止年度")
    state = models.CharField("状态", max_length=20, choices=list(phases.PLAN_STATES.items()), default="drafted")
    responsibility_letter_ref = models.CharField("治理责任书编号", max_length=120, blank=True)
    notice_ends_on = models.DateField("公示截止", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_generated = models.BooleanField("演示生成数据", default=False)
    source = models.CharField(max_length=200, blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]


class PlanDocument(StoredFile):
    """The plan's text (PDF; kuangzheng.attachments)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="documents")


class Phase(models.Model):
    """One three-year cycle of a plan (M48): planned and actual areas by land use (ha), cost."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases")
    seq = models.PositiveIntegerField()
    start_year = models.PositiveIntegerField()
    end_year = models.PositiveIntegerField()
    planned = models.JSONField(default=dict)  # {land_use: {damaged, occupied, restored, reclaimed}}
    actual = models.JSONField(default=dict)
    cost_estimate_cents = models.BigIntegerField(default=0)
    state = models.CharField(max_length=12, choices=list(phases.PHASE_STATES.items()), default="planned")
    reported_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="restoration_phase_seq")]


class Acceptance(models.Model):
    """Every acceptance inspection of a phase, passed or failed, kept (M45, M53)."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="acceptances")
    checklist = models.JSONField()
    passed = models.BooleanField()
    failures = models.JSONField(default=list)
    note = models.CharField(max_length=500, blank=True)
    inspector = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)


class FundAccount(models.Model):
    """One fund account per mine (mining right). Row-locked by every posting (fund.py)."""

    right = models.OneToOneField("registry.MineralRight", on_delete=models.PROTECT, related_name="fund_account")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey("registry.Division", on_delete=models.PROTECT, related_name="+")
    variant = models.CharField(max_length=32)
    # the stored balances (cents), rewritten by each posting from the locked ledger; checked by state()
    fund_cents = models.BigIntegerField(default=0)
    bond_cents = models.BigIntegerField(default=0)
    is_generated = models.BooleanField(default=False)


class Posting(models.Model):
    """Append-only: never updated or deleted (a mistake is corrected by a further posting)."""

    account = models.ForeignKey(FundAccount, on_delete=models.PROTECT, related_name="postings")
    request_id = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, choices=list(ledger.KIND_ZH.items()))
    cents = models.BigIntegerField()
    source = models.CharField(max_length=8, blank=True)
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.PROTECT, related_name="postings")
    year = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    actor = models.CharField(max_length=150)
    is_generated = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class PostingLeg(models.Model):
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="legs")
    ledger_account = models.CharField(max_length=12)
    cents = models.BigIntegerField()  # debit +, credit −


class Problem(models.Model):
    """One geo-environment problem on a league's/city's responsibility ledger (M49, M50)."""

    division = models.ForeignKey("registry.Division", on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(
        "registry.MineralRight", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    site = models.CharField("场地名称", max_length=200)
    problem_type = models.CharField("问题类型", max_length=64)
    area_ha = models.FloatField("面积(公顷)")
    arose_on = models.DateField("形成时间")
    mine_state = models.CharField(max_length=16, choices=list(responsibility.MINE_STATES.items()))
    party_exists = models.BooleanField("责任人存在")
    responsible_party = models.CharField("责任主体", max_length=200)
    classification = models.CharField(max_length=4)  # new | old
    reason = models.CharField(max_length=20)
    source = models.CharField(max_length=12, choices=list(responsibility.SOURCES.items()))
    source_ref = models.CharField(max_length=80, blank=True)  # e.g. "supervision.Finding:7"
    restored_ha = models.FloatField(default=0)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    is_generated = models.BooleanField(default=False)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]


class GovernmentProject(models.Model):
    """The government project that restores old problems (M49, M52)."""

    division = models.ForeignKey("registry.Division", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    problems = models.ManyToManyField(Problem, related_name="projects")
    funding_source = models.CharField("资金来源", max_length=200)
    mode = models.CharField(max_length=24, choices=list(responsibility.FUNDING_MODES.items()))
    budget_cents = models.BigIntegerField(default=0)
    contractor = models.CharField(max_length=200, blank=True)
    year = models.PositiveIntegerField()
    is_generated = models.BooleanField(default=False)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]


class GreenMine(models.Model):
    """An application for one green-mine level (M54): applied → evaluated → listed (or not passed)."""

    STATES = [("applied", "已申请"), ("listed", "已入选名录"), ("not_passed", "未通过")]
    right = models.ForeignKey("registry.MineralRight", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey("registry.Division", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=10)
    state = models.CharField(max_length=12, choices=STATES, default="applied")
    scores = models.JSONField(default=dict)
    total = models.FloatField(null=True, blank=True)
    listed_on = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    evaluated_by = models.CharField(max_length=150, blank=True)
    is_generated = models.BooleanField(default=False)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
