from django.urls import path

from commissioning.concerns import views

app_name = "concerns_review"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("key/", views.key, name="key"),
    path("key/lock/", views.lock, name="lock"),
    path("key/grant/<int:key_id>/", views.grant, name="grant"),
    path("<int:pk>/", views.detail, name="detail"),
]
