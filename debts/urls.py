from django.urls import path

from . import views

app_name = "debts"

# Included under /households/, beside households.urls.
urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("export.xlsx", views.household_export, name="household_export"),
    path("center-options/", views.center_options, name="center_options"),
    path("<int:household_pk>/debts/new/", views.debt_line_form, name="debtline_create"),
    path("<int:household_pk>/debts/<int:pk>/edit/", views.debt_line_form, name="debtline_edit"),
    path("<int:household_pk>/debts/<int:pk>/balance/", views.balance_form, name="balance_create"),
    path("import/", views.import_start, name="import_start"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<uuid:token>/", views.import_job, name="import_job"),
    path("import/<uuid:token>/progress/", views.import_progress, name="import_progress"),
]
