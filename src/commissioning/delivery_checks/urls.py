"""URL of a contract's "Promised and received" section (SUP-2, PBR-3)."""

from django.urls import path

from commissioning.delivery_checks import views

app_name = "delivery_checks"
urlpatterns = [
    path("<str:reference>/promised-and-received/", views.contract_section, name="contract"),
]
