from django.db import models


class AuditEntry(models.Model):
    """One write. `hash` = sha256(prev_hash + canonical JSON of the other fields): editing or deleting
    any entry breaks every hash after it, which `kz audit verify` detects."""

    seq = models.BigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间")
    actor = models.CharField("操作人", max_length=150)
    role = models.CharField("角色", max_length=16)
    action = models.CharField("操作", max_length=32)
    entity = models.CharField("对象类型", max_length=64)
    entity_id = models.CharField("对象标识", max_length=64)
    before = models.JSONField("修改前", null=True)
    after = models.JSONField("修改后", null=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = verbose_name_plural = "审计日志"
        indexes = [models.Index(fields=["entity", "entity_id"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are append-only")


class AuditHead(models.Model):
    """A single row every writer updates first: it serialises appends to the chain on SQLite (write
    lock) and PostgreSQL (row lock), so two concurrent writers never fork the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)


class AuditCheckpoint(models.Model):
    """The chain's head at one moment, signed with a key kept outside the database (Ed25519) and also
    appended to a log file outside it. A forger who truncates the chain or rewrites an entry and
    recomputes every later hash cannot make the head match a checkpoint below it, nor sign a new one."""

    seq = models.BigIntegerField("序号", unique=True)
    head_hash = models.CharField(max_length=64)
    at = models.DateTimeField("时间")
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ["seq"]
        verbose_name = verbose_name_plural = "审计检查点"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit checkpoints are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit checkpoints are append-only")
