"""URLs of the outcome study pages."""

from django.urls import path

from commissioning.outcomes_web import areas, views

app_name = "outcomes"
urlpatterns = [
    path("", views.study_list, name="list"),
    path("new/", views.study_upload, name="upload"),
    path("new/by-identifier/", views.study_upload_by_identifier, name="upload-identifiers"),
    path("extracts/", views.extract_list, name="extracts"),
    path("extracts/new/", views.extract_load, name="extract-load"),
    path("extracts/<int:pk>/retire/", views.extract_retire, name="extract-retire"),
    path("published/", views.published_list, name="published"),
    path("areas/", areas.area_comparison, name="areas"),
    path("areas/reoffending-by-area.csv", areas.area_comparison_csv, name="areas-csv"),
    path("<int:pk>/publish/", views.study_publish, name="publish"),
    path("<int:pk>/unpublish/", views.study_unpublish, name="unpublish"),
    path("<int:pk>/delete/", views.study_delete, name="delete"),
    path("<int:pk>/", views.study_detail, name="detail"),
    path("<int:pk>/result.json", views.study_json, name="download-json"),
    path("<int:pk>/result.csv", views.study_csv, name="download-csv"),
]
