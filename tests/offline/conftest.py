import pytest

from tests.factories import MAE_FAEK, CenterFactory, VillageFactory
from tests.visits.factories import CenterReportFactory, TripFactory


@pytest.fixture
def report(officer):
    """A draft report of the officer (Mueang Chiang Mai) on a center of his district."""
    center = CenterFactory(name="ศูนย์ทดสอบท่าศาลา")
    return CenterReportFactory(trip=TripFactory(created_by=officer), center=center, author=officer)


@pytest.fixture
def sansai_report(outsider):
    center = CenterFactory(name="ศูนย์ทดสอบแม่แฝก", village=VillageFactory(subdistrict_id=MAE_FAEK, moo=2))
    return CenterReportFactory(trip=TripFactory(created_by=outsider), center=center, author=outsider)
