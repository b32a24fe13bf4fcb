from django.urls import path

from . import views

app_name = "centers"

urlpatterns = [
    path("", views.center_list, name="center_list"),
    path("<int:pk>/", views.center_detail, name="center_detail"),
]
