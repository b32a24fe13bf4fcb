"""The database copies of tests/conftest.py: whatever a committing test leaves, the next test starts from
the migrated database (geography, no other rows) or from a fresh demo copy. They commit, so pytest-django
runs them after the others, in file order: on one worker, each checks what the previous one left."""

import pytest

from accounts.models import User
from geography.models import Subdistrict
from tests.factories import UserFactory


def test_a_demo_test_may_change_the_demo_data(demo_database):
    officer = User.objects.get(username="officer_mueang")
    officer.first_name = "changed by a test"
    officer.save()


def test_the_next_demo_test_gets_the_demo_data_back(demo_database):
    assert User.objects.get(username="officer_mueang").first_name != "changed by a test"
    UserFactory(username="left_behind")  # committed: the next test must not see it either


@pytest.mark.django_db(transaction=True)
def test_after_a_committing_test_the_geography_is_back_and_nothing_else():
    assert Subdistrict.objects.count() == 7436  # pytest-django's flush had emptied it
    assert not User.objects.exists()  # neither the demo logins nor the one left behind
