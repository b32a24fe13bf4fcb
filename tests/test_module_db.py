"""The module's transaction of tests/conftest.py (`module_db`): rows built once for a module are there for
each of its tests, and what one test writes is rolled back before the next (file order, one process)."""

from accounts.models import User
from tests.conftest import module_user
from tests.factories import UserFactory

officer = module_user("officer")


def test_a_test_may_change_the_modules_rows(db, officer):
    User.objects.filter(pk=officer.pk).update(first_name="changed by a test")
    UserFactory(username="left_behind")


def test_the_next_test_gets_the_modules_rows_back(db, officer):
    assert User.objects.get(pk=officer.pk).first_name != "changed by a test"
    assert not User.objects.filter(username="left_behind").exists()
    assert User.objects.count() == 1
