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
