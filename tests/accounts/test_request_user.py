"""The request's user is read with its office area, in one query (accounts.backends.StaffBackend): every page
shows the area."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.backends import StaffBackend
from accounts.models import User


@pytest.mark.parametrize("actor", ["officer", "provincial", "national"])
def test_home_page_reads_the_user_and_its_area_in_one_query(
    db, client, actor, request, django_assert_max_num_queries
):  # `db` named here: pytest-django orders tests by the fixtures it sees, and the actor comes later
    user = request.getfixturevalue(actor)
    client.force_login(user)
    # session, user with its area and unread notifications (the badge), centers and villages counted, then
    # the to-do list (tests/core/test_home_todo.py): an officer's five queries, an overseer's three
    with django_assert_max_num_queries(9 if actor == "officer" else 7):
        page = client.get(reverse("core:home")).content.decode()
    if user.office_area:
        assert str(user.office_area) in page


def test_the_backend_reads_the_area_with_the_user_and_nothing_else_does(
    officer, settings, django_assert_num_queries
):
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"  # axes first
    assert "accounts.backends.StaffBackend" in settings.AUTHENTICATION_BACKENDS
    district = officer.district.name
    with django_assert_num_queries(1):
        user = StaffBackend().get_user(officer.pk)
        assert user.district.name == district
    assert not User.objects.all().query.select_related


def test_anonymous_visitors_and_changed_passwords_still_log_out(client, officer):
    client.force_login(officer)
    assert client.get(reverse("core:home")).status_code == 200
    officer.set_password("a new password 123")
    officer.save()
    response = client.get(reverse("core:home"))  # the session's hash no longer matches: logged out
    assert response.status_code == 302
    assert isinstance(response.wsgi_request.user, AnonymousUser)
