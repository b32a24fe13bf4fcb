"""Demo villages: the two Chiang Mai villages of the source report.

The report gives หมู่ที่ 1 for Ban Buak Khrok Luang; the หมู่ที่ of Ban Nong Ma Chap is invented.
"""

from datetime import date

from .models import Village

DEMO_VILLAGES = [
    # (subdistrict code, moo, name)
    ("500112", 1, "บ้านบวกครกหลวง"),  # Tha Sala, Mueang Chiang Mai
    ("501409", 4, "บ้านหนองมะจับ"),  # Mae Faek, San Sai
]


def seed(stdout, today: date) -> None:
    for subdistrict_code, moo, name in DEMO_VILLAGES:
        Village.objects.update_or_create(
            subdistrict_id=subdistrict_code,
            moo=moo,
            defaults={"name": name, "code": Village.code_for(subdistrict_code, moo)},
        )
    stdout.write(f"Villages: {len(DEMO_VILLAGES)} demo villages.")
