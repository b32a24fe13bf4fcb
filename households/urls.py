from django.urls import path

from . import views

app_name = "households"

# The household list and its export (debts/views.py, debts/filters.py), the Excel import (debts/importer.py)
# and the debt forms are in debts.urls, under the same /households/ prefix: they are built on debts, and debts
# sits above households (README, "Layout").
urlpatterns = [
    path("new/", views.household_create, name="household_create"),
    path("find/", views.household_find, name="household_find"),
    path("<int:pk>/", views.household_detail, name="household_detail"),
    path("<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("<int:pk>/reveal-id/", views.household_reveal_id, name="household_reveal_id"),
    path("<int:pk>/status/", views.household_status, name="household_status"),
    path("<int:pk>/budget/new/", views.budget_form, name="budget_create"),
    path("<int:pk>/budget/<int:budget_pk>/edit/", views.budget_form, name="budget_edit"),
]
