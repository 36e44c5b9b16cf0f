from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "管理员 Administrator"
    REGULATOR = "regulator", "监管人员 Regulator"
    ENTERPRISE = "enterprise", "企业用户 Enterprise user"


class Profile(models.Model):
    """Binds a user to a role and, for regulators and enterprise users, to a scope."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kz_profile")
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    division = models.ForeignKey(
        "registry.Division", null=True, blank=True, on_delete=models.PROTECT, verbose_name="管辖区划"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", null=True, blank=True, on_delete=models.PROTECT, verbose_name="所属企业"
    )

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"

    def __str__(self):
        return f"{self.user} ({self.role})"


class ApiToken(models.Model):
    """A bearer token for API scripts. Only the SHA-256 digest of the secret is stored: the secret is
    shown once when the token is made. A 256-bit random secret needs no slow hash (nothing to guess),
    so checking a token costs one digest and one indexed look-up, unlike a password."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kz_tokens")
    name = models.CharField("名称", max_length=100)
    prefix = models.CharField("前缀", max_length=12, help_text="the first characters, to recognise a token")
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField("创建时间", auto_now_add=True)
    last_used = models.DateTimeField("最近使用", null=True, blank=True)
    expires = models.DateTimeField("过期时间", null=True, blank=True)
    revoked = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user} · {self.name} ({self.prefix}…)"
