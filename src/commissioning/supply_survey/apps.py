from django.apps import AppConfig


class SupplySurveyConfig(AppConfig):
    name = "commissioning.supply_survey"
    label = "supply_survey"
    verbose_name = "Supply-chain survey"
