from django.db import models


class Notice(models.Model):
    """One public notice. Never deleted: withdrawing marks it, with the reason, and it stays on the board."""

    kind = models.CharField(max_length=40, db_index=True)
    source = models.CharField(max_length=80, db_index=True)  # "app.Record:id" the notice is about
    division = models.CharField(max_length=12, db_index=True)
    title_zh = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    body_zh = models.TextField()
    body_en = models.TextField()
    url = models.CharField(max_length=300, blank=True, default="")
    ends_on = models.DateField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    published_at = models.DateTimeField(db_index=True)
    published_by = models.CharField(max_length=150)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.CharField(max_length=150, blank=True, default="")
    withdraw_reason_zh = models.TextField(blank=True, default="")
    withdraw_reason_en = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["kind", "published_at"])]
