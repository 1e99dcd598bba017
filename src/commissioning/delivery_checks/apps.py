from django.apps import AppConfig


class DeliveryChecksConfig(AppConfig):
    name = "commissioning.delivery_checks"
    label = "delivery_checks"
    verbose_name = "Promises and need groups after award"
