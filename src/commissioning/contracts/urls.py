"""URLs of the contract pages (PBR-1 .. PBR-6, SUP-1, SUP-3)."""

from django.urls import path

from commissioning.contracts import builder_views, views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("<str:reference>/", views.contract_detail, name="detail"),
    path("<str:reference>/mechanism/", views.contract_mechanism, name="mechanism"),
    path("<str:reference>/mechanism.json", views.contract_mechanism_json, name="mechanism-json"),
    path("<str:reference>/statements/", views.contract_statements, name="statements"),
    path("<str:reference>/risk/", views.contract_risk, name="risk"),
    path("<str:reference>/stress/", views.contract_stress, name="stress"),
    path("<str:reference>/edit/", views.contract_edit, name="edit"),
    path("<str:reference>/mechanism/build/", builder_views.builder_start, name="build"),
    path("<str:reference>/mechanism/build/check/", builder_views.builder_check, name="build-check"),
    path(
        "<str:reference>/mechanism/build/<slug:step>/",
        builder_views.builder_step,
        name="build-step",
    ),
    path("<str:reference>/end/", views.contract_end, name="end"),
]
