"""URLs of the cycle reviews (CYC-4)."""

from django.urls import path

from commissioning.reviews import views

app_name = "reviews"
urlpatterns = [
    path("exercises/<str:reference>/", views.exercise_reviews, name="list"),
    path("exercises/<str:reference>/assemble/", views.assemble, name="assemble"),
    path("exercises/<str:reference>/cycles/<int:cycle>/", views.review_detail, name="detail"),
    path("exercises/<str:reference>/cycles/<int:cycle>/write/", views.review_write, name="write"),
    path(
        "exercises/<str:reference>/cycles/<int:cycle>/next-cycle/",
        views.next_cycle,
        name="next-cycle",
    ),
    path(
        "exercises/<str:reference>/cycles/<int:cycle>/<slug:key>.csv",
        views.section_csv,
        name="csv",
    ),
]
