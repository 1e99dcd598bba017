from django.urls import path

from commissioning.awards import views_feedback

app_name = "feedback"
urlpatterns = [
    path("", views_feedback.my_feedback, name="mine"),
    path("bids/<int:bid_pk>/", views_feedback.bid_feedback, name="bid"),
    path("bids/<int:bid_pk>/pdf/", views_feedback.bid_feedback_pdf, name="bid-pdf"),
]
