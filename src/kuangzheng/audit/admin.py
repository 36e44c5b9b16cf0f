from django.contrib import admin

from .models import AuditCheckpoint, AuditEntry


class AppendOnlyAdmin(admin.ModelAdmin):
    """The audit log and its checkpoints are shown, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(AppendOnlyAdmin):
    list_display = ("seq", "at", "actor", "role", "action", "entity", "entity_id")
    list_filter = ("entity", "action")
    search_fields = ("actor", "entity_id")


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(AppendOnlyAdmin):
    list_display = ("seq", "at", "head_hash", "key_id")
