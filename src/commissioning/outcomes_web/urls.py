"""URLs of the outcome study pages."""

from django.urls import path

from commissioning.outcomes_web import views

app_name = "outcomes"
urlpatterns = [
    path("", views.study_list, name="list"),
    path("new/", views.study_upload, name="upload"),
    path("<int:pk>/", views.study_detail, name="detail"),
    path("<int:pk>/result.json", views.study_json, name="download-json"),
    path("<int:pk>/result.csv", views.study_csv, name="download-csv"),
]
