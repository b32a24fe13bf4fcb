"""Copies the GeoThai provinces, districts and subdistricts into the database; safe to run again."""

from dataclasses import dataclass

import geothai


@dataclass(frozen=True)
class LoadResult:
    provinces: int
    districts: int
    subdistricts: int
    data_version: str


def load_geography(province_model, district_model, subdistrict_model) -> LoadResult:
    """Insert or update every area by its DOPA code. Takes the models so migrations can pass theirs."""
    provinces = geothai.provinces()
    districts = [d for p in provinces for d in geothai.districts(p.code)]
    subdistricts = [s for d in districts for s in geothai.subdistricts(d.code)]
    upsert = {"update_conflicts": True, "unique_fields": ["code"], "batch_size": 1000}
    province_model.objects.bulk_create(
        [province_model(code=p.code, name_th=p.name_th, name_en=p.name_en) for p in provinces],
        update_fields=["name_th", "name_en"],
        **upsert,
    )
    district_model.objects.bulk_create(
        [
            district_model(code=d.code, name_th=d.name_th, name_en=d.name_en, province_id=d.province_code)
            for d in districts
        ],
        update_fields=["name_th", "name_en", "province"],
        **upsert,
    )
    subdistrict_model.objects.bulk_create(
        [
            subdistrict_model(code=s.code, name_th=s.name_th, name_en=s.name_en, district_id=s.district_code)
            for s in subdistricts
        ],
        update_fields=["name_th", "name_en", "district"],
        **upsert,
    )
    return LoadResult(len(provinces), len(districts), len(subdistricts), geothai.DATA_VERSION)
