from django.contrib import admin

from core.admin import ReferenceAdmin, ScopedAdmin

from .models import District, Province, Subdistrict, Village


@admin.register(Province)
class ProvinceAdmin(ReferenceAdmin):
    list_display = ["code", "name_th", "name_en"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(District)
class DistrictAdmin(ReferenceAdmin):
    list_display = ["code", "name_th", "name_en", "province"]
    list_select_related = ["province"]
    list_filter = ["province"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(Subdistrict)
class SubdistrictAdmin(ReferenceAdmin):
    list_display = ["code", "name_th", "name_en", "district"]
    list_select_related = ["district"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(Village)
class VillageAdmin(ScopedAdmin):
    list_display = ["code", "moo", "name", "subdistrict"]
    list_select_related = ["subdistrict"]
    search_fields = ["code", "name", "subdistrict__name_th"]
    readonly_fields = ["code"]
