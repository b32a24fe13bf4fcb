"""Every choice of the admin is scoped: a district officer posting another district's id is refused with the
form's error and nothing is saved (core.admin.ScopedChoicesMixin, core.scoping.choices_for)."""

import pytest
from django.contrib.auth.models import Permission
from django.forms import ModelMultipleChoiceField
from django.urls import reverse

from centers.models import CommitteeMember, OccupationalGroup
from tests.factories import MAE_FAEK, SAN_SAI, CenterFactory, MemberFundFactory, UserFactory, VillageFactory
from visits.models import Trip, TripMember

INVALID_CHOICE = "ตัวเลือกนี้ไม่อยู่ในรายการที่ท่านใช้ได้"  # core.admin.OUT_OF_SCOPE_CHOICE


@pytest.fixture
def staff_officer(db):
    return UserFactory(username="staff_a", is_staff=True)


@pytest.fixture
def centers(db):
    own = CenterFactory(village=VillageFactory(moo=1, name="บ้านในเขต"))
    foreign = CenterFactory(village=VillageFactory(subdistrict_id=MAE_FAEK, moo=1, name="บ้านนอกเขต"))
    return own, foreign


def post_data(response, **changes):
    """What the admin page would post as it stands, with `changes` (name: value) over it."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, field in formset.management_form.fields.items():
            data[formset.management_form.add_prefix(name)] = formset.management_form[name].value() or (
                field.initial or 0
            )
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None:
                continue
            if isinstance(field, ModelMultipleChoiceField):
                data[form.add_prefix(name)] = [str(v) for v in value]
            else:
                data[form.add_prefix(name)] = str(value) if not isinstance(value, bool) else value
    for key, value in list(data.items()):
        if value is False:
            del data[key]
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def errors_of(response) -> str:
    form = response.context["adminform"].form
    messages = [str(error) for error in form.errors.values()]
    for inline in response.context["inline_admin_formsets"]:
        messages += [str(errors) for errors in inline.formset.errors if errors]
    return " ".join(messages)


def test_group_refuses_a_supporting_fund_of_another_district(client, staff_officer, centers):
    own, foreign = centers
    group = OccupationalGroup.objects.create(center=own, name="กลุ่มจักสาน", product="ตะกร้า")
    own_fund, foreign_fund = MemberFundFactory(center=own), MemberFundFactory(center=foreign)
    client.force_login(staff_officer)
    url = reverse("admin:centers_occupationalgroup_change", args=[group.pk])
    page = client.get(url)
    assert list(page.context["adminform"].form.fields["supporting_funds"].queryset) == [own_fund]
    response = client.post(url, post_data(page, supporting_funds=[str(foreign_fund.pk)]))
    assert response.status_code == 200
    assert INVALID_CHOICE in errors_of(response)
    assert not group.supporting_funds.exists()


def test_group_refuses_a_fund_of_another_center_of_the_district(client, staff_officer, centers):
    own, _foreign = centers
    neighbour = CenterFactory(village=own.village)
    group = OccupationalGroup.objects.create(center=own, name="กลุ่มจักสาน", product="ตะกร้า")
    other_fund = MemberFundFactory(center=neighbour)
    client.force_login(staff_officer)
    url = reverse("admin:centers_occupationalgroup_change", args=[group.pk])
    response = client.post(url, post_data(client.get(url), supporting_funds=[str(other_fund.pk)]))
    assert response.status_code == 200
    assert "เลือกเฉพาะกองทุนสมาชิกของศูนย์ของกลุ่มนี้" in errors_of(response)
    assert not group.supporting_funds.exists()


def test_committee_inline_offers_and_accepts_only_funds_in_scope(client, staff_officer, centers):
    own, foreign = centers
    own_fund, foreign_fund = MemberFundFactory(center=own), MemberFundFactory(center=foreign)
    client.force_login(staff_officer)
    url = reverse("admin:centers_center_change", args=[own.pk])
    page = client.get(url)
    inlines = page.context["inline_admin_formsets"]
    committee = next(i.formset for i in inlines if i.formset.model is CommitteeMember)
    assert list(committee.empty_form.fields["fund"].queryset) == [own_fund]
    prefix = committee.prefix
    response = client.post(
        url,
        post_data(
            page,
            **{
                f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-0-full_name": "นางสมศรี ใจดี",
                f"{prefix}-0-role": "member",
                f"{prefix}-0-fund": str(foreign_fund.pk),
                f"{prefix}-0-term_start": "2024-01-01",
                f"{prefix}-0-center": str(own.pk),
            },
        ),
    )
    assert response.status_code == 200
    assert INVALID_CHOICE in errors_of(response)
    assert not CommitteeMember.objects.exists()


def test_trip_form_offers_only_the_officers_area_and_refuses_another_district(client, staff_officer):
    client.force_login(staff_officer)
    url = reverse("admin:visits_trip_add")
    page = client.get(url)
    form = page.context["adminform"].form
    assert list(form.fields["district"].queryset.values_list("pk", flat=True)) == ["5001"]
    assert list(form.fields["province"].queryset.values_list("pk", flat=True)) == ["50"]
    data = post_data(
        page,
        title="ลงพื้นที่",
        level="district",
        start_date="2026-03-24",
        end_date="2026-03-25",
        province="50",
        district=SAN_SAI,
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert INVALID_CHOICE in errors_of(response)
    assert not Trip.objects.exists()
    response = client.post(url, {**data, "district": "5001"})
    assert response.status_code == 302
    assert Trip.objects.get().district_id == "5001"


def test_trip_team_refuses_staff_out_of_scope(client, staff_officer):
    """An officer given the team permissions picks colleagues of their province, not anyone."""
    staff_officer.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_tripmember", "change_tripmember", "view_tripmember"])
    )
    colleague = UserFactory(username="colleague_b", district_id=SAN_SAI)
    stranger = UserFactory(username="stranger", national=True)
    trip = Trip.objects.create(
        title="ลงพื้นที่", start_date="2026-03-24", end_date="2026-03-24", province_id="50", district_id="5001"
    )
    client.force_login(staff_officer)
    url = reverse("admin:visits_trip_change", args=[trip.pk])
    page = client.get(url)
    team = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.model is TripMember)
    choices = set(team.empty_form.fields["user"].queryset)
    assert {staff_officer, colleague} <= choices
    assert stranger not in choices
    prefix = team.prefix
    data = post_data(
        page,
        **{f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-user": str(stranger.pk), f"{prefix}-0-sort_order": "0"},
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert INVALID_CHOICE in errors_of(response)
    assert not TripMember.objects.exists()
    response = client.post(url, {**data, f"{prefix}-0-user": str(colleague.pk)})
    assert response.status_code == 302
    assert list(TripMember.objects.values_list("user", flat=True)) == [colleague.pk]


def test_autocomplete_offers_only_rows_in_scope(client, monkeypatch, centers):
    """The autocomplete view searches the related admin: it answers the same choices as the select would.
    Provincial staff read their province's centers but may link nothing to them."""
    from centers.admin import OccupationalGroupAdmin

    monkeypatch.setattr(OccupationalGroupAdmin, "autocomplete_fields", ["center"])
    own, _foreign = centers
    query = {"app_label": "centers", "model_name": "occupationalgroup", "field_name": "center", "term": ""}
    client.force_login(UserFactory(username="staff_p", is_staff=True, provincial=True))
    response = client.get(reverse("admin:autocomplete"), query)
    assert response.status_code == 200
    assert response.json()["results"] == []
    client.force_login(UserFactory(username="staff_a", is_staff=True))
    response = client.get(reverse("admin:autocomplete"), query)
    assert [row["id"] for row in response.json()["results"]] == [str(own.pk)]


def test_report_on_a_provincial_trip_stays_on_it_in_the_admin(client, staff_officer, centers):
    """An officer reports on a trip of the province they may not edit: the admin keeps the report's trip
    and center as they are (read-only) instead of refusing them as out of scope."""
    from tests.visits.factories import CenterReportFactory, TripFactory
    from visits.models import TripLevel

    own, _foreign = centers
    trip = TripFactory(level=TripLevel.PROVINCE, district_id=None)
    report = CenterReportFactory(trip=trip, center=own, author=staff_officer)
    client.force_login(staff_officer)
    url = reverse("admin:visits_centerreport_change", args=[report.pk])
    page = client.get(url)
    assert "trip" not in page.context["adminform"].form.fields
    response = client.post(url, post_data(page, people_met="ประธานศูนย์"))
    assert response.status_code == 302, errors_of(response)
    report.refresh_from_db()
    assert (report.trip, report.people_met) == (trip, "ประธานศูนย์")
