"""A sweep over every URL pattern of the project.

For each route the registry below says what kind it is and how to name an object of district A (Mueang
Chiang Mai). The sweep then checks, with no test written per route:
- anonymous users are sent to the login page;
- an officer of another district and provincial staff of another province get 404 on object routes,
  for GET and for POST;
- routes that write refuse a POST without a CSRF token, and POST-only actions refuse GET;
- the owner (district A officer) can open every page;
- pages above the district (the national and provincial dashboards) send district officers down to their
  own district's page, and answer 404 to staff of another province.
A route missing from the registry fails the sweep: add it here when you add a URL.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from centers.models import CommitteeMember, OccupationalGroup, Recognition
from contracts import services as contract_services
from debts.models import ImportJob
from households.models import BudgetStatement
from tests.conftest import module_user
from tests.contracts.factories import draw_up, sign
from tests.debts.factories import make_debt
from tests.factories import CenterFactory, MemberFundFactory, VillageFactory
from tests.households.factories import HouseholdFactory
from tests.visits.factories import (
    CenterReportFactory,
    RecommendationFactory,
    TripFactory,
    image_bytes,
    upload,
)
from visits import services as visit_services
from visits.models import FollowUp

LIST, FORM, ACTION, PUBLIC = "list", "form", "action", "public"
# A GET page about an area above the district (the national or a provincial dashboard, or its export):
# district officers are sent down to the same page for their own district; with an object (province 50),
# staff of another province get 404; without one (the nation), provincial staff go to their province's page.
ABOVE_DISTRICT = "above_district"
SKIPPED_NAMESPACES = {"admin"}  # the admin has its own scoping tests (tests/accounts/test_admin.py)


@dataclass
class Route:
    kind: str  # LIST: GET page; FORM: GET shows a form, POST writes; ACTION: POST only; PUBLIC: no login
    kwargs: Callable[["World"], dict] | None = None  # the URL arguments naming an object of district A
    query: dict | Callable[["World"], dict] = field(default_factory=dict)  # a query string the route needs
    down: tuple[str, str] | None = None  # ABOVE_DISTRICT: the same page for a province, for a district

    def query_for(self, world: "World") -> dict:
        return self.query(world) if callable(self.query) else self.query

    @property
    def has_object(self) -> bool:
        return self.kwargs is not None


class World:
    """One of everything in district A; `author` (an officer of district A) wrote the trip and report."""

    def __init__(self, author):
        self.village = VillageFactory(moo=3)
        self.center = CenterFactory(village=self.village)
        self.unvisited_center = CenterFactory(village=self.village)  # a trip can still report on it
        self.fund = MemberFundFactory(center=self.center)
        self.member = CommitteeMember.objects.create(
            center=self.center, full_name="ทดสอบ", role="member", term_start=date(2020, 1, 1)
        )
        self.group = OccupationalGroup.objects.create(center=self.center, name="กลุ่ม", product="ของ")
        self.recognition = Recognition.objects.create(
            center=self.center, fiscal_year=2564, level="province_outstanding", stage="selected"
        )
        self.trip = TripFactory(created_by=author)
        self.report = CenterReportFactory(trip=self.trip, center=self.center, author=author)
        self.household = HouseholdFactory(center=self.center)
        self.budget = BudgetStatement.objects.create(household=self.household, as_of=date(2024, 1, 15))
        self.debt = make_debt(self.household)
        self.contract = draw_up(author, household=HouseholdFactory(center=self.center), fund=self.fund)
        self.active_contract = sign(
            author, draw_up(author, household=HouseholdFactory(center=self.center), fund=self.fund)
        )
        self.repayment = contract_services.repayment_record(
            user=author, contract=self.active_contract, paid_on=date(2024, 3, 5), amount=Decimal("100"),
            token=uuid.uuid4(),
        )  # fmt: skip
        self.savings_entry = contract_services.savings_record(
            user=author, contract=self.active_contract, on=date(2024, 3, 5), kind="deposit",
            amount=Decimal("100"), token=uuid.uuid4(),
        )  # fmt: skip
        self.import_job = ImportJob.objects.create(center=self.center, created_by=author, file_name="x.xlsx")
        # Follow-up notes are for recommendations of submitted reports: a second trip's report, submitted.
        submitted = CenterReportFactory(
            trip=TripFactory(created_by=author), center=self.center, author=author
        )
        self.recommendation = RecommendationFactory(
            report=visit_services.report_submit(user=author, report=submitted)
        )
        self.photo = visit_services.photo_add(
            user=author, report=self.report, upload=upload("p.jpg", image_bytes())
        )
        self.follow_up = FollowUp.objects.create(
            recommendation=self.recommendation,
            date=date(2024, 4, 1),
            note="ทำแล้ว",
            status="in_progress",
            author=author,
            evidence=SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        )


def center(w: World) -> dict:
    return {"pk": w.center.pk}


ROUTES: dict[str, Route] = {
    "core:home": Route(LIST),
    "accounts:login": Route(PUBLIC),
    "accounts:logout": Route(ACTION),
    "accounts:password_change": Route(FORM),
    "accounts:password_change_done": Route(LIST),
    "accounts:notification_list": Route(LIST),
    "set_language": Route(PUBLIC),
    "offline:service_worker": Route(PUBLIC),
    "offline:manifest": Route(PUBLIC),
    "offline:conflict_choice": Route(ACTION),
    "geography:area_options": Route(LIST, query={"district": "5001"}),
    "geography:village_list": Route(LIST),
    "geography:village_create": Route(FORM),
    "geography:village_edit": Route(FORM, lambda w: {"pk": w.village.pk}),
    "centers:center_list": Route(LIST),
    "centers:center_export": Route(LIST),
    "centers:center_create": Route(FORM),
    "centers:center_detail": Route(LIST, center),
    "centers:center_edit": Route(FORM, center),
    "centers:revenue_form": Route(FORM, center),
    "centers:fund_create": Route(FORM, center),
    "centers:fund_edit": Route(FORM, lambda w: {"pk": w.center.pk, "part_pk": w.fund.pk}),
    "centers:committee_create": Route(FORM, center),
    "centers:committee_edit": Route(FORM, lambda w: {"pk": w.center.pk, "part_pk": w.member.pk}),
    "centers:group_create": Route(FORM, center),
    "centers:group_edit": Route(FORM, lambda w: {"pk": w.center.pk, "part_pk": w.group.pk}),
    "centers:recognition_create": Route(FORM, center),
    "centers:recognition_edit": Route(FORM, lambda w: {"pk": w.center.pk, "part_pk": w.recognition.pk}),
    "visits:trip_list": Route(LIST),
    "visits:trip_create": Route(FORM),
    "visits:stop_center_options": Route(LIST, query={"province": "50"}),
    "visits:trip_detail": Route(LIST, lambda w: {"pk": w.trip.pk}),
    "visits:trip_edit": Route(FORM, lambda w: {"pk": w.trip.pk}),
    "visits:trip_news": Route(LIST, lambda w: {"pk": w.trip.pk}),
    "visits:trip_news_download": Route(LIST, lambda w: {"pk": w.trip.pk}),
    "visits:report_create": Route(FORM, lambda w: {"trip_pk": w.trip.pk}),
    "visits:report_list": Route(LIST),
    "visits:report_detail": Route(LIST, lambda w: {"pk": w.report.pk}),
    "visits:report_edit": Route(FORM, lambda w: {"pk": w.report.pk}),
    "visits:report_print": Route(LIST, lambda w: {"pk": w.report.pk}),
    "visits:report_submit": Route(ACTION, lambda w: {"pk": w.report.pk}),
    "visits:report_accept": Route(ACTION, lambda w: {"pk": w.report.pk}),
    "visits:report_return": Route(ACTION, lambda w: {"pk": w.report.pk}),
    "visits:photo_add": Route(ACTION, lambda w: {"pk": w.report.pk}),
    "visits:photo_delete": Route(ACTION, lambda w: {"pk": w.photo.pk}),
    "visits:photo_file": Route(LIST, lambda w: {"pk": w.photo.pk, "variant": "display"}),
    "visits:recommendation_list": Route(LIST),
    "visits:recommendation_detail": Route(FORM, lambda w: {"pk": w.recommendation.pk}),
    "visits:follow_up_evidence": Route(LIST, lambda w: {"pk": w.follow_up.pk}),
    "households:household_create": Route(FORM, query=lambda w: {"center": w.center.pk}),
    "households:household_find": Route(ACTION),
    "households:household_detail": Route(LIST, lambda w: {"pk": w.household.pk}),
    "households:household_edit": Route(FORM, lambda w: {"pk": w.household.pk}),
    "households:household_reveal_id": Route(ACTION, lambda w: {"pk": w.household.pk}),
    "households:household_status": Route(FORM, lambda w: {"pk": w.household.pk}),
    "households:budget_create": Route(FORM, lambda w: {"pk": w.household.pk}),
    "households:budget_edit": Route(FORM, lambda w: {"pk": w.household.pk, "budget_pk": w.budget.pk}),
    "debts:household_list": Route(LIST),
    "debts:household_export": Route(LIST),
    "debts:center_options": Route(LIST, query={"district": "5001"}),
    "debts:debtline_create": Route(FORM, lambda w: {"household_pk": w.household.pk}),
    "debts:debtline_edit": Route(FORM, lambda w: {"household_pk": w.household.pk, "pk": w.debt.pk}),
    "debts:balance_create": Route(FORM, lambda w: {"household_pk": w.household.pk, "pk": w.debt.pk}),
    "debts:import_start": Route(FORM),
    "debts:import_template": Route(LIST),
    "debts:import_job": Route(LIST, lambda w: {"token": w.import_job.token}),
    "debts:import_progress": Route(LIST, lambda w: {"token": w.import_job.token}),
    "contracts:contract_list": Route(LIST),
    "contracts:contract_create": Route(FORM, lambda w: {"household_pk": w.household.pk}),
    "contracts:contract_detail": Route(LIST, lambda w: {"pk": w.contract.pk}),
    "contracts:contract_print": Route(LIST, lambda w: {"pk": w.contract.pk}),
    "contracts:contract_sign": Route(FORM, lambda w: {"pk": w.contract.pk}),
    "contracts:contract_cancel_draft": Route(ACTION, lambda w: {"pk": w.contract.pk}),
    "contracts:contract_restructure": Route(FORM, lambda w: {"pk": w.active_contract.pk}),
    "contracts:repayment_create": Route(FORM, lambda w: {"pk": w.active_contract.pk}),
    "contracts:repayment_reverse": Route(
        ACTION, lambda w: {"pk": w.active_contract.pk, "repayment_pk": w.repayment.pk}
    ),
    "contracts:repayment_receipt": Route(
        LIST, lambda w: {"pk": w.active_contract.pk, "repayment_pk": w.repayment.pk}
    ),
    "contracts:savings_create": Route(FORM, lambda w: {"pk": w.active_contract.pk}),
    "contracts:savings_receipt": Route(
        LIST, lambda w: {"pk": w.active_contract.pk, "entry_pk": w.savings_entry.pk}
    ),
    "contracts:passbook": Route(LIST, lambda w: {"household_pk": w.active_contract.household_id}),
    "contracts:collection_sheet": Route(FORM, lambda w: {"center_pk": w.center.pk}),
    "contracts:arrears": Route(LIST, lambda w: {"center_pk": w.center.pk}),
    "contracts:fund_book_export": Route(
        LIST, lambda w: {"center_pk": w.center.pk}, query={"year": "2568", "month": "5"}
    ),
    "dashboards:home": Route(ABOVE_DISTRICT, down=("dashboards:province", "dashboards:district")),
    "dashboards:nation_export": Route(
        ABOVE_DISTRICT, down=("dashboards:province_export", "dashboards:district_export")
    ),
    "dashboards:province": Route(
        ABOVE_DISTRICT, lambda w: {"code": "50"}, down=("dashboards:province", "dashboards:district")
    ),
    "dashboards:province_export": Route(
        ABOVE_DISTRICT,
        lambda w: {"code": "50"},
        down=("dashboards:province_export", "dashboards:district_export"),
    ),
    "dashboards:district": Route(LIST, lambda w: {"code": "5001"}),
    "dashboards:district_export": Route(LIST, lambda w: {"code": "5001"}),
    "dashboards:center": Route(LIST, center),
    "dashboards:center_export": Route(LIST, center),
    "contracts:savings_rule": Route(FORM, lambda w: {"center_pk": w.center.pk}),
}
# URL arguments that are not objects (the picker level).
FIXED_KWARGS = {"geography:area_options": {"level": "subdistrict"}}


def project_routes(resolver=None, namespace=""):
    """The names of every URL pattern, namespaced, without the skipped namespaces."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            yield from project_routes(pattern, f"{namespace}{inner}:" if inner else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_route_is_in_the_sweep():
    routes = set(project_routes())
    unknown = sorted(routes - set(ROUTES))
    assert not unknown, f"add these routes to ROUTES in {__file__}: {unknown}"
    assert not set(ROUTES) - routes, "ROUTES names a route that no longer exists"


