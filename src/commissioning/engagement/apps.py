from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "commissioning.engagement"
    label = "engagement"
    verbose_name = "Consultations and market engagement"
