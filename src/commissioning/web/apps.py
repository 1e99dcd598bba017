from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "commissioning.web"
    label = "web"

    def ready(self) -> None:
        # Registers the deployment checks (manage.py check --deploy).
        from commissioning.web import checks  # noqa: F401
