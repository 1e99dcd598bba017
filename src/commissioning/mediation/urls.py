"""URLs of the mediation pages (SUP-3)."""

from django.urls import path

from commissioning.mediation import views

app_name = "mediation"
urlpatterns = [
    path("", views.open_requests, name="open"),
    path("ask/<str:reference>/", views.ask, name="ask"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:request_id>/accept/", views.accept, name="accept"),
    path("<int:request_id>/decline/", views.decline, name="decline"),
    path("<int:request_id>/outcome/", views.outcome, name="outcome"),
]
