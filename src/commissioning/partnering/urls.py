from django.urls import path

from commissioning.partnering import views, views_messages

app_name = "partnering"
urlpatterns = [
    path("messages/", views_messages.inbox, name="inbox"),
    path("messages/<int:pk>/", views_messages.conversation_detail, name="conversation"),
    path("messages/new/<slug:slug>/", views_messages.start, name="start"),
    path("opportunities/<str:reference>/lots/<int:number>/", views.lot_partners, name="lot"),
    path(
        "opportunities/<str:reference>/lots/<int:number>/interest/",
        views.interest_edit,
        name="interest",
    ),
    path(
        "opportunities/<str:reference>/lots/<int:number>/interest/withdraw/",
        views.interest_withdraw,
        name="withdraw",
    ),
    path(
        "opportunities/<str:reference>/lots/<int:number>/message/<slug:slug>/",
        views_messages.start,
        name="start-about-lot",
    ),
]
