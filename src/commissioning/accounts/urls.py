from django.urls import path

from commissioning.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("register/", views.register, name="register"),
    path("register/requested/", views.registered, name="registered"),
    path("organisations/<slug:slug>/members/", views.members, name="members"),
]
