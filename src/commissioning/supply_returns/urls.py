"""URLs of the supply-chain return pages (SUP-1)."""

from django.urls import path

from commissioning.supply_returns import views

app_name = "supply_returns"
urlpatterns = [
    path("contracts/<str:reference>/returns/", views.contract_returns, name="contract"),
    path("contracts/<str:reference>/returns/<str:quarter>/", views.return_detail, name="detail"),
    path(
        "contracts/<str:reference>/returns/<str:quarter>/return.csv",
        views.return_csv,
        name="csv",
    ),
    path(
        "contracts/<str:reference>/returns/<str:quarter>/lines/<int:pk>/",
        views.line_answer,
        name="answer",
    ),
]
