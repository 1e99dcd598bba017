from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "commissioning.awards"
    label = "awards"
    verbose_name = "Awards"
