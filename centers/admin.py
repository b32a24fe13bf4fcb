from django.contrib import admin

from core.admin import ScopedAdmin

from .models import Center


@admin.register(Center)
class CenterAdmin(ScopedAdmin):
    list_display = ["name", "village", "founded_year", "status"]
    list_filter = ["status"]
    list_select_related = ["village__subdistrict"]
    search_fields = ["name", "village__name"]
