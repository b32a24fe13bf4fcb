from django.urls import path

from . import views

app_name = "centers"

urlpatterns = [
    path("", views.center_list, name="center_list"),
    path("export.xlsx", views.center_export, name="center_export"),
    path("new/", views.center_create, name="center_create"),
    path("<int:pk>/", views.center_detail, name="center_detail"),
    path("<int:pk>/edit/", views.center_edit, name="center_edit"),
    path("<int:pk>/revenue/", views.revenue_form, name="revenue_form"),
]

# One add page and one edit page for each part of a center (see views.PARTS).
for kind, prefix in [
    ("fund", "funds"),
    ("committee", "committee"),
    ("group", "groups"),
    ("recognition", "recognitions"),
]:
    urlpatterns += [
        path(f"<int:pk>/{prefix}/new/", views.part_form, {"kind": kind}, name=f"{kind}_create"),
        path(f"<int:pk>/{prefix}/<int:part_pk>/edit/", views.part_form, {"kind": kind}, name=f"{kind}_edit"),
    ]
