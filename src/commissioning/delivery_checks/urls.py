"""URLs of a contract's "Promised and received" (SUP-2, PBR-3) and "Code of conduct" (SUP-3)
sections."""

from django.urls import path

from commissioning.delivery_checks import views

app_name = "delivery_checks"
urlpatterns = [
    path("<str:reference>/promised-and-received/", views.contract_section, name="contract"),
    path("<str:reference>/code-of-conduct/", views.code_of_conduct_section, name="code_of_conduct"),
]
