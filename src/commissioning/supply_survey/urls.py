"""URLs of the supply-chain survey pages (SUP-4)."""

from django.urls import path

from commissioning.supply_survey import views

app_name = "supply_survey"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:prime>/", views.prime_rounds, name="prime"),
    path("<slug:prime>/<int:year>/", views.round_detail, name="round"),
    path("<slug:prime>/<int:year>/answer/", views.answer, name="answer"),
    path("<slug:prime>/<int:year>/status/", views.move, name="move"),
]
