import pytest

from tests.factories import MAE_FAEK, CenterFactory, VillageFactory

from .factories import CenterReportFactory, TripFactory


@pytest.fixture
def center(db):
    """A center in Tha Sala, Mueang Chiang Mai (the officer's district)."""
    return CenterFactory(name="ศูนย์ทดสอบท่าศาลา")


@pytest.fixture
def sansai_center(db):
    return CenterFactory(name="ศูนย์ทดสอบแม่แฝก", village=VillageFactory(subdistrict_id=MAE_FAEK, moo=2))


@pytest.fixture
def lampang_center(db):
    return CenterFactory(name="ศูนย์ทดสอบลำปาง", village=VillageFactory(subdistrict_id="520101", moo=3))


@pytest.fixture
def trip(officer):
    """A district trip of Mueang Chiang Mai, 24–25 March 2567, recorded by the officer."""
    return TripFactory(created_by=officer)


@pytest.fixture
def report(trip, center, officer):
    """A draft report of the officer on the Tha Sala center."""
    return CenterReportFactory(trip=trip, center=center, author=officer)
