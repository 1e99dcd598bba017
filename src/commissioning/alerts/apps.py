from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "commissioning.alerts"
    label = "alerts"
    verbose_name = "Alerts and feeds"

    def ready(self) -> None:
        from commissioning.alerts import receivers

        receivers.connect()
