from datetime import date

import factory

from households import national_id
from households.models import Household
from tests.factories import CenterFactory


def make_national_id(n: int) -> str:
    """A valid (fictional) 13-digit ID for any number n."""
    return national_id.with_check_digit(f"1{n:011d}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    """A surveyed household; pass `national_id="..."` (13 digits) to choose its ID."""

    class Meta:
        model = Household
        skip_postgeneration_save = True

    center = factory.SubFactory(CenterFactory)
    village = factory.LazyAttribute(lambda h: h.center.village)
    house_number = factory.Sequence(lambda n: f"{n + 1}/1")
    head_name = factory.Sequence(lambda n: f"นายทดสอบ ครัวเรือนที่{n}")
    members = 4
    privacy_notice_version = "1"
    surveyed_by = "นางผู้สำรวจ ทดสอบ"
    surveyed_on = date(2024, 1, 15)
    status_since = factory.LazyAttribute(lambda h: h.surveyed_on)
    national_id = factory.Sequence(lambda n: make_national_id(n + 1))

    @classmethod
    def _create(cls, model_class, *args, national_id: str, **kwargs):
        household = model_class(*args, **kwargs)
        household.set_national_id(national_id)
        household.save()
        return household
