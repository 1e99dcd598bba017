"""Mounted at ``opportunities/<reference>/questions/`` (namespace ``clarifications``)."""

from django.urls import path

from commissioning.clarifications import views

app_name = "clarifications"
urlpatterns = [
    path("", views.question_list, name="list"),
    path("ask/", views.ask, name="ask"),
    path("<int:number>/answer/", views.answer, name="answer"),
    path("<int:number>/edit/", views.edit_text, name="edit"),
    path("<int:number>/close/", views.close, name="close"),
]
