from django.urls import path

from commissioning.accounts import two_factor_views, views, views_links

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("two-factor/", two_factor_views.verify, name="two-factor-verify"),
    path("two-factor/set-up/", two_factor_views.set_up, name="two-factor-set-up"),
    path(
        "two-factor/recovery-codes/",
        two_factor_views.recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path("two-factor/turn-off/", two_factor_views.turn_off, name="two-factor-turn-off"),
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
