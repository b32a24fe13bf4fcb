"""The filters of the report and recommendation lists (`?status=submitted`, `?overdue=on`); a value that is
not one is ignored."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import StrictFilterSet

from .models import CenterReport, Recommendation, ReportStatus


class ReportFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)

    class Meta:
        model = CenterReport
        fields = ["status"]


class CheckboxFilter(django_filters.Filter):
    """A checkbox: `?overdue=on` as an HTML form sends it; absent or empty is off."""

    field_class = forms.BooleanField


class RecommendationFilter(StrictFilterSet):
    overdue = CheckboxFilter(label=_("Only overdue"), method="only_overdue")

    class Meta:
        model = Recommendation
        fields = ["overdue"]

    def only_overdue(self, queryset, name: str, value: bool):
        return queryset.overdue() if value else queryset
