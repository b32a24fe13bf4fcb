import os

import pytest
from hypothesis import settings as hypothesis_settings

from tests.factories import LAMPANG, SAN_SAI, UserFactory

# Hypothesis: the same examples on every CI run (a failure there is reproducible, never a fluke of the
# seed), no deadline on shared cores and no example database left behind; the random default elsewhere.
# A test's own @settings(max_examples=...) still wins over the profile's.
hypothesis_settings.register_profile(
    "ci", derandomize=True, max_examples=50, deadline=None, database=None, print_blob=True
)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a temporary folder, never to the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def officer(db):
    """A district officer of Mueang Chiang Mai (district A): edits there."""
    return UserFactory(username="officer_a")


@pytest.fixture
def provincial(db):
    """Provincial staff of Chiang Mai: reads district A and B, edits nothing."""
    return UserFactory(username="province_cm", provincial=True)


@pytest.fixture
def national(db):
    return UserFactory(username="department", national=True)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", admin=True)


@pytest.fixture
def outsider(db):
    """A district officer of San Sai (district B, same province)."""
    return UserFactory(username="officer_b", district_id=SAN_SAI)


@pytest.fixture
def other_province(db):
    """Provincial staff of Lampang."""
    return UserFactory(username="province_lp", provincial=True, province_id=LAMPANG)
