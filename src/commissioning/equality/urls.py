from django.urls import path

from commissioning.equality import views

app_name = "equality"

urlpatterns = [
    path("exercises/<str:reference>/", views.exercise_assessment, name="exercise"),
    path("exercises/<str:reference>/assessment.pdf", views.assessment_pdf, name="pdf"),
    path("exercises/<str:reference>/write/", views.edit, name="edit"),
    path("exercises/<str:reference>/check/", views.check, name="check"),
]
