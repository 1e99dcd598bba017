"""URLs of the contract pages (PBR-1 .. PBR-6, SUP-1, SUP-3)."""

from django.urls import path

from commissioning.contracts import (
    builder_views,
    citation_views,
    performance_views,
    subcontract_views,
    views,
)

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("<str:reference>/", views.contract_detail, name="detail"),
    path("<str:reference>/mechanism/", views.contract_mechanism, name="mechanism"),
    path("<str:reference>/mechanism.json", views.contract_mechanism_json, name="mechanism-json"),
    path("<str:reference>/statements/", views.contract_statements, name="statements"),
    path(
        "<str:reference>/statements/studies/",
        citation_views.contract_citations,
        name="citations",
    ),
    path(
        "<str:reference>/statements/studies/<int:pk>/remove/",
        citation_views.citation_remove,
        name="citation-remove",
    ),
    path("<str:reference>/risk/", views.contract_risk, name="risk"),
    path("<str:reference>/stress/", views.contract_stress, name="stress"),
    path("<str:reference>/subcontracts/", subcontract_views.index, name="subcontracts"),
    path(
        "<str:reference>/subcontracts/<slug:party_id>/",
        subcontract_views.detail,
        name="subcontract",
    ),
    path(
        "<str:reference>/subcontracts/<slug:party_id>.pdf",
        subcontract_views.pdf,
        name="subcontract-pdf",
    ),
    path("<str:reference>/edit/", views.contract_edit, name="edit"),
    path("<str:reference>/mechanism/build/", builder_views.builder_start, name="build"),
    path("<str:reference>/mechanism/build/check/", builder_views.builder_check, name="build-check"),
    path(
        "<str:reference>/mechanism/build/<slug:step>/",
        builder_views.builder_step,
        name="build-step",
    ),
    path("<str:reference>/end/", views.contract_end, name="end"),
    path(
        "<str:reference>/performance/",
        performance_views.contract_performance,
        name="performance",
    ),
    path("<str:reference>/kpis/add/", performance_views.kpi_add, name="kpi-add"),
    path("<str:reference>/kpis/<int:pk>/", performance_views.kpi_add, name="kpi-edit"),
    path(
        "<str:reference>/assessments/add/",
        performance_views.assessment_add,
        name="assessment-add",
    ),
    path("<str:reference>/failures/add/", performance_views.failure_add, name="failure-add"),
    path("<str:reference>/changes/add/", performance_views.change_add, name="change-add"),
    path("<str:reference>/activate/", performance_views.activate, name="activate"),
]
