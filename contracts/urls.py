from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="contract_list"),
    path("new/<int:household_pk>/", views.contract_create, name="contract_create"),
    path("<int:pk>/", views.contract_detail, name="contract_detail"),
    path("<int:pk>/print/", views.contract_print, name="contract_print"),
    path("<int:pk>/sign/", views.contract_sign, name="contract_sign"),
]
