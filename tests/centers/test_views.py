from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from centers.models import Center, CommitteeMember, GroupRevenue, MemberFund, OccupationalGroup, Recognition
from geography.models import Village
from tests.factories import MAE_FAEK, THA_SALA, CenterFactory, MemberFundFactory, VillageFactory


@pytest.fixture
def center(db):
    return CenterFactory(name="ศูนย์ทดสอบเมือง", founded_year=2560)


@pytest.fixture
def fund(center):
    return MemberFundFactory(center=center, name="กลุ่มออมทรัพย์ทดสอบ")


def body(response) -> str:
    return response.content.decode()


def center_urls(center, fund):
    """Every URL that names one center, with a POST body that would be valid for its owner."""
    member = CommitteeMember.objects.create(
        center=center, full_name="ทดสอบ", role="member", term_start=date(2020, 1, 1)
    )
    group = OccupationalGroup.objects.create(center=center, name="กลุ่ม", product="ของ")
    recognition = Recognition.objects.create(
        center=center, fiscal_year=2564, level="province_outstanding", stage="selected"
    )
    return [
        reverse("centers:center_detail", args=[center.pk]),
        reverse("centers:center_edit", args=[center.pk]),
        reverse("centers:fund_create", args=[center.pk]),
        reverse("centers:fund_edit", args=[center.pk, fund.pk]),
        reverse("centers:committee_create", args=[center.pk]),
        reverse("centers:committee_edit", args=[center.pk, member.pk]),
        reverse("centers:group_create", args=[center.pk]),
        reverse("centers:group_edit", args=[center.pk, group.pk]),
        reverse("centers:recognition_create", args=[center.pk]),
        reverse("centers:recognition_edit", args=[center.pk, recognition.pk]),
        reverse("centers:revenue_form", args=[center.pk]),
    ]


def test_outsider_gets_404_on_every_center_url(client, outsider, other_province, center, fund):
    urls = center_urls(center, fund)
    for user in (outsider, other_province):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
        for url in urls[1:]:  # the detail page answers GET only
            assert client.post(url, {"name": "x"}).status_code == 404, url
    assert Center.objects.get(pk=center.pk).name == "ศูนย์ทดสอบเมือง"


def test_outsider_export_holds_no_foreign_center(client, outsider, center):
    client.force_login(outsider)
    sheet = load_workbook(BytesIO(client.get(reverse("centers:center_export")).content)).active
    assert sheet.max_row == 2  # the title and the header only


def test_provincial_staff_read_but_may_not_edit(client, provincial, center, fund):
    client.force_login(provincial)
    urls = center_urls(center, fund)
    assert client.get(urls[0]).status_code == 200
    for url in urls[1:]:
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("centers:center_create")).status_code == 403


