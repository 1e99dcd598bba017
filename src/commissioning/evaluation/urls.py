from django.urls import path

from commissioning.evaluation import views, views_selection

app_name = "evaluation"
urlpatterns = [
    path("", views.my_evaluations, name="mine"),
    path("<str:reference>/", views.opportunity_page, name="opportunity"),
    path("<str:reference>/assign/", views.assign, name="assign"),
    path("<str:reference>/assignments/<int:pk>/remove/", views.unassign, name="unassign"),
    path("<str:reference>/interests/", views.declare, name="declare"),
    path("<str:reference>/advisers/", views.add_adviser, name="add-adviser"),
    path("<str:reference>/advisers/<int:pk>/remove/", views.remove_adviser, name="remove-adviser"),
    path("<str:reference>/bids/<int:bid_pk>/", views.read_bid, name="read-bid"),
    path("<str:reference>/assignments/<int:pk>/", views.assignment_page, name="assignment"),
    path(
        "<str:reference>/assignments/<int:pk>/bids/<int:bid_pk>/",
        views.score_bid,
        name="score",
    ),
    path("<str:reference>/assignments/<int:pk>/submit/", views.submit, name="submit"),
    path("<str:reference>/moderation/", views.moderation, name="moderation"),
    path("<str:reference>/selection/", views_selection.selection, name="selection"),
    path(
        "<str:reference>/moderation/<int:bid_pk>/<int:criterion_pk>/",
        views.moderate,
        name="moderate",
    ),
]
