import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import StrictFilterSet

from .models import Contract


class ContractFilter(StrictFilterSet):
    """The contract list's filter (`?status=active`); a status that is not one is ignored."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=Contract.Status.choices)

    class Meta:
        model = Contract
        fields = ["status"]
