"""URLs of the commissioning exercise pages (names fixed in the helpers' briefing)."""

from django.urls import path

from commissioning.exercises import views

app_name = "exercises"
urlpatterns = [
    path("", views.exercise_list, name="list"),
    path("new/", views.exercise_create, name="create"),
    path("<str:reference>/", views.exercise_detail, name="detail"),
    path("<str:reference>/edit/", views.exercise_edit, name="edit"),
    path("<str:reference>/stage/", views.exercise_stage, name="stage"),
]
