"""URLs of the invoice pages (LAW-3, UK17): a contract's section, its invoices, "Your contracts"
and each body's payments compliance."""

from django.urls import path

from commissioning.invoices import views

app_name = "invoices"
urlpatterns = [
    path("contracts/<str:reference>/invoices/", views.contract_invoices, name="contract"),
    path("contracts/<str:reference>/invoices/new/", views.invoice_new, name="new"),
    path("contracts/<str:reference>/invoices/<int:pk>/", views.invoice_detail, name="detail"),
    path("contracts/<str:reference>/invoices/<int:pk>/pay/", views.invoice_pay, name="pay"),
    path(
        "contracts/<str:reference>/invoices/<int:pk>/dispute/",
        views.invoice_dispute,
        name="dispute",
    ),
    path(
        "contracts/<str:reference>/invoices/<int:pk>/resolve/",
        views.invoice_resolve,
        name="resolve",
    ),
    path(
        "contracts/<str:reference>/invoices/<int:pk>/received/",
        views.invoice_received,
        name="received",
    ),
    path("payments-compliance/", views.compliance_index, name="compliance"),
    path("payments-compliance/<slug:slug>/", views.body_compliance, name="body-compliance"),
    path("vcs-share/", views.vcs_share, name="vcs-share"),
    path("vcs-share.csv", views.vcs_share_csv, name="vcs-share-csv"),
]
