from django.contrib import admin

from .models import ApiToken, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "division", "enterprise")
    list_filter = ("role",)
    raw_id_fields = ("enterprise",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are made by their owners or `kz token create`; the admin can only revoke."""

    list_display = ("user", "name", "prefix", "created", "last_used", "expires", "revoked")
    list_filter = ("revoked",)
    readonly_fields = ("user", "name", "prefix", "digest", "created", "last_used", "expires")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="吊销所选令牌 Revoke the selected tokens")
    def revoke(self, request, queryset):
        from django.utils import timezone

        queryset.filter(revoked__isnull=True).update(revoked=timezone.now())
