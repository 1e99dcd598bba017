"""URLs of the escalation pages (REF-2)."""

from django.urls import path

from commissioning.escalations import views

app_name = "escalations"
urlpatterns = [
    path("raise/<str:reference>/", views.raise_escalation, name="raise"),
    path("<int:escalation_id>/", views.escalation_detail, name="detail"),
    path("<int:escalation_id>/acknowledge/", views.escalation_acknowledge, name="acknowledge"),
    path("<int:escalation_id>/respond/", views.escalation_respond, name="respond"),
    path("organisation/<slug:slug>/", views.organisation_escalations, name="organisation"),
    path("body/<slug:slug>/", views.body_escalations, name="body"),
    path("body/<slug:slug>/record/", views.body_record, name="record"),
    path(
        "commissioned/<slug:slug>/record/",
        views.commissioned_record,
        name="commissioned_record",
    ),
]
