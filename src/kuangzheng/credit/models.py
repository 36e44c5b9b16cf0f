"""List entries (every proposal, entry and removal kept: nothing is deleted) and annual information
filings. Writes go through services.py only."""

from __future__ import annotations

from django.db import models

PROPOSED, LISTED, REMOVED = "proposed", "listed", "removed"


class ListEntry(models.Model):
    list_key = models.CharField("名单", max_length=32, db_index=True)
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="credit_entries")
    division = models.CharField("所在区划", max_length=6, db_index=True)  # the holder's, for scopes
    status = models.CharField("状态", max_length=12, default=PROPOSED, db_index=True)
    version = models.PositiveIntegerField(default=1)
    reason = models.CharField("列入事由", max_length=40)
    detail_zh = models.TextField("事实与理由", blank=True)
    detail_en = models.TextField(blank=True)
    basis = models.TextField("依据")
    source = models.CharField("来源", max_length=120, blank=True)  # "<app_label>.<Model>:<pk>" that caused it
    info_year = models.PositiveIntegerField(null=True)  # annual filing proposals: the year not filed
    proposed_by = models.CharField(max_length=150)
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.CharField(max_length=150, blank=True)
    entered_on = models.DateField("列入日期", null=True, db_index=True)
    last_day = models.DateField("期满日", null=True, db_index=True)  # None: no term
    removal_requested = models.TextField(blank=True)
    removed_on = models.DateField("移出日期", null=True)
    removal_kind = models.CharField(max_length=12, blank=True)
    removal_reason_zh = models.TextField(blank=True)
    removal_reason_en = models.TextField(blank=True)
    removed_by = models.CharField(max_length=150, blank=True)
    followed_by = models.ForeignKey("self", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["enterprise", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "list_key", "info_year"],
                condition=models.Q(reason="annual_filing_missing"),
                name="credit_one_filing_proposal_per_year",
            ),
            # The service refuses a second entry on a list a holder is already on; two regulators doing it
            # at the same moment both pass that check, so the database holds the rule too.
            models.UniqueConstraint(
                fields=["enterprise", "list_key"], condition=models.Q(status=LISTED), name="credit_listed_once"
            ),
        ]


class AnnualFiling(models.Model):
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="annual_filings")
    division = models.CharField(max_length=6, db_index=True)
    info_year = models.PositiveIntegerField("信息年度")
    filed_on = models.DateField("公示日期")
    filed_by = models.CharField(max_length=150)
    data = models.JSONField(default=dict)
    late = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enterprise", "info_year"], name="credit_one_filing_per_year")]
