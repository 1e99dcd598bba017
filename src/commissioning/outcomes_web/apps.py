from django.apps import AppConfig


class OutcomesWebConfig(AppConfig):
    name = "commissioning.outcomes_web"
    label = "outcomes_web"
    verbose_name = "Outcome studies"
