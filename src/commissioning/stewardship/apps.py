from django.apps import AppConfig


class StewardshipConfig(AppConfig):
    name = "commissioning.stewardship"
    label = "stewardship"
    verbose_name = "Market stewardship"
