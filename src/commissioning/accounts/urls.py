from django.urls import path

from commissioning.accounts import views, views_links

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("register/", views.register, name="register"),
    path("register/requested/", views.registered, name="registered"),
    path("check-your-email/", views_links.check_email, name="check-email"),
    path("confirm/<uidb64>/<token>/", views_links.confirm_email, name="confirm-email"),
    path("confirm/new-link/", views_links.resend_confirmation, name="resend-confirmation"),
    path("password/", views_links.ChangePasswordView.as_view(), name="password-change"),
    path("password/reset/", views_links.ResetPasswordView.as_view(), name="password-reset"),
    path(
        "password/reset/<uidb64>/<token>/",
        views_links.NewPasswordView.as_view(),
        name="password-reset-confirm",
    ),
    path("organisations/<slug:slug>/members/", views.members, name="members"),
]
