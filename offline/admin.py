from django.contrib import admin

from .models import ConflictChoice


@admin.register(ConflictChoice)
class ConflictChoiceAdmin(admin.ModelAdmin):
    """Read only, for administrators only (the versions hold a report's text, of any district): the record of
    what an officer kept when a save from the phone met a report changed on the server."""

    list_display = ["chosen_at", "user", "path", "kept"]
    list_filter = ["kept"]
    list_select_related = ["user"]
    readonly_fields = ["user", "path", "kept", "phone_version", "server_version", "chosen_at"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