# The world and the people are built once for the module (tests/conftest.py, `module_db`): every test of
# the sweep reads the same rows, and what one test writes is rolled back before the next.
officer, outsider, provincial, other_province, national = map(
    module_user, ("officer", "outsider", "provincial", "other_province", "national")
)


@pytest.fixture(scope="module")
def world(officer, django_db_blocker):
    with django_db_blocker.unblock():
        return World(author=officer)


def url_of(name: str, world: World) -> str:
    route = ROUTES[name]
    kwargs = route.kwargs(world) if route.has_object else FIXED_KWARGS.get(name, {})
    return reverse(name, kwargs=kwargs)


def names(*kinds: str, objects_only: bool = False) -> list[str]:
    return sorted(
        name
        for name, route in ROUTES.items()
        if route.kind in kinds and (route.has_object or not objects_only)
    )


@pytest.mark.parametrize("name", names(LIST, FORM, ACTION, ABOVE_DISTRICT))
def test_anonymous_users_are_sent_to_login(db, client, world, name):
    route = ROUTES[name]
    if route.kind == ACTION:
        response = client.post(url_of(name, world))
    else:
        response = client.get(url_of(name, world), route.query_for(world))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", names(LIST, FORM, ACTION, objects_only=True))
def test_outsiders_get_404_on_object_routes(db, client, world, outsider, other_province, name):
    route = ROUTES[name]
    url = url_of(name, world)
    for user in (outsider, other_province):
        client.force_login(user)
        if route.kind != ACTION:
            assert client.get(url, route.query_for(world)).status_code == 404, (name, user.username)
        if route.kind in (FORM, ACTION):
            assert client.post(url, {"name": "x"}).status_code == 404, (name, user.username)


