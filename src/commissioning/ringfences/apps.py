from django.apps import AppConfig


class RingfencesConfig(AppConfig):
    name = "commissioning.ringfences"
    label = "ringfences"
    verbose_name = "Ring-fenced budgets"
