from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "commissioning.concerns"
    label = "concerns"
    verbose_name = "Anonymous concerns"
