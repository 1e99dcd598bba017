from django.urls import path

from commissioning.bids import (
    views,
    views_consent,
    views_consortium,
    views_offer_test,
    views_opening,
)

app_name = "bids"
urlpatterns = [
    path("", views_consent.my_bids, name="home"),
    path("lots/<int:lot_id>/start/", views.start, name="start"),
    path("<int:pk>/", views.bid_detail, name="bid"),
    path("<int:pk>/price/", views.pricing, name="pricing"),
    path("<int:pk>/answers/", views.answers, name="answers"),
    path("<int:pk>/documents/new/", views.document_add, name="document-add"),
    path("<int:pk>/documents/<uuid:key>/", views.document_download, name="document"),
    path("<int:pk>/documents/<uuid:key>/remove/", views.document_remove, name="document-remove"),
    path("<int:pk>/supply-chain/new/", views.subcontractor_add, name="subcontractor-add"),
    path(
        "<int:pk>/supply-chain/<int:sub_pk>/remove/",
        views.subcontractor_remove,
        name="subcontractor-remove",
    ),
    path("<int:pk>/together/", views_consortium.lead, name="consortium"),
    path("<int:pk>/together/new/", views_consortium.member_add, name="consortium-add"),
    path(
        "<int:pk>/together/<int:member_pk>/remove/",
        views_consortium.member_remove,
        name="consortium-remove",
    ),
    path("invitations/<int:pk>/", views_consortium.invitation, name="consortium-request"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("receipts/<str:reference>/", views.receipt, name="receipt"),
    path("requests/<int:pk>/", views_consent.request_detail, name="request"),
    path("requests/<int:pk>/test-offer/", views_offer_test.offer_test_page, name="test-offer"),
    path("opportunities/<str:reference>/", views_opening.opportunity_bids, name="opportunity"),
    path("opportunities/<str:reference>/open/", views_opening.open_bids, name="open"),
    path("opportunities/<str:reference>/<int:pk>/", views_opening.opened_bid, name="opened-bid"),
    path(
        "opportunities/<str:reference>/<int:pk>/documents/<uuid:key>/",
        views_opening.opened_document,
        name="opened-document",
    ),
]
