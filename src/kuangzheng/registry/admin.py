"""Back-office admin in Chinese. Saves go through the service layer (validation, scope, audit)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from kuangzheng.access.actor import actor_for_user
from kuangzheng.errors import ServiceError

from . import services
from .models import Division, Enterprise, Facility, MineralRight, RightEvent, Zone


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name_zh", "name_en")

    def has_change_permission(self, request, obj=None):
        return False  # reference data, loaded from the published boundaries

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceAdmin(admin.ModelAdmin):
    """Route admin saves through services.create/update; deletion is not a registry operation."""

    entity = ""

    def get_queryset(self, request):
        return services.scoped(actor_for_user(request.user), self.entity)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        actor = actor_for_user(request.user)
        names = {f.name for f in services.entity(self.entity).specs}
        data = {k: v for k, v in form.cleaned_data.items() if k in names}
        try:
            if change:
                changed = {k: data[k] for k in form.changed_data if k in data}
                saved = services.update(actor, self.entity, obj.pk, changed, form.initial.get("version", obj.version))
            else:
                saved = services.create(actor, self.entity, data)
            obj.pk = saved.pk
        except ServiceError as exc:
            messages.error(request, f"{exc.zh} / {exc.en}")
            raise PermissionDenied(exc.en) from exc


@admin.register(Enterprise)
class EnterpriseAdmin(ServiceAdmin):
    entity = "enterprise"
    list_display = ("name", "credit_code", "division", "ownership", "is_generated")
    search_fields = ("name", "credit_code")
    list_filter = ("ownership", "is_generated")
    readonly_fields = ("version", "is_generated", "source")


@admin.register(Facility)
class FacilityAdmin(ServiceAdmin):
    entity = "facility"
    list_display = ("name", "kind", "status", "enterprise", "division", "is_generated")
    search_fields = ("name", "external_id")
    list_filter = ("kind", "status", "is_generated")
    readonly_fields = ("version", "is_generated", "source")


@admin.register(Zone)
class ZoneAdmin(ServiceAdmin):
    entity = "zone"
    list_display = ("code", "name", "kind", "division", "area_km2", "release_date")
    search_fields = ("code", "name")
    list_filter = ("kind",)
    readonly_fields = ("version", "is_generated", "source", "area_km2")


class RightEventInline(admin.TabularInline):
    model = RightEvent
    extra = 0
    can_delete = False
    readonly_fields = ("seq", "kind", "date", "actor", "reason", "document_ref", "payload")

    def has_add_permission(self, request, obj=None):
        return False  # events are recorded through the portal or API (life-cycle checks)


@admin.register(MineralRight)
class MineralRightAdmin(ServiceAdmin):
    entity = "right"
    list_display = ("licence_no", "kind", "name", "holder", "status", "valid_to", "is_generated")
    search_fields = ("licence_no", "name")
    list_filter = ("kind", "status", "is_generated")
    readonly_fields = ("version", "is_generated", "source", "area_km2", "status", "holder", "valid_to")
    inlines = [RightEventInline]

    def has_add_permission(self, request):
        return False  # registration needs its first life-cycle event: use the portal or the API
