from django.urls import path

from . import views

app_name = "geography"

urlpatterns = [
    path("options/<str:level>/", views.area_options, name="area_options"),
    path("villages/", views.village_list, name="village_list"),
    path("villages/new/", views.village_create, name="village_create"),
    path("villages/<int:pk>/edit/", views.village_edit, name="village_edit"),
]
