from django.apps import AppConfig


class PartneringConfig(AppConfig):
    name = "commissioning.partnering"
    verbose_name = "Partner finding and messaging"
