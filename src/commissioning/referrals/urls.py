"""URLs of the referral pages (REF-1): a contract's referrals section and the referrals of
one's organisation."""

from django.urls import path

from commissioning.referrals import views

app_name = "referrals"
urlpatterns = [
    path("contracts/<str:reference>/referrals/", views.contract_referrals, name="contract"),
    path("contracts/<str:reference>/referrals/new/", views.refer, name="refer"),
    path("referrals/", views.for_organisation, name="mine"),
    path("referrals/import/", views.import_events, name="import"),
    path("referrals/<str:reference>/", views.referral_detail, name="detail"),
    path("referrals/<str:reference>/<slug:verb>/", views.referral_step, name="step"),
]
