from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "commissioning.audit"
    label = "audit"
