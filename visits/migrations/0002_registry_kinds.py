"""The registries a community fund management center should keep (the checklist of a visit report)."""

from django.db import migrations

REGISTRY_KINDS = [
    # code, Thai, English
    ("members", "ทะเบียนสมาชิกศูนย์จัดการกองทุนชุมชน", "Register of the center's members"),
    ("member-funds", "ทะเบียนกองทุนสมาชิก (ทุน สมาชิก อัตราดอกเบี้ย)", "Register of member funds (capital, members, rates)"),
    ("debt-survey", "ทะเบียนข้อมูลภาวะหนี้สินของครัวเรือน", "Household debt registry"),
    ("target-households", "ทะเบียนครัวเรือนเป้าหมาย", "Register of target households"),
    ("contracts", "ทะเบียนสัญญาเงินกู้ 1 ครัวเรือน 1 สัญญา", "Register of 1 household 1 contract loans"),
    ("debtors", "ทะเบียนคุมลูกหนี้และการรับชำระคืน", "Debtor ledger and repayments"),
    ("savings", "ทะเบียนเงินออมของครัวเรือน", "Household savings register"),
    ("cash-book", "บัญชีรับ-จ่ายเงินสด", "Cash book"),
    ("minutes", "รายงานการประชุมคณะกรรมการ", "Minutes of committee meetings"),
]


def add_kinds(apps, schema_editor):
    RegistryKind = apps.get_model("visits", "RegistryKind")
    for order, (code, name_th, name_en) in enumerate(REGISTRY_KINDS, start=1):
        RegistryKind.objects.update_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
