from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "commissioning.mediation"
    label = "mediation"
    verbose_name = "Mediation"
