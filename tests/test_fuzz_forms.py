"""Hostile input on every form of the project (the FORM routes of the URL sweep).

Random and hostile strings (very long, control characters, mixed Thai and Latin digits, SQL and HTML
fragments) must never cause a server error, never store a partial record, and never render unescaped.
"""

from urllib.parse import urlencode

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import module_user
from tests.test_url_sweep import FORM, ROUTES, World, url_of

HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE centers_center; --",
    "' OR '1'='1",
    "\x00",
    "\u202e\u200b\u0e3f",
    "๑๒/๐๓/๒๕๖๔",
    "12/๐3/2564",
    "1e309",
    "NaN",
    "-0.001",
    "9" * 60,
    "ก" * 5000,
    "../../etc/passwd",
    "{{ 7*7 }}{% debug %}",
]
hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200))

FORM_ROUTES = sorted(name for name, route in ROUTES.items() if route.kind == FORM)


def project_row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"geography", "centers", "households", "debts", "visits", "contracts"}
    }


# One World and its users for the whole module (tests/conftest.py, `module_db`): the examples of a test run
# in its one savepoint, and what they wrote is rolled back before the next test.
officer, provincial = module_user("officer"), module_user("provincial")


@pytest.fixture(scope="module")
def world(officer, django_db_blocker):
    with django_db_blocker.unblock():
        return World(author=officer)


@pytest.mark.parametrize("name", FORM_ROUTES)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_input_never_breaks_a_form(client, db, world, officer, name, data):
    client.force_login(officer)
    url = url_of(name, world)
    form = client.get(url, ROUTES[name].query_for(world)).context["form"]
    payload = {field: data.draw(hostile_text, label=field) for field in form.fields}
    before = project_row_counts()
    response = client.post(f"{url}?{urlencode(ROUTES[name].query_for(world))}", payload)
    assert response.status_code in (200, 302, 400), response.status_code  # 400: a NUL character
    if response.status_code != 302:
        body = response.content.decode()
        assert "<script>alert" not in body
        assert "<img src=x onerror" not in body
        assert project_row_counts() == before  # a refused form stores nothing, not even part of a record


LIST_ROUTES = sorted(name for name, route in ROUTES.items() if route.kind == "list")


@pytest.mark.parametrize("name", LIST_ROUTES)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_query_strings_never_break_a_list(client, db, world, provincial, name, data):
    client.force_login(provincial)
    url = url_of(name, world)
    response = client.get(url, ROUTES[name].query_for(world))
    filterset = response.context.get("filter") if response.context else None
    fields = list(filterset.form.fields) if filterset else []
    query = {field: data.draw(hostile_text, label=field) for field in [*fields, "q", "page"]}
    response = client.get(url, {**ROUTES[name].query_for(world), **query})
    # 400: a NUL character; 403: a page for editors only (the template of the import)
    assert response.status_code in (200, 400, 403, 404), response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"<script>alert" not in body