def test_a_foreign_part_under_my_center_is_404(client, officer, center):
    other_fund = MemberFundFactory()  # another center's fund, same district
    client.force_login(officer)
    assert client.get(reverse("centers:fund_edit", args=[center.pk, other_fund.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, center):
    response = client.get(reverse("centers:center_detail", args=[center.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def center_post(**overrides):
    data = {
        "name": "ศูนย์จัดการกองทุนชุมชนบ้านใหม่",
        "province": "50",
        "district": "5001",
        "subdistrict": THA_SALA,
        "village": "",
        "new_village_moo": "5",
        "new_village_name": "บ้านใหม่",
        "founded_year": "2562",
        "founded_on": "",
        "status": "active",
        "notes": "",
    }
    return {**data, **overrides}


def test_officer_creates_a_center_with_a_new_village(client, officer):
    client.force_login(officer)
    response = client.post(reverse("centers:center_create"), center_post())
    center = Center.objects.get(name="ศูนย์จัดการกองทุนชุมชนบ้านใหม่")
    assert response.url == reverse("centers:center_detail", args=[center.pk])
    assert (center.village.code, center.village.name, center.founded_year) == ("50011205", "บ้านใหม่", 2562)
    assert center.history.first().history_user == officer


def test_officer_creates_a_center_in_an_existing_village(client, officer):
    village = VillageFactory(moo=2)
    client.force_login(officer)
    data = center_post(
        village=str(village.pk), new_village_moo="", new_village_name="", founded_on="01/06/2562"
    )
    client.post(reverse("centers:center_create"), data)
    center = Center.objects.get(village=village)
    assert center.founded_on == date(2019, 6, 1)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"founded_year": "2019"}, "founded_year", "ดูเหมือนเป็นปี ค.ศ."),
        ({"founded_year": "2700"}, "founded_year", "ปีที่จัดตั้งต้องไม่อยู่ในอนาคต"),
        ({"founded_on": "31/02/2562"}, "founded_on", "ไม่มีวันที่"),
        ({"founded_on": "01/06/2561"}, "founded_on", "ต้องอยู่ในปีที่จัดตั้ง"),
        ({"new_village_name": ""}, "village", "เลือกหมู่บ้าน"),
        ({"name": ""}, "name", "ฟิลด์นี้จำเป็น"),
    ],
)
def test_bad_center_input_is_refused_in_thai_and_keeps_what_was_typed(
    client, officer, overrides, field, message
):
    client.force_login(officer)
    response = client.post(reverse("centers:center_create"), center_post(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in body(response)
    assert "บ้านใหม่" in body(response)  # the typed village name is still there
    assert not Center.objects.exists()
    assert not Village.objects.exists()  # nothing half-saved


def test_founding_date_in_the_future_is_refused(client, officer):
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.force_login(officer)
    data = center_post(
        founded_year=str(tomorrow.year + 543), founded_on=f"{tomorrow:%d/%m}/{tomorrow.year + 543}"
    )
    response = client.post(reverse("centers:center_create"), data)
    assert "founded_on" in response.context["form"].errors
    assert not Center.objects.exists()


def test_officer_cannot_place_a_center_in_another_district(client, officer):
    foreign_village = VillageFactory(subdistrict_id=MAE_FAEK, moo=1)
    client.force_login(officer)
    data = center_post(
        district="5014",
        subdistrict=MAE_FAEK,
        village=str(foreign_village.pk),
        new_village_moo="",
        new_village_name="",
    )
    response = client.post(reverse("centers:center_create"), data)
    assert response.status_code == 200
    assert "district" in response.context["form"].errors
    assert not Center.objects.exists()


def fund_post(**overrides):
    data = {
        "fund_type": "village_fund",
        "name": "กองทุนหมู่บ้านทดสอบ",
        "is_core": "on",
        "holds_money": "on",
        "in_managed_capital": "on",
        "capital": "1,250,000.50",
        "capital_as_of": "01/03/2564",
        "members": "120",
        "lending_rate": "6",
        "rate_unit": "year",
    }
    return {**data, **overrides}


def test_officer_adds_a_fund(client, officer, center):
    client.force_login(officer)
    response = client.post(reverse("centers:fund_create", args=[center.pk]), fund_post())
    assert response.status_code == 302
    fund = MemberFund.objects.get(center=center)
    assert (fund.capital, fund.capital_as_of, fund.members) == (Decimal("1250000.50"), date(2021, 3, 1), 120)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"capital": "-5"}, "capital", "จำนวนเงินต้องไม่ติดลบ"),
        ({"capital": "10.005"}, "capital", "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
        ({"members": "-3"}, "members", "จำนวนสมาชิกต้องไม่ติดลบ"),
        ({"rate_unit": ""}, "rate_unit", "ต่อปีหรือต่อเดือน"),
        ({"lending_rate": "120"}, "lending_rate", "สูงกว่าอัตราดอกเบี้ยปกติ"),
        ({"lending_rate": "9", "rate_unit": "month"}, "lending_rate", "108.00%"),
        ({"holds_money": ""}, "capital", "ไม่มีเงินทุน"),
    ],
)
def test_bad_fund_input_is_refused_in_thai(client, officer, center, overrides, field, message):
    client.force_login(officer)
    response = client.post(reverse("centers:fund_create", args=[center.pk]), fund_post(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in body(response)
    assert not MemberFund.objects.exists()


def test_a_high_rate_is_accepted_once_confirmed(client, officer, center):
    client.force_login(officer)
    data = fund_post(lending_rate="120", confirm_high_rate="on")
    assert client.post(reverse("centers:fund_create", args=[center.pk]), data).status_code == 302
    assert MemberFund.objects.get(center=center).lending_rate == Decimal("120")


def test_english_messages_when_switched(client, officer, center):
    client.force_login(officer)
    client.post(reverse("set_language"), {"language": "en"})
    response = client.post(reverse("centers:fund_create", args=[center.pk]), fund_post(capital="-5"))
    assert "The amount cannot be negative." in body(response)


def committee_post(**overrides):
    data = {
        "full_name": "นายทดสอบ ใจดี",
        "role": "chair",
        "fund": "",
        "term_start": "01/04/2562",
        "term_end": "",
    }
    return {**data, **overrides}


def test_second_chair_and_reversed_term_are_refused(client, officer, center):
    client.force_login(officer)
    url = reverse("centers:committee_create", args=[center.pk])
    assert client.post(url, committee_post()).status_code == 302
    response = client.post(url, committee_post(full_name="นายคนที่สอง"))
    assert "มีประธานในช่วงเวลานี้แล้ว" in body(response)
    response = client.post(url, committee_post(role="secretary", term_end="01/04/2561"))
    assert "วาระสิ้นสุดก่อนวันเริ่ม" in body(response)
    assert CommitteeMember.objects.count() == 1


def test_groups_revenue_and_recognitions(client, officer, center, fund):
    client.force_login(officer)
    client.post(
        reverse("centers:group_create", args=[center.pk]),
        {"name": "กลุ่มทำพริกแกง", "product": "พริกแกง", "members": "18", "supporting_funds": [fund.pk]},
    )
    group = OccupationalGroup.objects.get(center=center)
    assert list(group.supporting_funds.all()) == [fund]
    revenue_url = reverse("centers:revenue_form", args=[center.pk])
    client.post(revenue_url, {"group": group.pk, "fiscal_year": "2564", "revenue": "120000"})
    client.post(revenue_url, {"group": group.pk, "fiscal_year": "2564", "revenue": "125000.50"})
    revenue = GroupRevenue.objects.get(group=group, fiscal_year=2564)
    assert revenue.revenue == Decimal("125000.50")
    assert revenue.history.count() == 2  # the first figure stays in the history
    client.post(
        reverse("centers:recognition_create", args=[center.pk]),
        {"fiscal_year": "2564", "level": "province_outstanding", "stage": "selected"},
    )
    response = client.post(
        reverse("centers:recognition_create", args=[center.pk]),
        {"fiscal_year": "2564", "level": "province_outstanding", "stage": "nominated"},
    )
    assert "มีการยกย่องนี้ในปีงบประมาณนี้แล้ว" in body(response)
    page = body(client.get(reverse("centers:center_detail", args=[center.pk])))
    assert "กลุ่มทำพริกแกง" in page
    assert "125,000.50" in page
    assert "ศูนย์ดีเด่นระดับจังหวัด" in page


def test_center_page_shows_totals_and_history(client, officer, center, fund):
    client.force_login(officer)
    client.post(
        reverse("centers:fund_edit", args=[center.pk, fund.pk]), fund_post(name=fund.name, capital="200000")
    )
    MemberFundFactory(
        center=center, name="กลุ่มไม่มีเงิน", holds_money=False, capital=0, lending_rate=None, rate_unit=""
    )
    page = body(client.get(reverse("centers:center_detail", args=[center.pk])))
    assert "200,000.00 บาท" in page  # only the fund that holds money counts
    assert "กลุ่มไม่มีเงิน" in page
    assert "100000.00 → 200000.00" in page  # the change, in the history
    assert officer.get_full_name() in page


# Session, user with its office area, the center, 6 kinds of history, the center's parts (funds, committee,
# groups with their supporting funds and revenues, recognitions), then the sections of the apps above.
DETAIL_QUERIES = 22


@pytest.mark.parametrize("actor", ["provincial", "officer"])
def test_center_detail_query_count_is_bounded(client, actor, request, center, django_assert_max_num_queries):
    client.force_login(request.getfixturevalue(actor))

    def add_groups(count):
        for _ in range(count):
            group = OccupationalGroup.objects.create(center=center, name=f"กลุ่ม {uuid4()}", product="ของ")
            group.supporting_funds.set(center.funds.all()[:1])
            GroupRevenue.objects.create(group=group, fiscal_year=2564, revenue=Decimal("1.00"))

    MemberFundFactory.create_batch(2, center=center)
    add_groups(1)
    # An officer's page has the edit links: the sections ask for the households' personal data too.
    with django_assert_max_num_queries(DETAIL_QUERIES + (2 if actor == "officer" else 0)) as few:
        client.get(reverse("centers:center_detail", args=[center.pk]))
    MemberFundFactory.create_batch(20, center=center)
    add_groups(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("centers:center_detail", args=[center.pk]))


@pytest.mark.parametrize("size", [5, 50])
def test_center_list_query_count_is_the_same_for_5_and_50_centers(
    client, provincial, size, django_assert_num_queries
):
    client.force_login(provincial)
    for index in range(size):
        center = CenterFactory(village=VillageFactory(subdistrict_id=MAE_FAEK if index % 2 else THA_SALA))
        MemberFundFactory(center=center)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("centers:center_list"))
    assert response.context["page"].paginator.count == size


# session, user with its office area (navigation bar), count, page of centers (with their managed
# capital), province choices
# (district and subdistrict choices stay empty until a province is chosen)
LIST_QUERIES = 5


def test_list_filters(client, provincial):
    mueang = CenterFactory(name="ศูนย์ก", founded_year=2555)
    sansai = CenterFactory(
        name="ศูนย์ข", founded_year=2560, village=VillageFactory(subdistrict_id=MAE_FAEK, moo=3)
    )
    Recognition.objects.create(center=sansai, fiscal_year=2564, level="department_model", stage="nominated")
    CenterFactory(name="ศูนย์ค", status=Center.Status.DORMANT)
    client.force_login(provincial)

    def names(**params):
        response = client.get(reverse("centers:center_list"), params)
        return {center.name for center in response.context["page"]}

    assert names() == {"ศูนย์ก", "ศูนย์ข", "ศูนย์ค"}
    assert names(district="5014") == {"ศูนย์ข"}
    assert names(province="50", district="5001", subdistrict=THA_SALA) == {"ศูนย์ก", "ศูนย์ค"}
    assert names(recognition="department_model") == {"ศูนย์ข"}
    assert names(founded_year="2555") == {"ศูนย์ก"}
    assert names(status="dormant") == {"ศูนย์ค"}
    assert names(q="ข") == {"ศูนย์ข"}
    assert names(q=mueang.village.name) == {"ศูนย์ก"}


def test_export_has_thai_headers_be_dates_and_numeric_money(client, officer):
    center = CenterFactory(name='=HYPERLINK("x")', founded_year=2562, founded_on=date(2019, 6, 1))
    MemberFundFactory(center=center, capital=Decimal("1234.50"))
    client.force_login(officer)
    response = client.get(reverse("centers:center_export"), {"q": "HYPERLINK"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    assert "ศูนย์จัดการกองทุนชุมชน" in sheet["A1"].value  # the title row
    assert sheet["I3"].number_format == "[$-1070000]dd/mm/yyyy"  # founded on: a date shown in BE
    header, row = list(sheet.iter_rows(min_row=2, values_only=True))
    assert header[0] == "ศูนย์"
    assert "ปีที่จัดตั้ง (พ.ศ.)" in header
    record = dict(zip(header, row, strict=True))
    assert record["วันที่จัดตั้ง"].date() == date(2019, 6, 1)  # 1 June 2562, a date
    assert record["ทุนที่ศูนย์บริหาร (บาท)"] == 1234.5
    assert record["ศูนย์"] == '=HYPERLINK("x")'  # stored as text, not as a formula


def test_edit_rights_cost_no_query(client, provincial, officer, center, django_assert_num_queries):
    """Whether the user may edit is decided from the center's district, read with the center."""
    client.force_login(provincial)
    with django_assert_num_queries(3):  # session, user with its area, the center
        assert client.get(reverse("centers:center_edit", args=[center.pk])).status_code == 403


def test_committee_names_are_shown_above_the_district_as_public_office_holders(
    client, officer, provincial, national, center
):
    """README, Security: committee members hold a public office of the center; their names and roles are
    shown to provincial and department staff (no ID or contact detail of theirs is stored)."""
    CommitteeMember.objects.create(
        center=center, full_name="นางประธาน ศูนย์ดี", role="chair", term_start=date(2023, 1, 1)
    )
    for user in (officer, provincial, national):
        client.force_login(user)
        page = body(client.get(reverse("centers:center_detail", args=[center.pk])))
        assert "นางประธาน ศูนย์ดี" in page, user.username
    stored = {field.name for field in CommitteeMember._meta.get_fields()}
    assert not stored & {"national_id", "phone", "address", "birth_date"}
