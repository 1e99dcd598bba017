"""Market stewardship: the market map, specialist organisations' health and a contract's
"Local market footprint" section (MKT-1, MKT-2, EQU-3)."""

from django.urls import path

from commissioning.stewardship import views

app_name = "stewardship"
urlpatterns = [
    path("market/", views.market_map, name="market"),
    path("market/specialists/", views.specialists, name="specialists"),
    path("market/specialists.csv", views.specialists_csv, name="specialists_csv"),
    path("market/<str:table>.csv", views.market_csv, name="market_csv"),
    path("contracts/<str:reference>/footprint/", views.footprint, name="footprint"),
    path("contracts/<str:reference>/footprint.csv", views.footprint_csv, name="footprint_csv"),
]
