from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "commissioning.audit"
    label = "audit"

    def ready(self) -> None:
        from commissioning.audit import permanence

        permanence.connect()
