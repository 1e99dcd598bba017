from django.apps import AppConfig


class ClarificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commissioning.clarifications"
    verbose_name = "Clarification questions"
