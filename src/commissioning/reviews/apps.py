from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "commissioning.reviews"
    label = "reviews"
    verbose_name = "Reviews of commissioning cycles"
