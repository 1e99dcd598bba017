from django.urls import path

from commissioning.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("ocds/releases.json", views.releases_json, name="releases"),
    path("ocds/records.json", views.records_json, name="records"),
]
