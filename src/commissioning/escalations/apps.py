from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "commissioning.escalations"
    label = "escalations"
    verbose_name = "Escalations"
