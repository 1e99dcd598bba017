"""URLs of the core supplier information pages (LAW-5)."""

from django.urls import path

from commissioning.supplier_information import views

app_name = "supplier_information"
urlpatterns = [
    path("share-code/", views.look_up, name="look-up"),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/update/", views.update, name="update"),
    path("<slug:slug>/versions/<int:number>/", views.version_detail, name="version"),
    path("<slug:slug>/share-codes/<int:code_id>/revoke/", views.revoke, name="revoke"),
]
