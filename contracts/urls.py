from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="contract_list"),
    path("new/<int:household_pk>/", views.contract_create, name="contract_create"),
    path("<int:pk>/", views.contract_detail, name="contract_detail"),
    path("<int:pk>/print/", views.contract_print, name="contract_print"),
    path("<int:pk>/cancel/", views.contract_cancel_draft, name="contract_cancel_draft"),
    path("<int:pk>/sign/", views.contract_sign, name="contract_sign"),
    path("<int:pk>/restructure/", views.contract_restructure, name="contract_restructure"),
    path("<int:pk>/repayments/new/", views.repayment_create, name="repayment_create"),
    path(
        "<int:pk>/repayments/<int:repayment_pk>/reverse/", views.repayment_reverse, name="repayment_reverse"
    ),
    path(
        "<int:pk>/repayments/<int:repayment_pk>/receipt/", views.repayment_receipt, name="repayment_receipt"
    ),
    path("<int:pk>/savings/new/", views.savings_create, name="savings_create"),
    path("<int:pk>/savings/<int:entry_pk>/receipt/", views.savings_receipt, name="savings_receipt"),
    path("passbook/<int:household_pk>/", views.passbook, name="passbook"),
    path("collection/<int:center_pk>/", views.collection_sheet, name="collection_sheet"),
    path("fund-books/<int:center_pk>/", views.fund_book_export, name="fund_book_export"),
    path("arrears/<int:center_pk>/", views.arrears, name="arrears"),
    path("savings-rule/<int:center_pk>/", views.savings_rule, name="savings_rule"),
]
