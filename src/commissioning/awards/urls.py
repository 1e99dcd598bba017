from django.urls import path

from commissioning.awards import views

app_name = "awards"
urlpatterns = [
    path("<str:reference>/", views.opportunity_page, name="opportunity"),
    path("<str:reference>/lots/<int:number>/", views.lot_page, name="lot"),
    path("<str:reference>/lots/<int:number>/decide/", views.decide, name="decide"),
    path("<str:reference>/lots/<int:number>/contract/", views.create_contract, name="contract"),
    path(
        "<str:reference>/lots/<int:number>/bids/<int:bid_pk>/adjust/",
        views.adjust,
        name="adjust",
    ),
]
