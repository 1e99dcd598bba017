"""URLs of the referral pages (REF-1): a contract's referrals section and the referrals of
one's organisation."""

from django.urls import path

from commissioning.referrals import equality_views, views

app_name = "referrals"
urlpatterns = [
    path("contracts/<str:reference>/referrals/", views.contract_referrals, name="contract"),
    path("contracts/<str:reference>/referrals/new/", views.refer, name="refer"),
    path(
        "contracts/<str:reference>/equality/",
        equality_views.contract_equality,
        name="equality",
    ),
    path(
        "contracts/<str:reference>/equality.csv",
        equality_views.contract_equality_csv,
        name="equality_csv",
    ),
    path(
        "commissioning-bodies/<slug:slug>/equality/",
        equality_views.body_equality,
        name="body_equality",
    ),
    path(
        "commissioning-bodies/<slug:slug>/equality.csv",
        equality_views.body_equality_csv,
        name="body_equality_csv",
    ),
    path("referrals/", views.for_organisation, name="mine"),
    path("referrals/import/", views.import_events, name="import"),
    path("referrals/<str:reference>/", views.referral_detail, name="detail"),
    path("referrals/<str:reference>/<slug:verb>/", views.referral_step, name="step"),
]