@pytest.mark.parametrize("name", names(FORM, ACTION))
def test_writes_need_a_csrf_token(db, world, officer, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post(url_of(name, world), {"name": "x"}).status_code == 403


@pytest.mark.parametrize("name", names(ACTION))
def test_actions_refuse_get(db, client, world, officer, name):
    client.force_login(officer)
    assert client.get(url_of(name, world)).status_code == 405


@pytest.mark.parametrize("name", names(LIST, FORM))
def test_the_owner_opens_every_page(db, client, world, officer, name):
    client.force_login(officer)
    assert client.get(url_of(name, world), ROUTES[name].query_for(world)).status_code == 200


@pytest.mark.parametrize("name", names(ABOVE_DISTRICT))
def test_pages_above_the_district_send_officers_down_and_outsiders_away(
    db, client, world, officer, outsider, provincial, other_province, national, name
):
    route = ROUTES[name]
    province_route, district_route = route.down
    url = url_of(name, world)
    for user in (officer, outsider):  # both work in province 50: each is sent to their own district
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 302, (name, user.username)
        assert response.url == reverse(district_route, args=[user.district_id]), (name, user.username)
    client.force_login(other_province)
    response = client.get(url)
    if route.has_object:
        assert response.status_code == 404, name
    else:
        assert response.url == reverse(province_route, args=[other_province.province_id]), name
    client.force_login(provincial)
    response = client.get(url)
    if route.has_object:
        assert response.status_code == 200, name
    else:
        assert response.url == reverse(province_route, args=[provincial.province_id]), name
    client.force_login(national)
    assert client.get(url).status_code == 200, name
