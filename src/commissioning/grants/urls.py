from django.urls import path

from commissioning.grants import views

app_name = "grants"

urlpatterns = [
    path("grants/", views.round_list, name="list"),
    path("grants/yours/", views.mine, name="mine"),
    path("grants/360giving.json", views.giving360_json, name="giving360_json"),
    path("grants/360giving.csv", views.giving360_csv, name="giving360_csv"),
    path("exercises/<str:reference>/grant-round/", views.round_create, name="create"),
    path("grants/<str:reference>/", views.round_detail, name="round"),
    path("grants/<str:reference>/apply/", views.apply, name="apply"),
    path("grants/<str:reference>/decide/", views.decide, name="decide"),
    path("grants/<str:reference>/<str:action>/", views.round_move, name="move"),
    path("grant-applications/<int:pk>/", views.application_detail, name="application"),
    path("grant-applications/<int:pk>/assess/", views.assess, name="assess"),
    path("grant-applications/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("grant-applications/<int:pk>/agreement/", views.agreement, name="agreement"),
    path("grant-applications/<int:pk>/report/", views.monitoring, name="monitoring"),
]
