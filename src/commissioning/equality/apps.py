from django.apps import AppConfig


class EqualityConfig(AppConfig):
    name = "commissioning.equality"
    label = "equality"
    verbose_name = "Equality impact assessments"
