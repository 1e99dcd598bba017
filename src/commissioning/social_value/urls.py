"""URLs of a contract's "Social value" section (EVA-3, LAW-1)."""

from django.urls import path

from commissioning.social_value import views

app_name = "social_value"
urlpatterns = [
    path("<str:reference>/social-value/", views.contract_section, name="contract"),
    path("<str:reference>/social-value/commitments/add/", views.add_commitment, name="add"),
    path("<str:reference>/social-value/report/", views.report_quarter, name="report"),
    path(
        "<str:reference>/social-value/reports/<int:pk>/review/", views.review_report, name="review"
    ),
]
