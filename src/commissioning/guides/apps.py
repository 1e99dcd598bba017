from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "commissioning.guides"
    label = "guides"
    verbose_name = "Guides"
