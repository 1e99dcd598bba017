"""URLs of consultations and market engagement events (CYC-2, CYC-3, USR-1)."""

from django.urls import path

from commissioning.engagement import views, views_events, views_responses, views_signup

app_name = "engagement"
urlpatterns = [
    path("", views.engagement_list, name="list"),
    path("exercises/<str:reference>/", views.exercise_engagement, name="exercise"),
    path(
        "exercises/<str:reference>/consultations/new/",
        views.consultation_create,
        name="consultation-create",
    ),
    path("exercises/<str:reference>/events/new/", views_events.event_create, name="event-create"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation-edit"),
    path(
        "consultations/<int:pk>/publish/", views.consultation_publish, name="consultation-publish"
    ),
    path(
        "consultations/<int:pk>/close-early/",
        views.consultation_close_early,
        name="consultation-close-early",
    ),
    path("consultations/<int:pk>/questions/new/", views.question_add, name="question-add"),
    path(
        "consultations/<int:pk>/questions/<int:question_id>/remove/",
        views.question_remove,
        name="question-remove",
    ),
    path("consultations/<int:pk>/respond/", views_responses.respond, name="respond"),
    path("consultations/<int:pk>/received/", views_responses.confirmation, name="confirmation"),
    path("consultations/<int:pk>/responses/", views_responses.response_list, name="responses"),
    path(
        "consultations/<int:pk>/responses/<str:reference>/",
        views_responses.response_detail,
        name="response",
    ),
    path("consultations/<int:pk>/summary/", views_responses.summary_manage, name="summary"),
    path(
        "consultations/<int:pk>/summary/publish/",
        views_responses.summary_publish,
        name="summary-publish",
    ),
    path(
        "consultations/<int:pk>/summary/themes/<int:theme_id>/remove/",
        views_responses.theme_remove,
        name="theme-remove",
    ),
    path("events/<int:pk>/", views_events.event_detail, name="event"),
    path("events/<int:pk>/edit/", views_events.event_edit, name="event-edit"),
    path("events/<int:pk>/publish/", views_events.event_publish, name="event-publish"),
    path("events/<int:pk>/notes/", views_events.event_notes, name="event-notes"),
    path("events/<int:pk>/sign-up/", views_signup.event_sign_up, name="event-sign-up"),
    path(
        "events/<int:pk>/sign-up/cancel/",
        views_signup.event_cancel_sign_up,
        name="event-cancel-sign-up",
    ),
]
