"""The two centers of the source report (monitoring trip of 24–25 March 2564)."""

from geography.models import Village

from .models import Center

DEMO_CENTERS = [
    # village code, name, founded year (BE)
    ("50011201", "ศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง", 2560),
    ("50140904", "ศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ", 2554),
]


def seed(stdout) -> None:
    for village_code, name, founded_year in DEMO_CENTERS:
        Center.objects.update_or_create(
            village=Village.objects.get(code=village_code),
            name=name,
            defaults={"founded_year": founded_year, "status": Center.Status.ACTIVE},
        )
    stdout.write(f"Centers: {len(DEMO_CENTERS)} demo centers.")
