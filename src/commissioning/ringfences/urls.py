from django.urls import path

from commissioning.ringfences import views

app_name = "ringfences"

urlpatterns = [
    path("", views.ring_fence_list, name="list"),
    path("ring-fences.csv", views.ring_fence_csv, name="csv"),
    path("new/", views.ring_fence_create, name="create"),
    path("<int:pk>/", views.ring_fence_detail, name="detail"),
    path("<int:pk>/charge/", views.charge, name="charge"),
    path("<int:pk>/count-round/", views.count_round, name="count_round"),
    path("contract/<str:reference>/", views.contract_section, name="contract"),
    path("contract/<str:reference>/small-grants/new/", views.pot_create, name="create_pot"),
]
