from django.urls import path

from commissioning.alerts import feeds, views

app_name = "alerts"
urlpatterns = [
    path("alerts/", views.subscription_list, name="list"),
    path("alerts/new/", views.subscription_new, name="new"),
    path("alerts/<int:pk>/change/", views.subscription_edit, name="edit"),
    path("alerts/<int:pk>/delete/", views.subscription_delete, name="delete"),
    path("alerts/<int:pk>/new-feed-address/", views.feed_address_renew, name="renew_feed"),
    path("alerts/stop-emails/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/feeds/<str:token>.atom", feeds.SubscriptionFeed(), name="feed"),
    path("feeds/", views.feed_index, name="feeds"),
    path("feeds/areas/<slug:slug>/<str:kind>.atom", feeds.AreaFeed(), name="area_feed"),
]
