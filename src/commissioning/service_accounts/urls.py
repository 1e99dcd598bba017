"""URLs of an organisation's API tokens pages (REF-1, REF-2)."""

from django.urls import path

from commissioning.service_accounts import views

app_name = "service_accounts"
urlpatterns = [
    path("<slug:slug>/", views.token_list, name="list"),
    path("<slug:slug>/<int:token_id>/revoke/", views.token_revoke, name="revoke"),
]
