from django.urls import path

from commissioning.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<slug:slug>/", views.organisation_detail, name="organisation"),
    path("<slug:slug>/edit/", views.organisation_edit, name="edit"),
]
