from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("export.xlsx", views.nation_export, name="nation_export"),
    path("province/<str:code>/", views.province, name="province"),
    path("province/<str:code>/export.xlsx", views.province_export, name="province_export"),
    path("district/<str:code>/", views.district, name="district"),
    path("district/<str:code>/export.xlsx", views.district_export, name="district_export"),
    path("center/<int:pk>/", views.center, name="center"),
    path("center/<int:pk>/export.xlsx", views.center_export, name="center_export"),
]
