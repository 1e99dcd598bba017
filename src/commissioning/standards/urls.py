from django.urls import path

from commissioning.standards import views

app_name = "standards"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("inspection/", views.inspection, name="inspection"),
]
