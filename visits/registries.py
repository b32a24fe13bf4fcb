"""The registries a community fund management center should keep: the checklist of a visit report.

Loaded by migration 0002 and again by `seed_demo` (tests that empty the tables reload them that way);
administrators may add kinds or mark one as no longer required in the admin.
"""

from typing import Any

STANDARD_REGISTRY_KINDS = [
    # code, Thai, English
    ("members", "ทะเบียนสมาชิกศูนย์จัดการกองทุนชุมชน", "Register of the center's members"),
    (
        "member-funds",
        "ทะเบียนกองทุนสมาชิก (ทุน สมาชิก อัตราดอกเบี้ย)",
        "Register of member funds (capital, members, rates)",
    ),
    ("debt-survey", "ทะเบียนข้อมูลภาวะหนี้สินของครัวเรือน", "Household debt registry"),
    ("target-households", "ทะเบียนครัวเรือนเป้าหมาย", "Register of target households"),
    ("contracts", "ทะเบียนสัญญาเงินกู้ 1 ครัวเรือน 1 สัญญา", "Register of 1 household 1 contract loans"),
    ("debtors", "ทะเบียนคุมลูกหนี้และการรับชำระคืน", "Debtor ledger and repayments"),
    ("savings", "ทะเบียนเงินออมของครัวเรือน", "Household savings register"),
    ("cash-book", "บัญชีรับ-จ่ายเงินสด", "Cash book"),
    ("minutes", "รายงานการประชุมคณะกรรมการ", "Minutes of committee meetings"),
]


def ensure_standard_registry_kinds(registry_kind_model: Any) -> None:
    """Create the standard kinds that are missing; never change kinds an administrator edited."""
    for order, (code, name_th, name_en) in enumerate(STANDARD_REGISTRY_KINDS, start=1):
        registry_kind_model.objects.get_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "sort_order": order * 10}
        )
