from django.urls import path

from commissioning.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("your-contracts/", views.your_contracts_page, name="your-contracts"),
    path("healthz", views.healthz, name="healthz"),
    path("organisations/suggest/", views.organisation_suggest, name="organisation-suggest"),
]
