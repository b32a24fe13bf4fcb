"""The base of every list's FilterSet (django-filter)."""

import django_filters


class StrictFilterSet(django_filters.FilterSet):
    """A list asked for with a filter that is not valid (a center not in the user's choices, an unknown
    status) shows no rows and the form's errors, never the rows of a wider filter: django-filter's own
    `FilterView(strict=True)` behaviour, for our function views (the documented way of overriding `qs`).
    The exports refuse such a request outright (core.excel.filters_refused)."""

    @property
    def qs(self):
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs
