"""The request's user is read with its office area, in one query: every page shows the area."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.models import User
from core.request_user import loading_request_user


@pytest.mark.parametrize("actor", ["officer", "provincial", "national"])
def test_home_page_reads_the_user_and_its_area_in_one_query(
    db, client, actor, request, django_assert_num_queries
):  # `db` named here: pytest-django orders tests by the fixtures it sees, and the actor comes later
    user = request.getfixturevalue(actor)
    client.force_login(user)
    with django_assert_num_queries(4):  # session, user with its area, centers and villages counted
        page = client.get(reverse("core:home")).content.decode()
    if user.office_area:
        assert str(user.office_area) in page


def test_the_area_is_read_only_for_the_request_user(officer):
    assert not User.objects.all().query.select_related
    token = loading_request_user.set(True)
    try:
        assert User.objects.all().query.select_related == {"province": {}, "district": {}}
    finally:
        loading_request_user.reset(token)
    assert not User.objects.all().query.select_related


def test_anonymous_visitors_and_changed_passwords_still_log_out(client, officer):
    client.force_login(officer)
    assert client.get(reverse("core:home")).status_code == 200
    officer.set_password("a new password 123")
    officer.save()
    response = client.get(reverse("core:home"))  # the session's hash no longer matches: logged out
    assert response.status_code == 302
    assert isinstance(response.wsgi_request.user, AnonymousUser)
