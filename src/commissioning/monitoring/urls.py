"""URLs of the monitoring return pages (SUP-7)."""

from django.urls import path

from commissioning.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("monitoring/", views.home, name="home"),
    path("monitoring/organisations/<int:organisation_pk>/new/", views.new_return, name="new"),
    path("monitoring/<int:pk>/", views.detail, name="detail"),
    path("monitoring/<int:pk>/change/", views.change_return, name="change"),
    path("monitoring/<int:pk>/submit/", views.submit, name="submit"),
    path("contracts/<str:reference>/monitoring/", views.contract_returns, name="contract"),
    path(
        "contracts/<str:reference>/monitoring/needs/<int:organisation_pk>/",
        views.contract_needs,
        name="contract_needs",
    ),
    path("grant-applications/<int:application_pk>/monitoring/", views.grant_returns, name="grant"),
    path(
        "grant-applications/<int:application_pk>/monitoring/needs/",
        views.grant_needs,
        name="grant_needs",
    ),
]
