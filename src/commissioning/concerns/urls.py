from django.urls import path

from commissioning.concerns import views

app_name = "concerns"
urlpatterns = [
    path("", views.start, name="start"),
    path("report/", views.report, name="report"),
    path("return/", views.follow_up, name="return"),
    path("outcomes/", views.outcomes, name="outcomes"),
]
